import { createServer, type Server } from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { embedParentOrigin } from "./app-env";
import { createConsultation, enterPin, joinCall, newCallPage } from "./call";

/**
 * The room inside a clinic's own site: a real HTTP server on another site (127.0.0.1, while the
 * app is localhost) serves a page that frames the patient's link, as a clinic would, and
 * records every message the room posts to it.
 */
const APP_PORT = Number(process.env.E2E_PORT ?? 3100);
const APP_ORIGIN = `http://localhost:${APP_PORT}`;
const CLINIC_ORIGIN = embedParentOrigin(APP_PORT);
const OTHER_ORIGIN = `http://127.0.0.1:${APP_PORT + 91}`;

function clinicPage(src: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Clínica Norte: your appointment</title>
<style>body{font-family:sans-serif;margin:0;background:#eef3f8}header{padding:12px 20px;background:#0b4f8a;color:#fff}iframe{display:block;width:100%;height:calc(100vh - 60px);border:0}</style>
</head><body><header><strong>Clínica Norte</strong> · Your video appointment</header>
<iframe title="Video consultation" allow="camera; microphone; autoplay; fullscreen; display-capture" src="${src}"></iframe>
<script>
  window.__outputs = [];
  window.addEventListener("message", (event) => {
    if (event.origin === ${JSON.stringify(APP_ORIGIN)} && event.data && event.data.source === "telemed-portal") window.__outputs.push(event.data);
  });
</script></body></html>`;
}

function serveClinic(port: number): Promise<Server> {
  const server = createServer((request, response) => {
    const src = new URL(request.url ?? "/", "http://clinic").searchParams.get("src") ?? "";
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end(clinicPage(`${APP_ORIGIN}${src}`));
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

type Output = { source: string; version: number; output: string; value: string; role: string; consultationId: string | null; detail?: Record<string, unknown> };
const outputs = (page: Page) => page.evaluate(() => (window as unknown as { __outputs: Output[] }).__outputs);
const said = (list: Output[]) => list.filter((o) => o.output !== "camera").map((o) => `${o.output} = ${o.value}`);

let clinic: Server;
let other: Server;
test.beforeAll(async () => {
  clinic = await serveClinic(Number(new URL(CLINIC_ORIGIN).port));
  other = await serveClinic(Number(new URL(OTHER_ORIGIN).port));
});
test.afterAll(async () => {
  await new Promise((resolve) => clinic.close(resolve));
  await new Promise((resolve) => other.close(resolve));
});

test("the room in a clinic's iframe posts the seed's outputs in order for a join, a mute, a chat open and an end", async ({ browser, request }) => {
  const consultation = await createConsultation(request);
  const linkPath = new URL(consultation.patientUrl).pathname + new URL(consultation.patientUrl).search;
  const patient = await newCallPage(browser, { viewport: { width: 1100, height: 760 } });
  const provider = await newCallPage(browser);
  await patient.page.goto(`${CLINIC_ORIGIN}/?src=${encodeURIComponent(linkPath)}`);
  const room = patient.page.frameLocator('iframe[title="Video consultation"]');

  await test.step("the patient enters the PIN and joins inside the iframe (a partitioned session cookie)", async () => {
    await room.getByLabel("6-digit PIN").fill(consultation.pin);
    await room.getByRole("button", { name: "Continue" }).click();
    await expect(room.getByTestId("join-call")).toBeEnabled();
    await room.getByTestId("join-call").click();
    await expect(room.getByTestId("call-state")).toHaveAttribute("data-state", "waiting");
    await expect.poll(async () => said(await outputs(patient.page))).toEqual(["session = started", "state = waiting"]);
  });

  await test.step("the provider joins: active", async () => {
    await joinCall(provider.page, consultation.providerUrl, consultation.pin);
    await expect(room.getByTestId("call-state")).toHaveAttribute("data-state", "active", { timeout: 20_000 });
    await expect.poll(async () => said(await outputs(patient.page)).at(-1)).toBe("state = active");
  });

  await test.step("mute, then open the chat", async () => {
    await room.getByTestId("toggle-audio").click();
    await room.getByTestId("toggle-chat").click();
    await expect(room.getByTestId("chat-panel")).toBeVisible();
    await expect.poll(async () => said(await outputs(patient.page)).slice(-2)).toEqual(["audio = updated", "chat = opened"]);
    await patient.page.screenshot({ path: "test-results/screens/embedded-room.png" });
  });

  await test.step("the provider ends the consultation: ended", async () => {
    await provider.page.getByTestId("end-call").click();
    await provider.page.getByRole("button", { name: "End consultation for everyone" }).click();
    await expect(room.getByTestId("call-over")).toBeVisible({ timeout: 15_000 });
    await expect.poll(async () => said(await outputs(patient.page)).at(-1)).toBe("state = ended");
  });

  const all = await outputs(patient.page);
  expect(said(all)).toEqual(["session = started", "state = waiting", "state = active", "audio = updated", "chat = opened", "state = ended"]);
  expect(all.find((o) => o.output === "audio")?.detail).toEqual({ enabled: false });
  // The fake device has one camera, so swapping is not offered.
  expect(all.filter((o) => o.output === "camera").map((o) => o.value)).toEqual(["unsupported"]);
  for (const o of all) expect(o).toMatchObject({ source: "telemed-portal", version: 1, role: "patient", consultationId: consultation.consultationId });
  await patient.context.close();
  await provider.context.close();
});

test("a site that is not allowed cannot frame the room, and hears nothing from it", async ({ browser, request }) => {
  const consultation = await createConsultation(request);
  const linkPath = new URL(consultation.patientUrl).pathname + new URL(consultation.patientUrl).search;
  const { context, page } = await newCallPage(browser);
  const refused = page.waitForEvent("console", { predicate: (m) => /frame-ancestors/.test(m.text()), timeout: 10_000 });
  await page.goto(`${OTHER_ORIGIN}/?src=${encodeURIComponent(linkPath)}`);
  await refused; // Chromium reports the CSP refusal
  await expect(page.frameLocator('iframe[title="Video consultation"]').getByLabel("6-digit PIN")).toHaveCount(0);
  expect(await outputs(page)).toEqual([]);
  // The same link opened as a page still works (only framing is refused).
  await page.goto(`${APP_ORIGIN}${linkPath}`);
  await enterPin(page, consultation.pin);
  await expect(page.getByTestId("join-call")).toBeVisible();
  await context.close();
});

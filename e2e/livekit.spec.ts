/**
 * A call on LiveKit whose server cannot be reached. No LiveKit server can run on this machine
 * (it is not on npm nor in Debian), so this proves the browser side up to the connect: an app
 * instance with LIVEKIT_URL pointing at loopback hands out LiveKit tokens; the patient enters
 * the PIN, passes the device check and joins; the call screen loads the LiveKit transport,
 * tries the server, and within a bounded time shows the error state with its code and a
 * message the person can act on, and offers Try again (which joins and tries again). Two ways
 * of not being reachable: a closed port (refused at once), and a server that accepts the
 * connection and never answers (the transport's own time limit).
 * A call with media through LiveKit needs a LiveKit server and is not tested here.
 */
import net from "node:net";
import { expect, test, type Browser, type Page, type PlaywrightWorkerArgs } from "@playwright/test";
import { freePort } from "../test/postgres";
import { createConsultation, enterPin, newCallPage, pathOf } from "./call";
import { startAppInstance } from "./processes";

type PlaywrightInstance = PlaywrightWorkerArgs["playwright"];

const UNREACHABLE_MESSAGE = "The video service cannot be reached right now. Check your connection and press Try again; if it keeps happening, tell the clinic.";
/** A message inside livekit-client that minification keeps: a script that has it carries LiveKit's client. */
const LIVEKIT_CLIENT_MARK = "LiveKit doesn't seem to be supported";
/** The transport gives up on a connect after 15 s (lib/video/livekit-media.ts); the page's own steps get a little more. */
const ERROR_WITHIN_MS = 17_000;

/** Presses Join (or Try again) and waits for the join's answer: the transport it names and the LiveKit URL. */
async function joinAndRead(page: Page, press: () => Promise<void>): Promise<{ transport: string; livekitUrl: string | null }> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "PUT" && /\/api\/v3\/appointments\/[^/]+\/video-room/.test(r.url())),
    press(),
  ]);
  expect(response.status()).toBe(200);
  const { data } = (await response.json()) as { data: { transport: string; livekit: { url: string } | null } };
  return { transport: data.transport, livekitUrl: data.livekit?.url ?? null };
}

async function expectUnreachableError(page: Page, withinMs: number): Promise<void> {
  const error = page.locator('[data-call-state="error"]');
  await expect(error).toBeVisible({ timeout: withinMs });
  await expect(error.locator('[data-error-code="livekit_unreachable"]')).toHaveText(UNREACHABLE_MESSAGE);
  await expect(error.getByRole("button", { name: "Try again" })).toBeEnabled();
}

/**
 * Starts an app instance whose LIVEKIT_URL is `livekitUrl`, joins as the patient, and checks
 * the error is shown within `withinMs` of pressing Join, then again after Try again.
 */
async function expectUnreachable(browser: Browser, playwright: PlaywrightInstance, livekitUrl: string, withinMs: number): Promise<number> {
  const app = await startAppInstance({
    LIVEKIT_URL: livekitUrl,
    LIVEKIT_API_KEY: "e2e-livekit-key",
    LIVEKIT_API_SECRET: "e2e-livekit-secret-at-least-32-characters",
  });
  try {
    expect(livekitUrl, "the app took the port meant for LiveKit").not.toContain(`:${app.port}`);
    const api = await playwright.request.newContext({ baseURL: app.url });
    const consultation = await createConsultation(api);
    await api.dispose();

    const { context, page } = await newCallPage(browser, { baseURL: app.url });
    const sockets: string[] = [];
    page.on("websocket", (socket) => sockets.push(socket.url()));
    const scripts: Promise<boolean>[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() === "script") scripts.push(response.text().then((text) => text.includes(LIVEKIT_CLIENT_MARK), () => false));
    });
    await page.goto(pathOf(consultation.patientUrl));
    await enterPin(page, consultation.pin);
    const join = page.getByTestId("join-call");
    await expect(join).toBeEnabled(); // the device check passed (fake camera and microphone)
    // The join page and the device check do without LiveKit's client: it loads for a LiveKit call only.
    const loadedBeforeJoin = scripts.length;
    expect(loadedBeforeJoin).toBeGreaterThan(0);
    expect(await Promise.all(scripts)).not.toContain(true);

    const pressed = Date.now();
    const joined = await joinAndRead(page, () => join.click());
    expect(joined).toEqual({ transport: "livekit", livekitUrl });
    await expectUnreachableError(page, withinMs);
    const seconds = (Date.now() - pressed) / 1000;
    expect(await Promise.all(scripts.slice(loadedBeforeJoin))).toContain(true);
    // The failure is LiveKit's connect to that server, not anything before it.
    expect(sockets.some((url) => url.startsWith(`${livekitUrl}/rtc`)), sockets.join(", ")).toBe(true);

    // Try again joins again (a fresh token) and tries the server again: the same clear error.
    const tried = sockets.length;
    const retried = await joinAndRead(page, () => page.getByRole("button", { name: "Try again" }).click());
    expect(retried.transport).toBe("livekit");
    await expectUnreachableError(page, withinMs);
    expect(sockets.length).toBeGreaterThan(tried);

    await context.close();
    return seconds;
  } finally {
    await app.stop();
  }
}

test("LiveKit's port is closed: the call shows the error with Try again at once", async ({ browser, playwright }) => {
  test.setTimeout(90_000);
  const closedPort = await freePort(); // bound and released: nothing listens there
  const seconds = await expectUnreachable(browser, playwright, `ws://127.0.0.1:${closedPort}`, 5_000);
  console.log(`[livekit] closed port: error shown ${seconds.toFixed(1)} s after Join`);
});

test("LiveKit's server accepts but never answers: the call gives up and shows the error within 15 s", async ({ browser, playwright }) => {
  test.setTimeout(120_000);
  // A TCP listener that takes connections and says nothing: the WebSocket handshake never ends.
  const held: net.Socket[] = [];
  const silent = net.createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const { port } = silent.address() as net.AddressInfo;
  try {
    const seconds = await expectUnreachable(browser, playwright, `ws://127.0.0.1:${port}`, ERROR_WITHIN_MS);
    console.log(`[livekit] silent server: error shown ${seconds.toFixed(1)} s after Join`);
    expect(held.length, "the browser never reached the silent server").toBeGreaterThan(0);
  } finally {
    for (const socket of held) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

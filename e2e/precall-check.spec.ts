import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { checkPage, VIEWPORTS } from "./a11y";
import { createRoom, demoAuthorization, type RoomPerson } from "./api";
import { createConsultation, joinCall, newCallPage, pathOf } from "./call";
import { startAppInstance, startTurnServer, type Started } from "./processes";
import { connectionVerdict, PROBES, type ConnectionFindings } from "@/lib/video/connection-check";

type Catalog = { Join: { checks: { good: string; mayBeChoppy: string } } };
/** The verdict's words in each language, from the catalogs the app speaks (messages/). */
const CHECK_WORDS = Object.fromEntries(
  (["en", "es", "it"] as const).map((locale) => [locale, JSON.parse(readFileSync(path.join(process.cwd(), "messages", `${locale}.json`), "utf8")) as Catalog]),
) as Record<"en" | "es" | "it", Catalog>;

/**
 * The join page's device check as a person meets it: the preview and Join in sight without
 * scrolling, on a phone and a laptop, in English and Spanish, for a consultation's link and a
 * room's; the microphone's level moving with Chromium's fake microphone (it beeps); the test
 * sound playing; the connection test's verdict, on loopback and through a real TURN relay.
 */

const PHONE = { viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;
const DESKTOP = { viewport: VIEWPORTS.desktop } as const;
const DEVICES = { phone: PHONE, desktop: DESKTOP } as const;
type Device = keyof typeof DEVICES;

/** Opens a consultation's patient link and enters the PIN, in whatever language the page speaks. */
async function openConsultation(page: Page, url: string, pin: string, language: "en" | "es" = "en") {
  const link = new URL(url);
  link.searchParams.set("language", language);
  await page.goto(pathOf(link.toString()));
  await page.locator('input[inputmode="numeric"]').fill(pin);
  await page.locator('form button[type="submit"]').click();
}

/** A room of the demo clinic through the teleconsultation API, and its patient's personal link. */
async function openRoomLink(page: Page, request: Parameters<typeof createRoom>[0], language: "en" | "es") {
  const suffix = Math.random().toString(36).slice(2, 8);
  const patient: RoomPerson = { userExternalId: `precall-patient-${suffix}`, groups: ["patient"], fullName: "Luis Pérez Gómez", language };
  const doctor: RoomPerson = { userExternalId: `precall-doctor-${suffix}`, groups: ["doctor"], fullName: "Dr. Ana Martínez", language };
  const roomId = await createRoom(request, [doctor, patient]);
  const response = await request.get(`/api/teleconsultation/${roomId}`, { headers: { ...demoAuthorization(), "x-user-id": patient.userExternalId } });
  expect(response.status(), await response.text()).toBe(200);
  await page.goto(pathOf((await response.json()).accessLinkURL));
}

/** The device check, devices allowed and its checks done: what the page looks like for good. */
async function deviceCheckSettled(page: Page) {
  await expect(page.getByTestId("join-call")).toBeEnabled({ timeout: 20_000 });
  await expect(page.getByTestId("connection-test")).not.toHaveAttribute("data-connection-verdict", "checking", { timeout: 20_000 });
  await expect(page.getByTestId("background-picker")).toBeVisible();
}

/**
 * The connection test's verdict is the one its own measurements give (lib/video/connection-check.ts,
 * whose thresholds have unit tests), every probe was answered, and it can connect. Whether it says
 * "Good" depends on this machine's load (a median round trip over 300 ms is "May be choppy"), so
 * the browser tests check the verdict against what was measured, not a fixed word.
 */
async function expectVerdictOfItsFindings(connection: Locator) {
  await expect(connection).not.toHaveAttribute("data-connection-verdict", "checking", { timeout: 20_000 });
  const verdict = await connection.getAttribute("data-connection-verdict");
  const findings = JSON.parse((await connection.getAttribute("data-connection-findings")) ?? "null") as ConnectionFindings;
  expect(findings.failures, "every probe answered").toBe(0);
  expect(findings.roundTripsMs).toHaveLength(PROBES - 1);
  expect(verdict).toBe(connectionVerdict(findings));
  expect(verdict).not.toBe("cannot_connect");
  // In the page's language.
  const language = (await connection.page().locator("html").getAttribute("lang")) as keyof typeof CHECK_WORDS;
  const words = CHECK_WORDS[language].Join.checks;
  await expect(connection.getByRole("status")).toHaveText(verdict === "good" ? words.good : words.mayBeChoppy);
  return verdict;
}

/** The element lies wholly inside the viewport with the page scrolled to its top: seen without scrolling. */
async function expectInSight(page: Page, locator: Locator, what: string) {
  const viewport = page.viewportSize()!;
  const box = await locator.boundingBox();
  expect(box, `${what} has a box`).not.toBeNull();
  expect(box!.width, `${what} has a width`).toBeGreaterThan(0);
  expect(box!.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box!.y, `${what}: top edge`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what}: right edge within ${viewport.width}`).toBeLessThanOrEqual(viewport.width);
  expect(box!.y + box!.height, `${what}: bottom edge within ${viewport.height}`).toBeLessThanOrEqual(viewport.height);
}

async function expectPreviewAndJoinInSight(page: Page) {
  await page.evaluate(() => window.scrollTo(0, 0));
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await expectInSight(page, page.getByTestId("device-preview"), "the preview");
  await expectInSight(page, page.getByTestId("join-call"), "Join");
}

/** The meter's reading now (0–100). */
const level = (page: Page) => page.getByTestId("mic-level").evaluate((meter) => Number(meter.getAttribute("aria-valuenow")));

for (const device of Object.keys(DEVICES) as Device[]) {
  for (const language of ["en", "es"] as const) {
    test(`the preview and Join in sight on a ${device}, in ${language}: a consultation's link and a room's`, async ({ browser, request }) => {
      test.setTimeout(120_000);
      const suffix = `${language}-${device}`;

      await test.step("a consultation's link, after the PIN", async () => {
        const consultation = await createConsultation(request);
        const { context, page } = await newCallPage(browser, DEVICES[device]);
        await openConsultation(page, consultation.patientUrl, consultation.pin, language);
        await deviceCheckSettled(page);
        await expectVerdictOfItsFindings(page.getByTestId("connection-test"));
        await expectPreviewAndJoinInSight(page);
        await checkPage(page, `precall-consultation-${suffix}`);
        await checkPage(page, `precall-consultation-${suffix}-full`, { fullPage: true });
        await context.close();
      });

      await test.step("a room's personal link (rl_), no PIN", async () => {
        const { context, page } = await newCallPage(browser, DEVICES[device]);
        await openRoomLink(page, request, language);
        await deviceCheckSettled(page);
        await expectVerdictOfItsFindings(page.getByTestId("connection-test"));
        await expectPreviewAndJoinInSight(page);
        await checkPage(page, `precall-room-${suffix}`);
        await context.close();
      });
    });
  }
}

test("the microphone's level moves with the fake microphone, follows the one chosen, and reads 0 while it is off", async ({ browser, request }) => {
  const consultation = await createConsultation(request);
  const { context, page } = await newCallPage(browser, DESKTOP);
  await openConsultation(page, consultation.patientUrl, consultation.pin);
  await expect(page.getByTestId("join-call")).toBeEnabled();
  const meter = page.getByRole("meter", { name: "Microphone level" });
  await expect(meter).toHaveAttribute("aria-valuemin", "0");
  await expect(meter).toHaveAttribute("aria-valuemax", "100");
  // The fake microphone beeps now and then: the meter rises with a beep.
  await expect.poll(() => level(page), { intervals: [100], timeout: 10_000 }).toBeGreaterThan(0);

  await test.step("off: the meter falls to 0 and says so", async () => {
    await page.getByLabel("Microphone on").uncheck();
    await expect(page.getByRole("meter", { name: "Microphone off" })).toBeVisible();
    await expect.poll(() => level(page), { timeout: 10_000 }).toBe(0);
  });

  await test.step("another microphone, then on: the meter reads the new one (the old one is stopped, and would read silence)", async () => {
    const select = page.getByLabel("Microphone", { exact: true });
    const options = await select.locator("option").evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));
    const before = await select.inputValue();
    const other = options.find((id) => id !== before && id !== "default" && id !== "communications");
    expect(other, `another microphone among ${options.join(", ")}`).toBeTruthy();
    await select.selectOption(other!);
    await expect(select).toHaveValue(other!);
    await expect(page.getByTestId("join-call")).toBeEnabled();
    await page.getByLabel("Microphone on").check();
    await expect.poll(() => level(page), { intervals: [100], timeout: 10_000 }).toBeGreaterThan(0);
  });
  await context.close();
});

test("the speaker test plays the app's own test sound to its end; the connection test runs again when asked", async ({ browser, request, baseURL }) => {
  const consultation = await createConsultation(request);
  const { context, page } = await newCallPage(browser, DESKTOP);
  const offsite: string[] = [];
  page.on("request", (r) => {
    if (!/^(blob|data):/.test(r.url()) && new URL(r.url()).origin !== new URL(baseURL!).origin) offsite.push(r.url());
  });
  await openConsultation(page, consultation.patientUrl, consultation.pin);
  await expect(page.getByTestId("join-call")).toBeEnabled();
  const speaker = page.getByTestId("speaker-test");
  await expect(speaker).toHaveAttribute("data-speaker-test", "idle");
  await page.getByRole("button", { name: "Play test sound" }).click();
  await expect(speaker).toHaveAttribute("data-speaker-test", /playing|ended/);
  await expect(speaker).toHaveAttribute("data-speaker-test", "ended", { timeout: 15_000 });
  await expect(speaker.getByRole("status")).toHaveText("Did you hear it? If not, turn up the volume or choose another speaker.");
  // Chromium can send sound to a chosen speaker: the select lists the speakers it reports.
  const speakers = await page.evaluate(async () => (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === "audiooutput").length);
  await expect(page.getByLabel("Speaker", { exact: true })).toHaveCount(speakers > 0 ? 1 : 0);
  expect(offsite).toEqual([]);

  const connection = page.getByTestId("connection-test");
  await expectVerdictOfItsFindings(connection);
  // Read once the first test is done (while it runs the attribute is empty).
  const first = await connection.getAttribute("data-connection-findings");
  const checks: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/connection-check")) checks.push(r.url());
  });
  await page.getByRole("button", { name: "Test again" }).click();
  // Five more timed requests (one to warm up), then the verdict again.
  await expect.poll(() => checks.length).toBe(5);
  // A new measurement, and its own verdict.
  await expect(connection).not.toHaveAttribute("data-connection-findings", first!);
  await expectVerdictOfItsFindings(connection);
  await context.close();
});

test("the speaker chosen in the check is the one the call plays the other person on", async ({ browser, request }) => {
  const consultation = await createConsultation(request);
  const patient = await newCallPage(browser, DESKTOP);
  const provider = await newCallPage(browser, DESKTOP);
  try {
    await openConsultation(patient.page, consultation.patientUrl, consultation.pin);
    await expect(patient.page.getByTestId("join-call")).toBeEnabled();
    const select = patient.page.getByLabel("Speaker", { exact: true });
    const options = await select.locator("option").evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));
    expect(options.length, "Chromium reports a speaker").toBeGreaterThan(0);
    const chosen = options.at(-1)!;
    await select.selectOption(chosen);
    await patient.page.getByTestId("join-call").click();
    await joinCall(provider.page, consultation.providerUrl, consultation.pin);
    const remote = patient.page.getByTestId("remote-video");
    await expect(remote).toBeVisible({ timeout: 30_000 });
    await expect.poll(() => remote.evaluate((v) => (v as HTMLVideoElement).sinkId)).toBe(chosen);
  } finally {
    await patient.context.close();
    await provider.context.close();
  }
});

test("the connection test through a real TURN relay: good when the relay answers, cannot connect when every call must use a relay that does not", async ({ browser, request }) => {
  test.setTimeout(180_000);
  const secret = randomBytes(24).toString("hex");
  const turn = await startTurnServer(secret);
  const instances: Started[] = [];
  try {
    const relayed = await startAppInstance({ TURN_URLS: turn.url, TURN_SECRET: secret, WEBRTC_ICE_TRANSPORT_POLICY: "relay" });
    instances.push(relayed);
    await test.step("coturn on loopback: a relay candidate, and a verdict that can connect", async () => {
      const consultation = await createConsultation(request);
      const { context, page } = await newCallPage(browser, { ...DESKTOP, baseURL: relayed.url });
      await openConsultation(page, `${relayed.url}${pathOf(consultation.patientUrl)}`, consultation.pin);
      const connection = page.getByTestId("connection-test");
      await expect(connection).not.toHaveAttribute("data-connection-verdict", "checking", { timeout: 30_000 });
      await expect(connection).toHaveAttribute("data-connection-relay", "gathered");
      await expectVerdictOfItsFindings(connection);
      await expect(connection).toContainText("relay server reached");
      await context.close();
    });

    // A TURN address nothing listens on (coturn stopped), and calls allowed through the relay only.
    const port = turn.port;
    await turn.stop();
    const unreachable = await startAppInstance({ TURN_URLS: `turn:127.0.0.1:${port}?transport=udp`, TURN_SECRET: secret, WEBRTC_ICE_TRANSPORT_POLICY: "relay" });
    instances.push(unreachable);
    await test.step("the relay out of reach: cannot connect, try another network; Join still works", async () => {
      const consultation = await createConsultation(request);
      const { context, page } = await newCallPage(browser, { ...DESKTOP, baseURL: unreachable.url });
      await openConsultation(page, `${unreachable.url}${pathOf(consultation.patientUrl)}`, consultation.pin);
      const connection = page.getByTestId("connection-test");
      await expect(connection).toHaveAttribute("data-connection-verdict", "cannot_connect", { timeout: 30_000 });
      await expect(connection).toHaveAttribute("data-connection-relay", "not_gathered");
      await expect(connection.getByRole("status")).toHaveText("Cannot connect: try another network");
      await expect(page.getByTestId("join-call")).toBeEnabled();
      await context.close();
    });
  } finally {
    await Promise.all(instances.map((i) => i.stop()));
    await turn.stop();
  }
});

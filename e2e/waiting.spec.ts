import { randomBytes, randomInt } from "node:crypto";
import { expect, test } from "@playwright/test";
import { checkPage, VIEWPORTS } from "./a11y";
import { startWebhookReceiver } from "./api";
import { createConsultation, joinCall, newCallPage, specDatabase } from "./call";
import { signIn, staff } from "./staff";

/**
 * The doctor knows who is waiting: a patient joins before the provider, and the provider's My
 * day (open, never reloaded) shows "Waiting since …" within 2 s, its minutes counting on in the
 * browser; the consultations table shows it too; the sound and the browser notification the
 * provider turned on go off (the permission asked only then); the provider's join clears it;
 * and the integrator's receiver gets `participant.waiting` once, with ids and no names.
 */

/** What My day's alerts did, recorded in the page: the Notification API and Web Audio stand-ins. */
const RECORD_ALERTS = `(() => {
  const alerts = { permissionAsked: 0, notifications: [], tones: 0 };
  window.__alerts = alerts;
  let permission = "default";
  window.Notification = class {
    static get permission() { return permission; }
    static async requestPermission() { alerts.permissionAsked++; permission = "granted"; return permission; }
    constructor(title, options) { alerts.notifications.push({ title, body: options && options.body }); }
    close() {}
  };
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) { alerts.tones++; return start.apply(this, args); };
})();`;

type Alerts = { permissionAsked: number; notifications: { title: string; body: string }[]; tones: number };

test("the provider's My day shows the patient waiting within 2 s of their join, live, with the alerts they turned on; the integrator gets participant.waiting with ids only", async ({ page, browser, request }) => {
  test.setTimeout(120_000); // a patient and then the provider join real calls in other browsers
  const receiver = await startWebhookReceiver(request, ["participant.waiting"]);
  try {
    const patientName = `Paciente Espera ${randomBytes(3).toString("hex")}`;
    const documentNumber = String(randomInt(1_000_000_000, 9_999_999_999));
    const consultation = await createConsultation(request, {
      patient: { documentType: "CC", documentNumber, name: patientName, phone: "+573001234567", email: "espera@example.com" },
    });
    const sql = specDatabase();
    const [row] = await sql<{ providerId: string }[]>`select provider_id as "providerId" from consultations where id = ${consultation.consultationId}`;
    await sql.end();
    const provider = await staff("provider", row!.providerId);

    await page.context().addInitScript(RECORD_ALERTS);
    await page.clock.install(); // the browser's clock runs as usual until the minutes are moved on below
    await signIn(page, provider.email);
    await expect(page).toHaveURL(/\/dashboard\/my-day$/);
    const alerts = () => page.evaluate(() => (window as unknown as { __alerts: Alerts }).__alerts);
    const item = page.getByRole("region", { name: "Today" }).getByRole("listitem").filter({ hasText: patientName });
    await expect(item).toContainText("Pending");
    await expect(item.getByTestId("waiting-since")).toHaveCount(0);

    // Both alerts start off; the notification permission is asked for only when they are turned on.
    const sound = page.getByRole("checkbox", { name: "Play a sound" });
    const notify = page.getByRole("checkbox", { name: "Show a browser notification" });
    await expect(sound).not.toBeChecked();
    await expect(notify).not.toBeChecked();
    expect((await alerts()).permissionAsked).toBe(0);
    await sound.focus();
    await page.keyboard.press("Space"); // by keyboard
    await expect(sound).toBeChecked();
    expect((await alerts()).tones).toBe(2); // the chime's preview: two tones
    await notify.click(); // checked once the browser has said yes
    await expect(notify).toBeChecked();
    expect((await alerts()).permissionAsked).toBe(1);
    // Remembered in this browser.
    expect(await page.evaluate(() => [localStorage.getItem("telemed.myDay.waitingSound"), localStorage.getItem("telemed.myDay.waitingNotification")])).toEqual(["on", "on"]);
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

    // The patient joins first.
    const patient = await newCallPage(browser);
    await joinCall(patient.page, consultation.patientUrl, consultation.pin);
    const joined = Date.now();
    const waiting = item.getByTestId("waiting-since");
    await expect(waiting).toBeVisible({ timeout: 2_000 });
    console.log(`My day showed the waiting patient ${Date.now() - joined} ms after the patient's call state was shown`);
    await expect(waiting).toHaveText(/^Waiting since \d{2}:\d{2} \(under 1 min\)$/);
    await expect(item).toContainText("In progress");
    await expect(page.getByRole("status").filter({ hasText: `${patientName} is waiting for you` })).toHaveCount(1);
    // The alerts went off: one chime (two tones more), one notification naming the patient.
    await expect.poll(async () => (await alerts()).tones).toBe(4);
    expect((await alerts()).notifications).toEqual([{ title: `${patientName} is waiting`, body: expect.stringMatching(/^In the call since \d{2}:\d{2}\. Open My day to join\.$/) }]);

    // The minutes count on in the browser, without a reload.
    await page.clock.fastForward("02:00");
    await expect(waiting).toHaveText(/\((2|3) min\)$/);
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);

    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport);
      await expect(waiting).toBeInViewport();
      await checkPage(page, `my-day-waiting-${device}`, { fullPage: false });
    }
    await page.setViewportSize(VIEWPORTS.desktop);

    // The consultations table says so too.
    const table = await (await browser.newContext()).newPage();
    await signIn(table, provider.email);
    await expect(table).toHaveURL(/\/dashboard\/my-day$/);
    await table.goto(`/dashboard/consultations?q=${encodeURIComponent(patientName)}`);
    const tableRow = table.getByRole("table").getByRole("row").filter({ hasText: patientName });
    await expect(tableRow.getByTestId("waiting-since")).toHaveText(/^Waiting since \d{2}:\d{2} \((under 1|\d+) min\)$/);
    await checkPage(table, "consultations-waiting-desktop");

    // The provider joins (from another browser): the wait is over on both pages, live.
    const doctor = await newCallPage(browser);
    await joinCall(doctor.page, consultation.providerUrl, consultation.pin);
    await expect(waiting).toHaveCount(0);
    await expect(tableRow.getByTestId("waiting-since")).toHaveCount(0);
    expect((await alerts()).notifications).toHaveLength(1);

    // The integrator heard of the wait once, by ids only.
    await expect.poll(() => receiver.received.filter((r) => r.data.consultationId === consultation.consultationId).length, { timeout: 20_000 }).toBe(1);
    const [sent] = receiver.received.filter((r) => r.data.consultationId === consultation.consultationId);
    expect(sent!.event).toBe("participant.waiting");
    expect(sent!.raw).not.toMatch(/name|document|pin|join\//i);
    expect(Object.keys(sent!.data).sort()).toEqual(["consultationId", "participant", "roomId", "waitingSince"]);
    expect(sent!.data.participant).toEqual({ participantId: expect.any(String), role: "patient" });
    for (const word of [...patientName.split(" "), "Martínez", documentNumber, consultation.pin]) expect(sent!.raw).not.toContain(word);

    await table.context().close();
    await doctor.context.close();
    await patient.context.close();
  } finally {
    await receiver.close();
  }
});

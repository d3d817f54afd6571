import { randomBytes, randomInt } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { sql } from "drizzle-orm";
import { connect } from "../db/client";
import { cancelConsultation } from "../lib/rooms/completion";
import { checkPage, VIEWPORTS } from "./a11y";
import { createConsultation, joinCall, newCallPage, pathOf, specDatabase } from "./call";
import { signIn, staff } from "./staff";

/**
 * What staff do with one consultation from the table (copy its links, show its PIN, cancel it,
 * end it) and a provider's own day, with Join straight into the call without the PIN.
 */

const patient = (name: string) => ({ documentType: "CC", documentNumber: String(randomInt(1_000_000_000, 9_999_999_999)), name, phone: "+573001234567", email: "p@example.com" });

async function openActions(page: Page, patientName: string) {
  await page.goto(`/dashboard/consultations?q=${encodeURIComponent(patientName)}`);
  const row = page.getByRole("table").getByRole("row").filter({ hasText: patientName });
  await row.locator("summary", { hasText: "Actions" }).click();
  return row;
}

async function statusOf(consultationId: string): Promise<string> {
  const sql = specDatabase();
  try {
    return (await sql<{ status: string }[]>`select status from consultations where id = ${consultationId}`)[0]!.status;
  } finally {
    await sql.end();
  }
}

async function auditActions(email: string, consultationId: string): Promise<string[]> {
  const sql = specDatabase();
  try {
    const rows = await sql<{ action: string }[]>`
      select action from audit_log where actor_label = ${email} and target_id = ${consultationId} order by id`;
    return rows.map((r) => r.action);
  } finally {
    await sql.end();
  }
}

test("a scheduler copies a consultation's links, shows its PIN and cancels it from the table; a call in progress is ended from there too", async ({ page, browser, request }) => {
  test.setTimeout(120_000); // a patient joins a real call in a second browser
  const scheduler = await staff("scheduler");
  const waitingName = `Paciente Cancelar ${randomBytes(3).toString("hex")}`;
  const waiting = await createConsultation(request, { patient: patient(waitingName) });
  const liveName = `Paciente Terminar ${randomBytes(3).toString("hex")}`;
  const live = await createConsultation(request, { patient: patient(liveName) });

  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, scheduler.email);
  await expect(page.getByRole("heading", { level: 1, name: "Consultations" })).toBeVisible();

  // On a phone the table is cards without column headers: sorting is in the filters.
  await page.setViewportSize(VIEWPORTS.phone);
  await page.getByLabel("Sort by").selectOption({ label: "Patient" });
  await page.getByLabel("Order").selectOption("asc");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/sort=patient&dir=asc/);
  await expect(page.getByLabel("Sort by")).toHaveValue("patient");
  await page.setViewportSize(VIEWPORTS.desktop);
  await expect(page.getByLabel("Sort by")).toBeHidden();

  // The row by its consultation: a namesake's row joins the table below.
  const row = (await openActions(page, waitingName)).filter({ has: page.locator(`a[href="/dashboard/consultations/${waiting.consultationId}"]`) });
  await row.getByRole("button", { name: "Copy patient link" }).click();
  await expect(row.getByRole("status").first()).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(waiting.patientUrl);
  await row.getByRole("button", { name: "Copy provider link" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(waiting.providerUrl);
  await expect(row).not.toContainText(waiting.pin);
  await row.getByRole("button", { name: "Show PIN" }).click();
  await expect(row).toContainText(waiting.pin);
  // A namesake's booking arrives while the menu is open: the table renders again live (two
  // rows now), and the open row keeps its links and the PIN it showed.
  await createConsultation(request, { patient: patient(waitingName) });
  await expect(page.getByText("1–2 of 2 consultations")).toBeVisible();
  await expect(row.locator("details")).toHaveAttribute("open", "");
  await expect(row).toContainText(waiting.pin);
  await expect(row.getByRole("button", { name: "Copy patient link" })).toBeVisible();
  await checkPage(page, "consultations-row-actions", { fullPage: false });

  // Cancelling asks first: dismissed, nothing changes.
  page.once("dialog", (dialog) => dialog.dismiss());
  await row.getByRole("button", { name: "Cancel consultation" }).click();
  await expect(row).toContainText("Pending");
  page.once("dialog", (dialog) => {
    expect(dialog.message()).toContain(waitingName);
    void dialog.accept();
  });
  await row.getByRole("button", { name: "Cancel consultation" }).click();
  await expect(row).toContainText("Expired");
  await page.goto(`/dashboard/consultations/${waiting.consultationId}`);
  await expect(page.getByRole("region", { name: "Timeline" }).getByRole("listitem")).toHaveText([/Consultation created$/, /Consultation cancelled by the clinic$/]);
  // The patient's link says so.
  const patientPage = await (await browser.newContext()).newPage();
  await patientPage.goto(pathOf(waiting.patientUrl));
  await expect(patientPage.getByRole("heading", { level: 1 })).toHaveText("This consultation was cancelled");
  await patientPage.context().close();

  // A call in progress: ended for everyone from the table; the patient's screen follows.
  const caller = await newCallPage(browser);
  await joinCall(caller.page, live.patientUrl, live.pin);
  await expect.poll(() => statusOf(live.consultationId), { timeout: 20_000 }).toBe("InProgress");
  const liveRow = await openActions(page, liveName);
  await expect(liveRow).toContainText("In progress");
  await expect(liveRow.getByRole("button", { name: "Cancel consultation" })).toHaveCount(0);
  page.once("dialog", (dialog) => void dialog.accept());
  await liveRow.getByRole("button", { name: "End consultation" }).click();
  await expect(liveRow).toContainText("Completed");
  await expect(caller.page.getByTestId("call-state")).toHaveCount(0);
  await expect(caller.page.getByTestId("call-over")).toContainText("The consultation has ended");
  await caller.context.close();

  // The table as it is filtered, downloaded as CSV; the export is audited.
  await page.goto(`/dashboard/consultations?q=${encodeURIComponent(liveName)}`);
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^consultations-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "").trimEnd().split("\r\n");
  expect(csv).toHaveLength(2);
  expect(csv[1]).toContain(`,Completed,Dr. Ana Martínez,${liveName},`);
  const sql = specDatabase();
  const [exported] = await sql<{ detail: { rows: number; filters: string } }[]>`
    select detail from audit_log where actor_label = ${scheduler.email} and action = 'export.consultations'`;
  await sql.end();
  expect(exported!.detail).toMatchObject({ rows: 1, filters: `q=${encodeURIComponent(liveName).replace(/%20/g, "+")}` });

  expect(await auditActions(scheduler.email, waiting.consultationId)).toEqual(["pin.viewed", "consultation.cancelled"]);
  expect(await auditActions(scheduler.email, live.consultationId)).toEqual(["consultation.ended"]);
});

test("a provider's day lists their consultations, and Join takes them into the call without the PIN", async ({ page, request }) => {
  const todayName = `Paciente Hoy ${randomBytes(3).toString("hex")}`;
  const today = await createConsultation(request, { patient: patient(todayName) });
  const sql = specDatabase();
  const [doctor] = await sql<{ id: string; documentNumber: string; timezone: string }[]>`
    select p.id, p.document_number as "documentNumber", o.timezone
    from consultations c join providers p on p.id = c.provider_id join organizations o on o.id = c.organization_id
    where c.id = ${today.consultationId}`;
  await sql.end();
  // Tomorrow at 09:00 in the clinic's timezone, with the same doctor.
  const tomorrow = new Intl.DateTimeFormat("en-CA", { timeZone: doctor!.timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(Date.now() + 86_400_000));
  const laterName = `Paciente Mañana ${randomBytes(3).toString("hex")}`;
  await createConsultation(request, {
    provider: { name: "Dr. Ana Martínez", documentType: "CC", documentNumber: doctor!.documentNumber, professionalType: "MedicoGeneral", phone: "+573009876543", email: "ana@example.com" },
    patient: patient(laterName),
    scheduledAt: `${tomorrow} 09:00`,
  });
  const someoneElses = `Paciente Ajeno ${randomBytes(3).toString("hex")}`;
  await createConsultation(request, { patient: patient(someoneElses) });

  const provider = await staff("provider", doctor!.id);
  await signIn(page, provider.email);
  await expect(page).toHaveURL(/\/dashboard\/my-day$/);
  await expect(page.getByRole("heading", { level: 1, name: "My day" })).toBeVisible();
  const todayList = page.getByRole("region", { name: "Today" });
  const nextDays = page.getByRole("region", { name: "Next days" });
  await expect(todayList.getByRole("listitem").filter({ hasText: todayName })).toContainText("Pending");
  await expect(nextDays.getByRole("listitem").filter({ hasText: laterName })).toContainText("Opens at 08:45");
  await expect(nextDays.getByRole("button", { name: /Join/ })).toHaveCount(0);
  await expect(page.getByText(someoneElses)).toHaveCount(0);
  for (const [device, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    await checkPage(page, `my-day-${device}`, { fullPage: true });
  }

  await todayList.getByRole("button", { name: `Join the call with ${todayName}` }).click();
  await expect(page).toHaveURL(new RegExp(`${pathOf(today.providerUrl).replace(/[?]/g, "\\?")}$`));
  await expect(page.getByLabel("6-digit PIN")).toHaveCount(0);
  const join = page.getByTestId("join-call");
  await expect(join).toBeEnabled();
  await join.click();
  await expect(page.getByTestId("call-state")).toBeVisible();

  await expect.poll(() => statusOf(today.consultationId), { timeout: 20_000 }).toBe("InProgress");
});

test("the table catches up after the network comes back: a change made while it was cut shows without a reload", async ({ page, request }) => {
  const scheduler = await staff("scheduler");
  const name = `Paciente Sin Red ${randomBytes(3).toString("hex")}`;
  const consultation = await createConsultation(request, { patient: patient(name) });
  await signIn(page, scheduler.email);
  await expect(page.getByRole("heading", { level: 1, name: "Consultations" })).toBeVisible();
  await page.goto(`/dashboard/consultations?q=${encodeURIComponent(name)}`);
  const row = page.getByRole("table").getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Pending");
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

  await page.context().setOffline(true);
  // Someone else cancels it meanwhile (the domain function, on the app's database).
  const db = connect(process.env.E2E_SPEC_DATABASE_URL!, { max: 1 });
  try {
    const [row] = await db.execute<{ organization_id: string }>(sql`select organization_id from consultations where id = ${consultation.consultationId}`);
    await cancelConsultation(db, row!.organization_id, consultation.consultationId, new Date());
  } finally {
    await db.$client.end();
  }
  await page.waitForTimeout(1_000); // the cancellation's NOTIFY goes out while this page cannot hear it
  await expect(row).toContainText("Pending");
  await page.context().setOffline(false);
  await expect(row).toContainText("Expired", { timeout: 20_000 }); // EventSource retries within a few seconds
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
});

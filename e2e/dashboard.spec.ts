import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { checkPage, VIEWPORTS } from "./a11y";
import { otherClinicConsultation, signIn, staff } from "./staff";
import { createConsultation, joinCall, newCallPage, specDatabase } from "./call";

/**
 * The clinic dashboard on the production build: staff sign in with a password, see what their
 * role allows, find consultations, and are signed out when idle.
 */

test("item 8: a guesser's browser is made to wait, and told how long; the owner's known browser signs straight in and is told of the attempts", async ({ browser }) => {
  test.slow(); // eight sign-ins, each a deliberately slow password check
  const owner = await staff("scheduler");
  const ownerContext = await browser.newContext();
  const guesserContext = await browser.newContext();
  try {
    const ownerPage = await ownerContext.newPage();
    await signIn(ownerPage, owner.email);
    await expect(ownerPage).toHaveURL(/\/dashboard\/consultations$/);
    // The browser is now known for this account: a signed cookie scripts cannot read.
    const device = (await ownerContext.cookies()).find((c) => c.name === "staff_device");
    expect(device).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(device!.expires * 1000 - Date.now()).toBeGreaterThan(90 * 86_400_000);
    await ownerPage.getByRole("button", { name: "Sign out" }).click();
    await expect(ownerPage).toHaveURL(/\/signin\?reason=signed_out$/);

    const page = await guesserContext.newPage();
    for (let i = 0; i < 5; i++) {
      await signIn(page, owner.email, `wrong guess number ${i}`);
      await expect(page.locator("#signin-error")).toHaveText("That email and password do not match an active staff account.");
    }
    await signIn(page, owner.email, "wrong guess number 5");
    const wait = /^Too many failed attempts\. For your security, wait \d+ seconds before trying again\.$/;
    await expect(page.locator("#signin-error")).toHaveText(wait);
    await expect(page.getByRole("button", { name: /^Sign in \(wait \d+ s\)$/ })).toBeDisabled();
    await checkPage(page, "signin-wait");
    // In the guesser's browser even the right password waits: nothing was checked.
    await signIn(page, owner.email);
    await expect(page.locator("#signin-error")).toHaveText(wait);
    await expect(page).toHaveURL(/\/signin$/);
    // Posted straight to Auth.js (no JavaScript), the refusal comes back as a code the page words alike.
    await page.goto("/signin?error=CredentialsSignin&code=rate_limited");
    await expect(page.getByRole("main").getByRole("alert").first()).toHaveText("Too many failed attempts. For your security, wait a few minutes before trying again.");

    // The owner's browser is not slowed, and the dashboard says what happened.
    await signIn(ownerPage, owner.email);
    await expect(ownerPage).toHaveURL(/\/dashboard\/consultations$/);
    const notice = ownerPage.getByTestId("sign-in-notice");
    await expect(notice).toContainText("7 failed sign-in attempts for your account since your last sign-in (the last");
    await checkPage(ownerPage, "dashboard-sign-in-notice");
    await notice.getByRole("button", { name: "Dismiss" }).click();
    await expect(notice).toHaveCount(0);
    await ownerPage.reload();
    await expect(ownerPage.getByTestId("sign-in-notice")).toHaveCount(0);
  } finally {
    await ownerContext.close();
    await guesserContext.close();
  }
});

test("an admin signs in, finds a consultation with the filters kept in the URL, and reads the audit log", async ({ page, request }) => {
  const admin = await staff("admin");
  const patientName = `Paciente ${randomBytes(3).toString("hex")}`;
  const consultation = await createConsultation(request, {
    patient: { documentType: "CC", documentNumber: String(Date.now()).slice(-10), name: patientName, phone: "+573001234567", email: "p@example.com" },
  });

  await signIn(page, admin.email, "not the password");
  await expect(page.locator("#signin-error")).toHaveText("That email and password do not match an active staff account.");
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Email")).toHaveValue(admin.email);

  await signIn(page, admin.email);
  await expect(page).toHaveURL(/\/dashboard\/consultations$/);
  await expect(page.getByRole("heading", { level: 1, name: "Consultations" })).toBeVisible();
  await expect(page.getByRole("banner")).toContainText(admin.name);

  await page.getByLabel("Pending").check();
  await page.getByLabel("Patient").fill(patientName);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`status=Pending.*q=${encodeURIComponent(patientName).replace(/%20/g, "\\+")}`));
  const table = page.getByRole("table");
  await expect(table.getByRole("row")).toHaveCount(2); // the header and our consultation
  await expect(table).toContainText(patientName);
  await expect(table).toContainText("Pending");
  await expect(page.getByText("1–1 of 1 consultation ·")).toBeVisible();

  // The URL is the state: opening it again shows the same table.
  await page.reload();
  await expect(page.getByLabel("Patient")).toHaveValue(patientName);
  await expect(page.getByRole("table")).toContainText(patientName);

  // Sorting by provider is a link that changes the URL.
  await page.getByRole("columnheader", { name: /Provider/ }).getByRole("link").click();
  await expect(page).toHaveURL(/sort=provider/);
  await expect(page.getByRole("columnheader", { name: /Provider/ })).toHaveAttribute("aria-sort", "ascending");

  // The consultation itself: what it is, its links and PIN, and what happened so far.
  await page.getByRole("link", { name: /now$/ }).first().click();
  await expect(page).toHaveURL(`/dashboard/consultations/${consultation.consultationId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(patientName);
  await expect(page.getByRole("region", { name: "Consultation" })).toContainText("Consulta general"); // the type's name, not its code
  await expect(page.getByRole("region", { name: "Timeline" }).getByRole("listitem")).toHaveText([/Consultation created$/]);
  await page.getByText("Show PIN").click();
  await expect(page.getByRole("region", { name: "Links and PIN" })).toContainText(consultation.pin);
  await expect(page.getByRole("region", { name: "Links and PIN" })).toContainText(consultation.patientUrl);

  // Another clinic's consultation, by its id in the URL: not found, not "forbidden".
  const other = await otherClinicConsultation(request);
  expect((await page.goto(`/dashboard/consultations/${other}`))?.status()).toBe(404);
  expect((await page.goto("/dashboard/consultations/not-a-uuid"))?.status()).toBe(404);

  await page.goto("/dashboard/consultations");
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  const audit = page.getByRole("table");
  await expect(audit.getByRole("row").filter({ hasText: "Sign-in failed" }).filter({ hasText: admin.email })).toHaveCount(1);
  await expect(audit.getByRole("row").filter({ hasText: "Signed in" }).filter({ hasText: admin.email }).first()).toBeVisible();
  // Showing the PIN was logged against the consultation, and the entry links to it.
  await audit.getByRole("row").filter({ hasText: admin.email }).getByRole("link", { name: `Consultation ${consultation.consultationId}` }).first().click();
  await expect(page).toHaveURL(`/dashboard/consultations/${consultation.consultationId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(patientName);
});

test("an admin creates a consultation with the form: inline errors first, then the links and PIN, then finds it with the filters and opens it", async ({ page }) => {
  const admin = await staff("admin");
  await signIn(page, admin.email);
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "New consultation" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New consultation" })).toBeVisible();

  // A specialist: the specialty is asked for (prefilled with theirs); emptied, it is refused.
  await expect(page.getByLabel("Specialty")).toHaveCount(0);
  await page.getByLabel("Provider").selectOption({ label: "Dr. Juan Pérez · Médico Especialista" });
  await expect(page.getByLabel("Specialty")).toBeVisible();
  await page.getByLabel("Specialty").selectOption("");
  const patientName = `Paciente Formulario ${randomBytes(3).toString("hex")}`;
  const documentNumber = String(Date.now()).slice(-10);
  await page.getByLabel("Document number").fill(documentNumber);
  await page.getByLabel("Full name").fill(patientName);
  await page.getByLabel("Phone").fill("3001234"); // no country code
  await page.getByLabel("Email").fill("paciente@example.com");
  await page.getByRole("button", { name: "Create consultation" }).click();

  await expect(page.getByRole("main").getByRole("alert")).toContainText("Some fields need attention");
  await expect(page.getByLabel("Phone")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Phone must be a valid phone number in international format, e.g. +573001234567")).toBeVisible();
  await expect(page.getByLabel("Specialty")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Specialty is required for a specialist")).toBeVisible();
  await expect(page.getByLabel("Full name")).toHaveValue(patientName); // nothing typed is lost

  await page.getByLabel("Specialty").selectOption({ label: "Cardiología" });
  await page.getByLabel("Phone").fill("+573001234567");
  await page.getByRole("button", { name: "Create consultation" }).click();
  await expect(page.getByRole("heading", { name: "Consultation created" })).toBeVisible();
  await expect(page.getByTestId("created-pin")).toHaveText(/^\d{6}$/);
  await expect(page.getByText(/\/join\/.+type=patient/)).toBeVisible();

  await page.getByRole("link", { name: "Open the consultation" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(patientName);
  await expect(page.getByRole("region", { name: "Consultation" })).toContainText("Dr. Juan Pérez");
  // Back in the table: found with the filters, and opened from there.
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Consultations" }).click();
  await page.getByLabel("Pending").check();
  await page.getByLabel("Patient").fill(documentNumber);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`status=Pending.*q=${documentNumber}`));
  const row = page.getByRole("table").getByRole("row").filter({ hasText: patientName });
  await expect(row).toContainText("Dr. Juan Pérez");
  await row.getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(patientName);
});

test("the consultations table and the detail show a join as it happens, without a reload", async ({ page, browser, request }) => {
  test.setTimeout(90_000); // a patient joins a real call in a second browser
  const admin = await staff("admin");
  const patientName = `Paciente En Vivo ${randomBytes(3).toString("hex")}`;
  const consultation = await createConsultation(request, {
    patient: { documentType: "CC", documentNumber: String(Date.now()).slice(-10), name: patientName, phone: "+573001234567", email: "p@example.com" },
  });
  await signIn(page, admin.email);
  await expect(page.getByRole("heading", { level: 1, name: "Consultations" })).toBeVisible();
  await page.goto(`/dashboard/consultations?q=${encodeURIComponent(patientName)}`);
  const row = page.getByRole("table").getByRole("row").filter({ hasText: patientName });
  await expect(row).toContainText("Pending");
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

  const patient = await newCallPage(browser);
  await joinCall(patient.page, consultation.patientUrl, consultation.pin);
  await expect(row).toContainText("In progress");
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true); // no reload

  // The detail's timeline follows too.
  await page.goto(`/dashboard/consultations/${consultation.consultationId}`);
  const timeline = page.getByRole("region", { name: "Timeline" }).getByRole("listitem");
  await expect(timeline).toHaveText([/Consultation created$/, /Patient joined: the session started$/]);
  await patient.page.getByTestId("end-call").click(); // the patient leaves
  await expect(timeline).toHaveText([/Consultation created$/, /Patient joined: the session started$/, /Patient left/]);
  await patient.context.close();
});

test("a scheduler cannot open the audit log, and a provider sees only their own consultations", async ({ browser, request }) => {
  const scheduler = await staff("scheduler");
  const schedulerPage = await (await browser.newContext()).newPage();
  await signIn(schedulerPage, scheduler.email);
  await expect(schedulerPage.getByRole("heading", { level: 1, name: "Consultations" })).toBeVisible();
  await expect(schedulerPage.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Audit log" })).toHaveCount(0);
  const refused = await schedulerPage.goto("/dashboard/audit");
  expect(refused?.status()).toBe(403);
  await expect(schedulerPage.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  await checkPage(schedulerPage, "dashboard-forbidden");
  expect((await schedulerPage.goto("/dashboard/settings"))?.status()).toBe(403);

  // A provider of the demo clinic with a consultation of their own, and one of another provider.
  const mine = await createConsultation(request);
  const sql = specDatabase();
  const [row] = await sql<{ providerId: string }[]>`select provider_id as "providerId" from consultations where id = ${mine.consultationId}`;
  const providerId = row!.providerId;
  await sql.end();
  const theirs = await createConsultation(request);
  const sql2 = specDatabase();
  const [other] = await sql2<{ providerId: string }[]>`select provider_id as "providerId" from consultations where id = ${theirs.consultationId}`;
  await sql2.end();
  const provider = await staff("provider", providerId);
  const providerPage = await (await browser.newContext()).newPage();
  await signIn(providerPage, provider.email);
  await expect(providerPage).toHaveURL(/\/dashboard\/my-day$/);
  await providerPage.goto("/dashboard/consultations");
  await expect(providerPage.getByRole("heading", { level: 1, name: "My consultations" })).toBeVisible();
  const rows = providerPage.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(2);
  await expect(providerPage.locator(`a[href="/dashboard/consultations/${mine.consultationId}"]`)).toHaveCount(1);
  await expect(providerPage.locator(`a[href="/dashboard/consultations/${theirs.consultationId}"]`)).toHaveCount(0);
  // Asking for another provider's consultations in the URL shows none of them.
  await providerPage.goto(`/dashboard/consultations?provider=${other!.providerId}`);
  await expect(providerPage.getByText("No consultations match these filters.")).toBeVisible();
  await expect(providerPage.locator(`a[href="/dashboard/consultations/${theirs.consultationId}"]`)).toHaveCount(0);
  expect((await providerPage.goto("/dashboard/audit"))?.status()).toBe(403);
  // Their own consultation opens; another provider's reads as not found.
  expect((await providerPage.goto(`/dashboard/consultations/${mine.consultationId}`))?.status()).toBe(200);
  await expect(providerPage.getByRole("region", { name: "Links and PIN" })).toHaveCount(0);
  expect((await providerPage.goto(`/dashboard/consultations/${theirs.consultationId}`))?.status()).toBe(404);
});

test("an idle session signs out after 15 minutes, with a warning a minute before (on the browser's clock)", async ({ page }) => {
  const admin = await staff("admin");
  await page.clock.install();
  await signIn(page, admin.email);
  await expect(page.getByRole("heading", { level: 1, name: "Consultations" })).toBeVisible();

  await page.clock.fastForward("14:01");
  const warning = page.getByRole("alertdialog", { name: "Still there?" });
  await expect(warning).toBeVisible();
  await expect(warning.getByRole("button", { name: "Stay signed in" })).toBeFocused();
  await page.clock.fastForward("01:00");
  await expect(page).toHaveURL(/\/signin\?reason=idle$/);
  await expect(page.getByRole("status")).toHaveText("You were signed out after a period without activity. Sign in again to continue.");

  // The server ended the session too: the dashboard asks for a sign-in again.
  await page.goto("/dashboard/consultations");
  await expect(page).toHaveURL(/\/signin$/);
  const sql = specDatabase();
  const audit = await sql<{ action: string }[]>`
    select a.action from audit_log a join users u on u.id = a.actor_user_id where lower(u.email) = ${admin.email} order by a.id`;
  await sql.end();
  expect(audit.map((a) => a.action)).toEqual(["staff.signed_in", "staff.idle_signed_out"]);
});

test("signing out ends the session on the server: the old cookie no longer opens the dashboard", async ({ page, context }) => {
  const admin = await staff("scheduler");
  await signIn(page, admin.email);
  await expect(page.getByRole("heading", { level: 1, name: "Consultations" })).toBeVisible();
  const cookies = await context.cookies();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin\?reason=signed_out$/);
  await context.addCookies(cookies); // a copy taken before signing out
  await page.goto("/dashboard/consultations");
  await expect(page).toHaveURL(/\/signin$/);
  // Nor the live stream, which answers in the error envelope.
  const stream = await page.request.get("/dashboard/events");
  expect(stream.status()).toBe(401);
  expect((await stream.json()).error.code).toBe("unauthenticated");
});

for (const [device, viewport] of Object.entries(VIEWPORTS)) {
  test(`dashboard pages on ${device}: accessible, fitting the screen`, async ({ browser, request }) => {
    await createConsultation(request);
    const admin = await staff("admin");
    const options = device === "phone" ? { viewport, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : { viewport };
    const page = await (await browser.newContext(options)).newPage();
    await page.goto("/signin");
    await checkPage(page, `dashboard-${device}-signin`);
    await signIn(page, admin.email);
    await expect(page.getByRole("heading", { level: 1, name: "Consultations" })).toBeVisible();
    await checkPage(page, `dashboard-${device}-consultations`, { fullPage: true });
    await page.getByRole("table").getByRole("link", { name: /now$/ }).first().click();
    await expect(page.getByRole("heading", { name: "Timeline" })).toBeVisible();
    await checkPage(page, `dashboard-${device}-consultation`, { fullPage: true });
    await page.goto("/dashboard/audit");
    await checkPage(page, `dashboard-${device}-audit`, { fullPage: true });
    await page.goto("/dashboard/consultations/new");
    await page.getByLabel("Provider").selectOption({ label: "Dr. Juan Pérez · Médico Especialista" });
    await page.getByLabel("Scheduled").check();
    await page.getByRole("button", { name: "Create consultation" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toBeVisible();
    await checkPage(page, `dashboard-${device}-new-consultation-errors`, { fullPage: true });
  });
}

import { randomBytes } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { connect } from "../db/client";
import { createOrganization } from "../lib/organizations";
import { createStaffMember, inviteStaffMember } from "../lib/staff";
import { checkPage, VIEWPORTS } from "./a11y";
import { specDatabase } from "./call";
import { PASSWORD, signIn } from "./staff";

/**
 * Settings on the production build: an admin edits the organization's profile and manages its
 * staff; an invited person sets their password from the link. Each test makes a clinic of its
 * own, so the demo clinic's name and timezone (which other specs read) never change.
 */

const NEW_PASSWORD = "three unrelated words";

type Clinic = { organizationId: string; name: string; admin: { email: string; name: string } };

/** A clinic of its own; English unless the test says otherwise (createOrganization's default is Spanish). */
async function newClinic(language: "en" | "es" = "en"): Promise<Clinic> {
  const db = connect(process.env.E2E_SPEC_DATABASE_URL!, { max: 1 });
  try {
    const suffix = randomBytes(3).toString("hex");
    const organization = await createOrganization(db, { name: `Clínica Ajustes ${suffix}`, timezone: "America/Bogota", language });
    const admin = { email: `admin-${suffix}@settings.example`, name: `Admin ${suffix}` };
    await createStaffMember(db, organization.id, { ...admin, role: "admin", password: PASSWORD });
    return { organizationId: organization.id, name: organization.name, admin };
  } finally {
    await db.$client.end();
  }
}

/** A set-password link made directly (as the invite form would), optionally as if sent `hoursAgo`. */
async function invitationLink(clinic: Clinic, person: { email: string; name: string }, hoursAgo = 0): Promise<string> {
  const db = connect(process.env.E2E_SPEC_DATABASE_URL!, { max: 1 });
  try {
    const now = new Date(Date.now() - hoursAgo * 3_600_000);
    const invitation = await inviteStaffMember(db, { organizationId: clinic.organizationId, appUrl: "http://app.example", now, mailer: () => {} }, { ...person, role: "scheduler" });
    const url = new URL(invitation.link);
    return `${url.pathname}${url.search}`;
  } finally {
    await db.$client.end();
  }
}

async function addProvider(clinic: Clinic, name: string): Promise<void> {
  const sql = specDatabase();
  try {
    await sql`insert into providers (organization_id, name, document_type, document_number, professional_type, phone, email)
      values (${clinic.organizationId}, ${name}, 'CC', ${String(Date.now()).slice(-10)}, 'MedicoGeneral', '+573001112233', 'doc@settings.example')`;
  } finally {
    await sql.end();
  }
}

async function signedIn(browser: Browser, email: string, password = PASSWORD, options = {}): Promise<Page> {
  const page = await (await browser.newContext(options)).newPage();
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/dashboard\//);
  return page;
}

test("an admin renames the organization and changes its timezone: the header and the times follow", async ({ browser }) => {
  // A Spanish-speaking clinic whose admin reads the dashboard in English (their own choice,
  // the NEXT_LOCALE cookie, wins over the clinic's language), so the clinic's language can change from es to en.
  const clinic = await newClinic("es");
  const page = await signedIn(browser, clinic.admin.email);
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: "en", url: page.url() }]);
  await page.reload();
  await expect(page.getByRole("banner")).toContainText(clinic.name);
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Organization" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Organization" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByLabel("Organization name")).toHaveValue(clinic.name);
  await expect(page.getByLabel("Timezone")).toHaveValue("America/Bogota");
  await expect(page.getByRole("main").getByLabel("Language")).toHaveValue("es");

  // Wrong values are named next to their fields, and nothing typed is lost.
  await page.getByLabel("Organization name").fill(" ");
  await page.getByLabel("Logo address").fill("http://clinic.example/logo.png");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Some fields need attention; each one says what is wrong.");
  await expect(page.getByLabel("Organization name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Organization name must be at least 2 characters")).toBeVisible();
  await expect(page.getByLabel("Logo address")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Logo address must be an https:// address of an image")).toBeVisible();
  await expect(page.getByLabel("Logo address")).toHaveValue("http://clinic.example/logo.png");
  await expect(page.getByRole("banner")).toContainText(clinic.name);
  // An https address is previewed; one with no image says so.
  await page.getByLabel("Logo address").fill("https://logo.invalid/logo.png");
  await expect(page.getByText("No image could be loaded from this address. Check it in a new tab.")).toBeVisible();

  const renamed = `${clinic.name} Norte`;
  await page.getByLabel("Organization name").fill(renamed);
  await page.getByLabel("Timezone").selectOption("Asia/Tokyo");
  await page.getByRole("main").getByLabel("Language").selectOption("en");
  await page.getByLabel("Logo address").fill("");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toHaveText("Saved: name, timezone, language changed.");
  await expect(page.getByLabel("Organization name")).not.toHaveAttribute("aria-invalid");
  // The header shows the new name without a reload.
  await expect(page.getByRole("banner")).toContainText(renamed);

  // The next page shows its times in the new timezone, and the audit log says what changed.
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByText(/entries · times in Asia\/Tokyo/)).toBeVisible();
  const entry = page.getByRole("table").getByRole("row").filter({ hasText: "Organization profile changed" });
  await expect(entry).toHaveCount(1);
  // (jsonb keeps "to" before "from")
  await expect(entry).toContainText(`name: {"to":"${renamed}","from":"${clinic.name}"}`);
  await expect(entry).toContainText(`timezone: {"to":"Asia/Tokyo","from":"America/Bogota"}`);

  // Saved for good: the form shows it after a reload; saving again changes nothing.
  await page.goto("/dashboard/settings");
  await expect(page.getByLabel("Organization name")).toHaveValue(renamed);
  await expect(page.getByLabel("Timezone")).toHaveValue("Asia/Tokyo");
  await expect(page.getByRole("main").getByLabel("Language")).toHaveValue("en");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Nothing to save" })).toBeVisible();
});

test("an admin invites a scheduler, who sets a password from the link, signs in, has no settings, and is signed out when deactivated", async ({ browser }) => {
  test.setTimeout(90_000);
  const clinic = await newClinic();
  const admin = await signedIn(browser, clinic.admin.email);
  await admin.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await admin.goto("/dashboard/settings/staff");
  await expect(admin.getByRole("heading", { level: 1, name: "Staff" })).toBeVisible();
  const adminRow = admin.getByRole("table").getByRole("row").filter({ hasText: clinic.admin.email });
  await expect(adminRow).toContainText("(you)");
  await expect(adminRow).toContainText("Your own account"); // no buttons to demote or deactivate oneself

  // An email already in use is named on its field.
  await admin.getByLabel("Email").fill(clinic.admin.email.toUpperCase());
  await admin.getByLabel("Full name").fill("Otra Persona");
  await admin.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(admin.getByText("Email is already used by a staff account")).toBeVisible();
  await expect(admin.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");

  const suffix = randomBytes(3).toString("hex");
  const scheduler = { email: `sofia-${suffix}@settings.example`, name: `Sofía Agenda ${suffix}` };
  await admin.getByLabel("Email").fill(scheduler.email);
  await admin.getByLabel("Full name").fill(scheduler.name);
  await expect(admin.getByRole("radio", { name: /^Scheduler/ })).toBeChecked();
  await admin.getByRole("button", { name: "Invite", exact: true }).click();
  const shown = admin.getByRole("region", { name: `${scheduler.name} is invited` });
  await expect(shown).toContainText(`Send this link to ${scheduler.name} (${scheduler.email}) yourself`);
  const link = (await shown.getByTestId("invitation-link").textContent())!;
  expect(link).toMatch(/\/signin\/set-password\?token=[A-Za-z0-9_-]{43}$/);
  await shown.getByRole("button", { name: "Copy link" }).click();
  await expect(shown.getByRole("status")).toHaveText("Copied");
  const copied = await admin.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(link);
  const row = admin.getByRole("table").getByRole("row").filter({ hasText: scheduler.email });
  await expect(row).toContainText("Invited");
  await expect(row).toContainText("Link works until");
  await expect(row).toContainText("Never");

  // The person opens the link in their own browser.
  const person = await (await browser.newContext()).newPage();
  await person.goto(copied);
  await expect(person.getByRole("heading", { level: 1, name: "Set your password" })).toBeVisible();
  await expect(person.getByRole("main")).toContainText(scheduler.email);
  await person.getByLabel("New password").fill("short");
  await person.getByLabel("Repeat the password").fill("short");
  await person.getByRole("button", { name: "Set password" }).click();
  await expect(person.getByText("New password must be at least 12 characters")).toBeVisible();
  await expect(person.getByLabel("New password")).toHaveAttribute("aria-invalid", "true");
  await person.getByLabel("New password").fill(NEW_PASSWORD);
  await person.getByLabel("Repeat the password").fill(NEW_PASSWORD);
  await person.getByRole("button", { name: "Set password" }).click();
  await expect(person).toHaveURL(/\/signin\?reason=password_set$/);
  await expect(person.getByRole("status")).toHaveText("Your password is set. Sign in with your email and your new password.");
  await signIn(person, scheduler.email, NEW_PASSWORD);
  await expect(person.getByRole("heading", { level: 1, name: "Consultations" })).toBeVisible();
  await expect(person.getByRole("banner")).toContainText(scheduler.name);

  // A scheduler has no settings: no link, and 403 when typed in.
  await expect(person.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Settings" })).toHaveCount(0);
  for (const path of ["/dashboard/settings", "/dashboard/settings/staff"]) {
    expect((await person.goto(path))?.status(), path).toBe(403);
    await expect(person.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  }
  // The link was used up.
  const fresh = await (await browser.newContext()).newPage();
  await fresh.goto(copied);
  await expect(fresh.getByRole("heading", { level: 1, name: "This link does not work" })).toBeVisible();
  await person.goto("/dashboard/consultations");
  await expect(person.getByRole("heading", { level: 1, name: "Consultations" })).toBeVisible();

  // The admin sees them active, and deactivates them after confirming.
  await admin.reload();
  await expect(row).toContainText("Active");
  await expect(row).not.toContainText("Never");
  await row.getByRole("button", { name: `Deactivate ${scheduler.name}` }).click();
  const confirm = admin.getByRole("dialog", { name: `Deactivate ${scheduler.name}?` });
  await expect(confirm).toContainText("signed out at once");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText("Active");
  await row.getByRole("button", { name: `Deactivate ${scheduler.name}` }).click();
  await confirm.getByRole("button", { name: "Deactivate", exact: true }).click();
  await expect(admin.getByRole("status").filter({ hasText: "deactivated" })).toHaveText(`${scheduler.name} is deactivated and was signed out everywhere.`);
  await expect(row).toContainText("Deactivated");
  await expect(row.getByRole("button", { name: `Reactivate ${scheduler.name}` })).toBeVisible();

  // The scheduler's open page: their next click lands on the sign-in page.
  await person.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "New consultation" }).click();
  await expect(person).toHaveURL(/\/signin/);
  await signIn(person, scheduler.email, NEW_PASSWORD);
  await expect(person.locator("#signin-error")).toHaveText("That email and password do not match an active staff account.");

  const sql = specDatabase();
  const audit = await sql<{ action: string; actor: string }[]>`
    select a.action, a.actor_label as actor from audit_log a join users u on u.id::text = a.target_id or u.id = a.actor_user_id
    where lower(u.email) = ${scheduler.email} and a.action not like '%sign_in_failed' order by a.id`;
  await sql.end();
  expect(audit).toEqual([
    { action: "staff.invited", actor: clinic.admin.email },
    { action: "staff.password_set", actor: scheduler.email },
    { action: "staff.signed_in", actor: scheduler.email },
    { action: "staff.deactivated", actor: clinic.admin.email },
  ]);
});

test("an admin changes a role in a dialog (the provider role names a provider) and re-sends an invitation; old and expired links say so", async ({ browser }) => {
  const clinic = await newClinic();
  await addProvider(clinic, "Dra. Elena Ruiz");
  const suffix = randomBytes(3).toString("hex");
  const colleague = { email: `marco-${suffix}@settings.example`, name: `Marco Turnos ${suffix}` };
  const db = connect(process.env.E2E_SPEC_DATABASE_URL!, { max: 1 });
  await createStaffMember(db, clinic.organizationId, { ...colleague, role: "scheduler", password: PASSWORD });
  await db.$client.end();
  const waiting = { email: `lucia-${suffix}@settings.example`, name: `Lucía Espera ${suffix}` };
  const oldLink = await invitationLink(clinic, waiting);
  const late = { email: `tarde-${suffix}@settings.example`, name: `Tarde ${suffix}` };
  const expiredLink = await invitationLink(clinic, late, 73);

  const admin = await signedIn(browser, clinic.admin.email);
  await admin.goto("/dashboard/settings/staff");
  const row = admin.getByRole("table").getByRole("row").filter({ hasText: colleague.email });
  await row.getByRole("button", { name: `Change role ${colleague.name}` }).click();
  const dialog = admin.getByRole("dialog", { name: `Change the role of ${colleague.name}` });
  await dialog.getByRole("radio", { name: /^Provider/ }).check();
  await dialog.getByRole("button", { name: "Save role" }).click();
  await expect(dialog.getByText("Provider is required for the provider role")).toBeVisible();
  await expect(dialog.getByLabel("Provider", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await dialog.getByLabel("Provider", { exact: true }).selectOption({ label: "Dra. Elena Ruiz" });
  await dialog.getByRole("button", { name: "Save role" }).click();
  await expect(dialog).toBeHidden();
  await expect(admin.getByRole("status").filter({ hasText: "is now" })).toHaveText(`${colleague.name} is now provider (was scheduler).`);
  await expect(row).toContainText("Dra. Elena Ruiz");

  // An invited person who has not set a password: a new link, and the old one stops working.
  const waitingRow = admin.getByRole("table").getByRole("row").filter({ hasText: waiting.email });
  await expect(waitingRow).toContainText("Invited");
  await waitingRow.getByRole("button", { name: `Re-send invite ${waiting.name}` }).click();
  const shown = admin.getByRole("region", { name: `New link for ${waiting.name}` });
  await expect(shown).toBeVisible();
  const newLink = (await shown.getByTestId("invitation-link").textContent())!;
  expect(newLink).not.toContain(oldLink);
  await expect(admin.getByRole("table").getByRole("row").filter({ hasText: late.email })).toContainText("Link expired");

  const person = await (await browser.newContext()).newPage();
  for (const dead of [oldLink, expiredLink, "/signin/set-password?token=not-a-real-token", "/signin/set-password"]) {
    const response = await person.goto(dead);
    expect(response?.status(), dead).toBe(200);
    await expect(person.getByRole("heading", { level: 1, name: "This link does not work" })).toBeVisible();
    await expect(person.getByRole("main")).toContainText("Ask your clinic's admin to send you a new link");
  }
  await person.goto(newLink);
  await expect(person.getByRole("heading", { level: 1, name: "Set your password" })).toBeVisible();
  await expect(person.getByRole("main")).toContainText(waiting.email);
});

for (const [device, viewport] of Object.entries(VIEWPORTS)) {
  test(`settings pages on ${device}: accessible, fitting the screen`, async ({ browser }) => {
    const clinic = await newClinic();
    const options = device === "phone" ? { viewport, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : { viewport };
    const link = await invitationLink(clinic, { email: `a11y-${randomBytes(3).toString("hex")}@settings.example`, name: "Persona Invitada" });
    const page = await signedIn(browser, clinic.admin.email, PASSWORD, options);

    await page.goto("/dashboard/settings");
    await page.getByLabel("Logo address").fill("ftp://clinic.example/logo.png");
    await page.getByRole("button", { name: "Save profile" }).click();
    await expect(page.getByText("Logo address must be an https:// address")).toBeVisible();
    await checkPage(page, `settings-${device}-organization`, { fullPage: true });

    await page.goto("/dashboard/settings/staff");
    await page.getByRole("radio", { name: /^Provider/ }).check();
    await expect(page.getByLabel("Provider", { exact: true })).toBeVisible();
    await checkPage(page, `settings-${device}-staff`, { fullPage: true });
    await page.getByRole("radio", { name: /^Scheduler/ }).check();
    await page.getByLabel("Email").fill(`nuevo-${randomBytes(3).toString("hex")}@settings.example`);
    await page.getByLabel("Full name").fill("Nuevo Agendador");
    await page.getByRole("button", { name: "Invite", exact: true }).click();
    await expect(page.getByTestId("invitation-link")).toBeVisible();
    await checkPage(page, `settings-${device}-staff-invited`, { fullPage: true });
    await page.getByRole("button", { name: "Change role Persona Invitada" }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await checkPage(page, `settings-${device}-staff-role-dialog`);

    const person = await (await browser.newContext(options)).newPage();
    await person.goto(link);
    await person.getByLabel("New password").fill("too short");
    await person.getByRole("button", { name: "Set password" }).click();
    await expect(person.getByText("New password must be at least 12 characters")).toBeVisible();
    await checkPage(person, `settings-${device}-set-password-error`, { fullPage: true });
    await person.goto("/signin/set-password?token=expired-or-made-up");
    await checkPage(person, `settings-${device}-set-password-dead-link`);
  });
}

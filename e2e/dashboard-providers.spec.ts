import { randomBytes, randomInt } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { checkPage, VIEWPORTS } from "./a11y";
import { createConsultation, specDatabase } from "./call";
import { demoOrganization, otherClinicConsultation, signIn, staff } from "./staff";

/**
 * The Providers pages on the production build: schedulers and admins add, find, edit, deactivate
 * and reactivate the clinic's providers; nobody else opens them, and no other clinic's provider.
 */

/** A provider id of the demo clinic (seeded), by document number. */
async function demoProviderId(documentNumber: string): Promise<string> {
  const sql = specDatabase();
  try {
    const organizationId = await demoOrganization();
    const [row] = await sql<{ id: string }[]>`select id from providers where organization_id = ${organizationId} and document_number = ${documentNumber}`;
    return row!.id;
  } finally {
    await sql.end();
  }
}

async function providerOptions(page: Page): Promise<string[]> {
  await page.goto("/dashboard/consultations/new");
  return page.getByLabel("Provider").locator("option").allTextContents();
}

test("a scheduler adds a provider (inline errors first), finds, edits and deactivates them, and New consultation stops offering them", async ({ page }) => {
  const scheduler = await staff("scheduler");
  const name = `Dra. Prueba ${randomBytes(3).toString("hex")}`;
  const documentNumber = String(randomInt(1_000_000_000, 9_999_999_999));
  await signIn(page, scheduler.email);
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Providers" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Providers" })).toBeVisible();
  await page.getByRole("link", { name: "Add provider" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Add provider" })).toBeVisible();

  // A specialist with no specialty and a phone without its country code: both refused, inline.
  await page.getByLabel("Full name").fill(name);
  await page.getByLabel("Document number").fill(documentNumber);
  await expect(page.getByLabel("Specialty")).toHaveCount(0);
  await page.getByLabel("Professional type").selectOption({ label: "Médico Especialista" });
  await expect(page.getByLabel("Specialty")).toBeVisible();
  await page.getByLabel("Phone").fill("3001234");
  await page.getByLabel("Email").fill("prueba@example.com");
  await page.getByRole("button", { name: "Add provider" }).click();

  await expect(page.getByRole("main").getByRole("alert")).toContainText("Some fields need attention");
  await expect(page.getByLabel("Phone")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Phone must be a valid phone number in international format, e.g. +573001234567")).toBeVisible();
  await expect(page.getByLabel("Specialty")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Specialty is required for a specialist")).toBeVisible();
  await expect(page.getByLabel("Full name")).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Full name")).toHaveValue(name); // nothing typed is lost

  await page.getByLabel("Specialty").selectOption({ label: "Cardiología" });
  await page.getByLabel("Phone").fill("+57 300 123 4567");
  await page.getByRole("button", { name: "Add provider" }).click();
  await expect(page).toHaveURL(/\/dashboard\/providers\/[0-9a-f-]{36}\?done=added$/);
  await expect(page.getByRole("status")).toContainText("Provider added");
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  const providerId = new URL(page.url()).pathname.split("/").at(-1)!;

  // The same document again is refused on its field, naming who has it.
  await page.goto("/dashboard/providers/new");
  await page.getByLabel("Full name").fill("Dr. Duplicado Prueba");
  await page.getByLabel("Document number").fill(documentNumber);
  await page.getByLabel("Professional type").selectOption({ label: "Médico General" });
  await page.getByLabel("Phone").fill("+573001234567");
  await page.getByLabel("Email").fill("duplicado@example.com");
  await page.getByRole("button", { name: "Add provider" }).click();
  await expect(page.getByLabel("Document number")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText(`Document number is already used by ${name}`)).toBeVisible();

  // Found in the list by document number, with what was stored (the phone as E.164).
  await page.goto("/dashboard/providers");
  await page.getByLabel("Search").fill(documentNumber);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${documentNumber}`));
  const table = page.getByRole("table");
  await expect(table.getByRole("row")).toHaveCount(2);
  for (const text of [name, "Médico Especialista", "Cardiología", `CC ${documentNumber}`, "+573001234567", "prueba@example.com", "Active"]) {
    await expect(table).toContainText(text);
  }

  // Edited: a new phone and no specialty once they are a general practitioner.
  await table.getByRole("link", { name }).click();
  await expect(page).toHaveURL(`/dashboard/providers/${providerId}`);
  await expect(page.getByLabel("Specialty")).toHaveValue("CA003");
  await page.getByLabel("Professional type").selectOption({ label: "Médico General" });
  await expect(page.getByLabel("Specialty")).toHaveCount(0);
  await page.getByLabel("Phone").fill("+573109876543");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toHaveText("Changes saved.");
  await expect(page.getByLabel("Phone")).toHaveValue("+573109876543");
  await expect(page.getByLabel("Professional type")).toHaveValue("MedicoGeneral");

  expect(await providerOptions(page)).toContain(`${name} · Médico General`);

  // Deactivated, after a confirmation that can be cancelled.
  await page.goto(`/dashboard/providers/${providerId}`);
  await page.getByRole("button", { name: "Deactivate provider" }).click();
  const dialog = page.getByRole("dialog", { name: `Deactivate ${name}?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("main").getByText("Active", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Deactivate provider" }).click();
  await dialog.getByRole("button", { name: "Deactivate", exact: true }).click();
  await expect(page).toHaveURL(`/dashboard/providers/${providerId}?done=deactivated`);
  await expect(page.getByRole("status")).toContainText("Provider deactivated");
  await expect(page.getByRole("main").getByText("Inactive", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Reactivate provider" })).toBeVisible();

  const options = await providerOptions(page);
  expect(options.some((o) => o.startsWith(name))).toBe(false);
  expect(options).toContain("Dr. Juan Pérez · Médico Especialista");

  // The list hides them unless inactive providers are asked for.
  await page.goto(`/dashboard/providers?q=${documentNumber}`);
  await expect(page.getByText("No providers match these filters (inactive providers are hidden).")).toBeVisible();
  await page.getByLabel("Include inactive").check();
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/inactive=1/);
  await expect(page.getByRole("table").getByRole("row").filter({ hasText: name })).toContainText("Inactive");

  // Reactivated: offered again.
  await page.getByRole("table").getByRole("link", { name }).click();
  await page.getByRole("button", { name: "Reactivate provider" }).click();
  await expect(page.getByRole("status")).toContainText("Provider reactivated");
  expect(await providerOptions(page)).toContain(`${name} · Médico General`);

  // Every change is in the audit log, attributed to the scheduler and naming the provider.
  const sql = specDatabase();
  const audit = await sql<{ action: string; detail: Record<string, unknown> }[]>`
    select a.action, a.detail from audit_log a join users u on u.id = a.actor_user_id
    where lower(u.email) = ${scheduler.email} and a.target_type = 'provider' and a.target_id = ${providerId} order by a.id`;
  await sql.end();
  expect(audit.map((a) => a.action)).toEqual(["provider.created", "provider.updated", "provider.deactivated", "provider.reactivated"]);
  expect(audit[1]!.detail).toEqual({ name, changed: ["professionalType", "medicalSpecialtyCode", "phone"] });
});

test("two providers with the same name are told apart in New consultation and the table's filter by their documents' last digits", async ({ page, request }) => {
  const name = `Dr. Pedro Ruiz ${randomBytes(3).toString("hex")}`;
  const documents = [String(randomInt(1_000_000_000, 9_999_999_999)), String(randomInt(1_000_000_000, 9_999_999_999))];
  for (const documentNumber of documents) {
    await createConsultation(request, { provider: { name, documentType: "CC", documentNumber, professionalType: "MedicoGeneral", phone: "+573009876543", email: "pedro@example.com" } });
  }
  await signIn(page, (await staff("scheduler")).email);
  await expect(page).toHaveURL(/\/dashboard\/consultations$/);
  const offered = (await providerOptions(page)).filter((o) => o.startsWith(name));
  expect(offered.sort()).toEqual(documents.map((d) => `${name} · Médico General · CC ···${d.slice(-4)}`).sort());
  // Never the whole document.
  expect(await page.content()).not.toContain(documents[0]);
  await page.goto("/dashboard/consultations");
  const filter = (await page.getByLabel("Provider").locator("option").allTextContents()).filter((o) => o.startsWith(name));
  expect(filter.sort()).toEqual(documents.map((d) => `${name} · CC ···${d.slice(-4)}`).sort());
});

test("a provider-role staff member cannot open the Providers pages, and no one opens another clinic's provider", async ({ browser, request }) => {
  const juan = await demoProviderId("1234567890");
  const provider = await staff("provider", juan);
  const providerPage = await (await browser.newContext()).newPage();
  await signIn(providerPage, provider.email);
  await expect(providerPage.getByRole("banner")).toContainText(provider.name);
  await expect(providerPage.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Providers" })).toHaveCount(0);
  for (const path of ["/dashboard/providers", "/dashboard/providers/new", `/dashboard/providers/${juan}`]) {
    expect((await providerPage.goto(path))?.status(), path).toBe(403);
    await expect(providerPage.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  }

  const consultationId = await otherClinicConsultation(request);
  const sql = specDatabase();
  const [row] = await sql<{ providerId: string }[]>`select provider_id as "providerId" from consultations where id = ${consultationId}`;
  await sql.end();
  const admin = await staff("admin");
  const adminPage = await (await browser.newContext()).newPage();
  await signIn(adminPage, admin.email);
  await expect(adminPage.getByRole("heading", { level: 1, name: "Consultations" })).toBeVisible();
  expect((await adminPage.goto(`/dashboard/providers/${row!.providerId}`))?.status()).toBe(404);
  await expect(adminPage.getByText("Dr. Otro Médico")).toHaveCount(0);
  expect((await adminPage.goto("/dashboard/providers/not-a-uuid"))?.status()).toBe(404);
  expect((await adminPage.goto(`/dashboard/providers/${juan}`))?.status()).toBe(200);
});

for (const [device, viewport] of Object.entries(VIEWPORTS)) {
  test(`providers pages on ${device}: accessible, fitting the screen`, async ({ browser }) => {
    const scheduler = await staff("scheduler");
    const juan = await demoProviderId("1234567890");
    const options = device === "phone" ? { viewport, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : { viewport };
    const page = await (await browser.newContext(options)).newPage();
    await signIn(page, scheduler.email);
    await expect(page.getByRole("heading", { level: 1, name: "Consultations" })).toBeVisible();

    await page.goto("/dashboard/providers");
    await expect(page.getByRole("table")).toContainText("Dr. Juan Pérez");
    await checkPage(page, `providers-${device}-list`, { fullPage: true });

    await page.goto("/dashboard/providers/new");
    await page.getByLabel("Professional type").selectOption({ label: "Médico Especialista" });
    await page.getByLabel("Phone").fill("12345");
    await page.getByRole("button", { name: "Add provider" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toBeVisible();
    await expect(page.getByText("Full name is required")).toBeVisible();
    await checkPage(page, `providers-${device}-new-errors`, { fullPage: true });

    await page.goto(`/dashboard/providers/${juan}`);
    await expect(page.getByRole("heading", { level: 1, name: "Dr. Juan Pérez" })).toBeVisible();
    await checkPage(page, `providers-${device}-edit`, { fullPage: true });
    await page.getByRole("button", { name: "Deactivate provider" }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await expect(page.getByRole("dialog").getByRole("button", { name: "Cancel" })).toBeFocused();
    await checkPage(page, `providers-${device}-deactivate-confirm`);
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click(); // the seeded provider stays active
    await expect(page.getByRole("dialog")).toBeHidden();
  });
}

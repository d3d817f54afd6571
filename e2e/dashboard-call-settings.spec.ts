import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { expect, test, type Page } from "@playwright/test";
import sharp from "sharp";
import { connect } from "../db/client";
import { createOrganization } from "../lib/organizations";
import { createStaffMember } from "../lib/staff";
import { checkPage, VIEWPORTS } from "./a11y";
import { specDatabase } from "./call";
import { PASSWORD, signIn } from "./staff";

/**
 * Settings → Call on the production build: an admin uploads backgrounds and sees their
 * previews, makes one the default, sets the page after the call and its delay, deletes one;
 * a file that is no image is refused in the reader's language. A clinic of its own per test.
 */

async function newClinic(): Promise<{ organizationId: string; email: string }> {
  const db = connect(process.env.E2E_SPEC_DATABASE_URL!, { max: 1 });
  try {
    const suffix = randomBytes(3).toString("hex");
    const organization = await createOrganization(db, { name: `Clínica Fondos ${suffix}`, timezone: "America/Bogota", language: "en" });
    const email = `admin-${suffix}@call-settings.example`;
    await createStaffMember(db, organization.id, { email, name: `Admin ${suffix}`, role: "admin", password: PASSWORD });
    return { organizationId: organization.id, email };
  } finally {
    await db.$client.end();
  }
}

/** A picture as a clinic would upload it: a gradient-ish block of colour, `width`×`height`. */
function picture(format: "png" | "jpeg", colour: { r: number; g: number; b: number }, width = 1600, height = 900): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: colour } });
  return (format === "png" ? image.png() : image.jpeg()).toBuffer();
}

/** A real PNG padded with a text chunk (metadata, dropped when stored) to exactly `size` bytes. */
async function pngOfSize(size: number): Promise<Buffer> {
  const image = await picture("png", { r: 200, g: 120, b: 40 }, 320, 180);
  const end = image.length - 12; // the IEND chunk: length, type, CRC
  const data = Buffer.concat([Buffer.from("Comment\0", "latin1"), Buffer.alloc(size - image.length - 12 - 8, 0x61)]);
  const type = Buffer.from("tEXt", "latin1");
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  type.copy(chunk, 4);
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(Buffer.concat([type, data])), 8 + data.length);
  const padded = Buffer.concat([image.subarray(0, end), chunk, image.subarray(end)]);
  expect(padded.length).toBe(size);
  return padded;
}

async function upload(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
  await page.getByLabel("Image file").setInputFiles(file);
  await page.getByRole("button", { name: "Upload background" }).click();
}

const cards = (page: Page) => page.getByRole("list", { name: "Uploaded backgrounds" }).getByTestId("background");

async function settingsOf(organizationId: string) {
  const sql = specDatabase();
  try {
    const [row] = await sql<{ end_call_redirect_url: string | null; end_call_redirect_timeout_ms: number; default_alias: string | null }[]>`
      select o.end_call_redirect_url, o.end_call_redirect_timeout_ms, b.alias as default_alias
      from organizations o left join organization_backgrounds b on b.id = o.default_background_id where o.id = ${organizationId}`;
    const audit = await sql<{ action: string }[]>`select action from audit_log where organization_id = ${organizationId} and action like 'organization.%' order by id`;
    return { ...row!, audit: audit.map((a) => a.action) };
  } finally {
    await sql.end();
  }
}

test("an admin uploads backgrounds, makes one the default, sets the end of the call, and deletes one", async ({ browser }) => {
  const clinic = await newClinic();
  const page = await (await browser.newContext({ viewport: VIEWPORTS.desktop })).newPage();
  await signIn(page, clinic.email, PASSWORD);
  await expect(page).toHaveURL(/\/dashboard\//);
  await page.goto("/dashboard/settings");
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Call" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Call" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Call" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText("No backgrounds yet.")).toBeVisible();

  // Two uploads, each previewed as soon as it is stored (newest first).
  await upload(page, { name: "lobby.png", mimeType: "image/png", buffer: await picture("png", { r: 30, g: 110, b: 180 }) });
  await expect(page.getByRole("form", { name: "Upload a background" }).getByRole("status")).toHaveText("Background uploaded.");
  await expect(cards(page)).toHaveCount(1);
  await upload(page, { name: "garden.jpg", mimeType: "image/jpeg", buffer: await picture("jpeg", { r: 40, g: 150, b: 80 }, 4000, 3000) });
  await expect(cards(page)).toHaveCount(2);
  for (const card of await cards(page).all()) {
    const preview = card.getByRole("img", { name: /^Background uploaded / });
    await expect(preview).toBeVisible();
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  }
  // A file of exactly 10 MB is taken whole (through the dashboard's proxy too), and kept small: its padding was metadata.
  await upload(page, { name: "poster.png", mimeType: "image/png", buffer: await pngOfSize(10 * 1024 * 1024) });
  await expect(cards(page)).toHaveCount(3);
  await expect(cards(page).first()).toContainText("320 × 180 pixels");
  await cards(page).first().getByRole("button", { name: /^Delete the background uploaded / }).click();
  await page.getByRole("dialog", { name: "Delete this background?" }).getByRole("button", { name: "Delete" }).click();
  await expect(cards(page)).toHaveCount(2);

  // The 4000×3000 photo was fit inside 1920×1080.
  await expect(cards(page).first()).toContainText("1440 × 1080 pixels");
  await expect(cards(page).nth(1)).toContainText("1600 × 900 pixels");

  // The older one (the lobby) becomes the default.
  await cards(page).nth(1).getByRole("button", { name: /^Make default: the background uploaded / }).click();
  await expect(cards(page).nth(1)).toContainText("Default");
  await expect(cards(page).first()).not.toContainText("Default");
  const lobbyAlias = (await settingsOf(clinic.organizationId)).default_alias;
  expect(lobbyAlias).toMatch(/^[0-9a-f]{32}$/);
  // Its image is public at its address, cached for good.
  const image = await page.request.get(`/api/backgrounds/${lobbyAlias}`);
  expect(image.status()).toBe(200);
  expect(image.headers()["content-type"]).toBe("image/png");
  expect(image.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");

  // The end of the call: a page that is not https is refused at its field; then saved.
  const redirect = page.getByLabel("Page after the call (optional)");
  await redirect.fill("http://clinic.example/after-call");
  await page.getByLabel("Delay before going there (seconds)").fill("8");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Page after the call must be an https:// address, such as https://clinic.example/after-call")).toBeVisible();
  await expect(page.getByLabel("Delay before going there (seconds)")).toHaveValue("8");
  await redirect.fill("https://clinic.example/after-call");
  await page.getByLabel("User details service (optional)").fill("https://clinic.example/api/users");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("form", { name: "End of the call" }).getByRole("status")).toHaveText("Saved.");
  expect(await settingsOf(clinic.organizationId)).toMatchObject({ end_call_redirect_url: "https://clinic.example/after-call", end_call_redirect_timeout_ms: 8000 });
  await page.reload();
  await expect(page.getByLabel("Page after the call (optional)")).toHaveValue("https://clinic.example/after-call");
  await expect(page.getByLabel("Delay before going there (seconds)")).toHaveValue("8");

  await checkPage(page, "call-settings-desktop", { fullPage: true });
  await page.setViewportSize(VIEWPORTS.phone);
  await checkPage(page, "call-settings-phone", { fullPage: true });
  await page.setViewportSize(VIEWPORTS.desktop);

  // Deleting asks first; Cancel keeps it, Delete removes it, by keyboard.
  const garden = cards(page).first();
  await garden.getByRole("button", { name: /^Delete the background uploaded / }).click();
  const dialog = page.getByRole("dialog", { name: "Delete this background?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(cards(page)).toHaveCount(2);
  await garden.getByRole("button", { name: /^Delete the background uploaded / }).click();
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(cards(page)).toHaveCount(1);
  await expect(cards(page).first()).toContainText("Default");

  expect((await settingsOf(clinic.organizationId)).audit).toEqual([
    "organization.background_added",
    "organization.background_added",
    "organization.background_added",
    "organization.background_deleted",
    "organization.call_settings_updated",
    "organization.call_settings_updated",
    "organization.background_deleted",
  ]);
});

test("a file that is no image, or too large, is refused in the reader's language, and nothing is kept", async ({ browser }) => {
  const clinic = await newClinic();
  const context = await browser.newContext({ viewport: VIEWPORTS.phone });
  const page = await context.newPage();
  await signIn(page, clinic.email, PASSWORD);
  await expect(page).toHaveURL(/\/dashboard\//);
  await context.addCookies([{ name: "NEXT_LOCALE", value: "es", url: page.url() }]);
  await page.goto("/dashboard/settings/call");
  await expect(page.getByRole("heading", { level: 1, name: "Llamada" })).toBeVisible();

  // A text file with an image's name: the server reads its content.
  await page.getByLabel("Archivo de imagen").setInputFiles({ name: "notas.png", mimeType: "image/png", buffer: Buffer.from("Estimada clínica: esto es solo texto.\n") });
  await page.getByRole("button", { name: "Subir fondo" }).click();
  const form = page.getByRole("form", { name: "Subir un fondo" });
  await expect(form.getByRole("alert")).toHaveText("Este tipo de archivo no se acepta.");
  await expect(page.getByText("Archivo de imagen: no es una imagen JPEG, PNG o WebP")).toBeVisible();
  await expect(page.getByLabel("Archivo de imagen")).toHaveAttribute("aria-invalid", "true");

  // Over 10 MB: refused before it is sent.
  await page.getByLabel("Archivo de imagen").setInputFiles({ name: "enorme.png", mimeType: "image/png", buffer: Buffer.alloc(10 * 1024 * 1024 + 1) });
  await page.getByRole("button", { name: "Subir fondo" }).click();
  await expect(page.getByText("Archivo de imagen: pesa más de 10 MB: elija una imagen más pequeña")).toBeVisible();
  await expect(form.getByRole("alert")).toHaveText("Algunos campos necesitan atención; cada uno indica qué hay que corregir.");
  await checkPage(page, "call-settings-refused-phone");

  await expect(page.getByText("Aún no hay fondos.")).toBeVisible();
  const sql = specDatabase();
  try {
    expect(await sql`select 1 from organization_backgrounds where organization_id = ${clinic.organizationId}`).toHaveLength(0);
  } finally {
    await sql.end();
  }
});

test("the API reference shows the settings routes and the apikey header", async ({ page }) => {
  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { level: 2, name: "Settings" })).toBeVisible();
  for (const summary of ["Upload a virtual background", "Change the company's settings", "List the uploaded backgrounds", "Delete a background", "A background's image"]) {
    await expect(page.getByRole("heading", { name: summary }).first()).toBeVisible();
  }
  await expect(page.getByText("apikey: <keyId>.<secret>").first()).toBeVisible();
});

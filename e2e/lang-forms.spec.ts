import { randomBytes } from "node:crypto";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { connect } from "../db/client";
import { inviteStaffMember } from "../lib/staff";
import { checkPage, VIEWPORTS } from "./a11y";
import { demoOrganization, PASSWORD, signIn, staff } from "./staff";

/**
 * Sign-in and the dashboard's forms in Spanish and Italian on the production build: the page's
 * words, the refusals (a wrong password, a weak one, a form's invalid fields) said in the
 * reader's language by their codes, never the API's English; and every page of the area checked
 * (axe, no overflow, a screenshot) on a desktop and a phone.
 */

type Lang = "es" | "it";

const WORDS = {
  es: {
    signInTitle: "Acceso del personal",
    email: "Correo electrónico",
    password: "Contraseña",
    signIn: "Iniciar sesión",
    wrongPassword: "Ese correo electrónico y esa contraseña no corresponden a una cuenta activa del personal.",
    summary: "Algunos campos necesitan atención; cada uno indica qué hay que corregir.",
    setPasswordTitle: "Configure su contraseña",
    newPassword: "Nueva contraseña",
    repeat: "Repita la contraseña",
    setPassword: "Configurar contraseña",
    commonPassword: "Nueva contraseña: es una de las contraseñas más comunes, que son las primeras que se prueban; elija otra",
    linkProblem: "Este enlace no funciona",
  },
  it: {
    signInTitle: "Accesso per il personale",
    email: "Email",
    password: "Password",
    signIn: "Accedi",
    wrongPassword: "Email e password non corrispondono a un account attivo del personale.",
    summary: "Alcuni campi richiedono attenzione; ciascuno indica cosa correggere.",
    setPasswordTitle: "Imposta la password",
    newPassword: "Nuova password",
    repeat: "Ripeti la password",
    setPassword: "Imposta password",
    commonPassword: "Nuova password: è una delle password più comuni, le prime a essere tentate; scegline un'altra",
    linkProblem: "Questo link non funziona",
  },
} as const;

/** A browser whose language is `lang` (Accept-Language), as a person's own browser says it. */
async function browserIn(browser: Browser, lang: Lang): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: lang === "es" ? "es-CO" : "it-IT" });
  return { context, page: await context.newPage() };
}

/** Signed in (in English, as the demo clinic speaks it in e2e), then the person's choice of `lang` (the NEXT_LOCALE cookie). */
async function dashboardIn(browser: Browser, lang: Lang, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  await expect(page).toHaveURL(/\/dashboard\//);
  await context.addCookies([{ name: "NEXT_LOCALE", value: lang, url: page.url() }]);
  return page;
}

/** A set-password link for a new scheduler of the demo clinic. */
async function invitationPath(): Promise<{ path: string; email: string }> {
  const db = connect(process.env.E2E_SPEC_DATABASE_URL!, { max: 1 });
  try {
    const email = `invited-${randomBytes(4).toString("hex")}@demo-clinic.example`;
    const invitation = await inviteStaffMember(db, { organizationId: await demoOrganization(), appUrl: "http://app.example", mailer: () => {} }, { email, name: "Persona Invitada", role: "scheduler" });
    const url = new URL(invitation.link);
    return { path: `${url.pathname}${url.search}`, email };
  } finally {
    await db.$client.end();
  }
}

/** checkPage on both screens. */
async function checkBoth(page: Page, name: string): Promise<void> {
  for (const [screen, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    await checkPage(page, `${name}-${screen}`, { fullPage: true });
  }
  await page.setViewportSize(VIEWPORTS.desktop);
}

test("sign-in in the browser's language, the switcher, and a wrong password refused in Spanish", async ({ browser }) => {
  const person = await staff("scheduler");
  const { page, context } = await browserIn(browser, "es");
  await page.goto("/signin");
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expect(page.getByRole("heading", { level: 1, name: WORDS.es.signInTitle })).toBeVisible();
  await expect(page).toHaveTitle(/Acceso del personal/);
  await checkBoth(page, "lang-forms-signin-es");

  await page.getByLabel(WORDS.es.email).fill(person.email);
  await page.getByLabel(WORDS.es.password).fill("not the password at all");
  await page.getByRole("button", { name: WORDS.es.signIn, exact: true }).click();
  await expect(page.locator("#signin-error")).toHaveText(WORDS.es.wrongPassword);
  await checkBoth(page, "lang-forms-signin-refused-es");

  // The switcher: the person's own choice, kept in NEXT_LOCALE, wins over the browser's.
  await page.getByLabel("Idioma").selectOption("it");
  await expect(page.getByRole("heading", { level: 1, name: WORDS.it.signInTitle })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "it");
  expect((await context.cookies()).find((c) => c.name === "NEXT_LOCALE")?.value).toBe("it");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: WORDS.it.signInTitle })).toBeVisible();
  await checkBoth(page, "lang-forms-signin-it");

  // Signing in from there works in Italian too.
  await page.getByLabel(WORDS.it.email).fill(person.email);
  await page.getByLabel(WORDS.it.password).fill(PASSWORD);
  await page.getByRole("button", { name: WORDS.it.signIn, exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard\//);
  await context.close();
});

test("a language the product does not speak falls back: ?language=de, a malformed cookie, an odd header", async ({ browser }) => {
  const { page, context } = await browserIn(browser, "it");
  await page.goto("/signin?language=de");
  await expect(page.getByRole("heading", { level: 1, name: WORDS.it.signInTitle })).toBeVisible();
  await context.addCookies([{ name: "NEXT_LOCALE", value: "%%zz", url: page.url() }]);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: WORDS.it.signInTitle })).toBeVisible();
  await context.close();

  const odd = await browser.newContext({ extraHTTPHeaders: { "accept-language": "de-DE,fr;q=0.5,*;q=0.1" } });
  const other = await odd.newPage();
  await other.goto("/signin");
  await expect(other.getByRole("heading", { level: 1, name: "Staff sign-in" })).toBeVisible();
  await odd.close();
});

for (const lang of ["es", "it"] as const) {
  test(`set-password in ${lang}: a weak password refused in the reader's words; a dead link explained`, async ({ browser }) => {
    const words = WORDS[lang];
    const invited = await invitationPath();
    const { page, context } = await browserIn(browser, lang);
    await page.goto(invited.path);
    await expect(page.getByRole("heading", { level: 1, name: words.setPasswordTitle })).toBeVisible();
    await expect(page.getByRole("main")).toContainText(invited.email);
    await page.getByLabel(words.newPassword).fill("password1234");
    await page.getByLabel(words.repeat).fill("password1234");
    await page.getByRole("button", { name: words.setPassword }).click();
    await expect(page.getByText(words.commonPassword)).toBeVisible();
    await expect(page.getByLabel(words.newPassword)).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(words.summary);
    await checkBoth(page, `lang-forms-set-password-${lang}`);

    await page.goto("/signin/set-password?token=not-a-token");
    await expect(page.getByRole("heading", { level: 1, name: words.linkProblem })).toBeVisible();
    await checkBoth(page, `lang-forms-set-password-link-${lang}`);
    await context.close();
  });
}

test("a provider with bad values, in Spanish: the summary and each field in Spanish, what was typed kept", async ({ browser }) => {
  const admin = await staff("admin");
  const page = await dashboardIn(browser, "es", admin.email);
  await page.goto("/dashboard/providers/new");
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await page.getByLabel("Nombre completo").fill("Dra. Ana");
  await page.getByLabel("Número de documento").fill("12-34");
  await page.getByLabel("Tipo de profesional").selectOption({ label: "Médico Especialista" });
  await page.getByLabel("Teléfono").fill("3001234");
  await page.getByLabel("Correo electrónico").fill("no es un correo");
  await page.getByRole("button", { name: "Agregar profesional" }).click();

  await expect(page.getByRole("main").getByRole("alert")).toHaveText(WORDS.es.summary);
  await expect(page.getByText("Nombre completo: debe tener al menos 10 caracteres")).toBeVisible();
  await expect(page.getByText("Número de documento: debe tener al menos 8 caracteres")).toBeVisible();
  await expect(page.getByText("Teléfono: debe ser un número de teléfono válido en formato internacional, p. ej., +573001234567")).toBeVisible();
  await expect(page.getByText("Correo electrónico: debe ser una dirección de correo electrónico válida")).toBeVisible();
  await expect(page.getByText("Especialidad: es obligatoria para un especialista")).toBeVisible();
  await expect(page.getByLabel("Nombre completo")).toHaveValue("Dra. Ana");
  // Never the API's English.
  await expect(page.getByRole("main")).not.toContainText("must be");
  await checkBoth(page, "lang-forms-provider-es");
  await page.context().close();
});

test("a new consultation with bad values, in Italian: the summary and each field in Italian", async ({ browser }) => {
  const admin = await staff("admin");
  const page = await dashboardIn(browser, "it", admin.email);
  await page.goto("/dashboard/consultations/new");
  await expect(page.locator("html")).toHaveAttribute("lang", "it");
  await page.getByLabel("Professionista", { exact: true }).selectOption({ label: "Dr. Juan Pérez · Médico Especialista" });
  await page.getByLabel("Specialità").selectOption("");
  await page.getByLabel("Numero di documento").fill("1234");
  await page.getByLabel("Telefono").fill("3001234");
  await page.getByLabel("Email").fill("paziente@example.com");
  await page.getByRole("button", { name: "Crea visita" }).click();

  await expect(page.getByRole("main").getByRole("alert")).toHaveText(WORDS.it.summary);
  await expect(page.getByText("Nome completo: è un campo obbligatorio")).toBeVisible();
  await expect(page.getByText("Numero di documento: deve contenere almeno 8 caratteri")).toBeVisible();
  await expect(page.getByText("Telefono: deve essere un numero di telefono valido in formato internazionale, ad es. +573001234567")).toBeVisible();
  await expect(page.getByText("Specialità: è obbligatoria per uno specialista")).toBeVisible();
  await expect(page.getByRole("main")).not.toContainText("is required");
  await checkBoth(page, "lang-forms-consultation-it");
  await page.context().close();
});

for (const lang of ["es", "it"] as const) {
  test(`the forms' pages in ${lang} on a desktop and a phone`, async ({ browser }) => {
    const admin = await staff("admin");
    const page = await dashboardIn(browser, lang, admin.email);
    await page.goto("/dashboard/consultations/new");
    await expect(page.getByRole("button", { name: lang === "es" ? "Crear consulta" : "Crea visita" })).toBeVisible();
    await checkBoth(page, `lang-forms-new-consultation-${lang}`);

    await page.goto("/dashboard/providers/new");
    await expect(page.getByRole("button", { name: lang === "es" ? "Agregar profesional" : "Aggiungi professionista" })).toBeVisible();
    await checkBoth(page, `lang-forms-provider-form-${lang}`);

    await page.goto("/dashboard/settings");
    const language = page.getByRole("main").getByLabel(lang === "es" ? "Idioma" : "Lingua", { exact: true });
    // The clinic's languages named in the reader's language.
    await expect(language.locator("option")).toHaveText(lang === "es" ? ["Español", "Inglés", "Italiano"] : ["Spagnolo", "Inglese", "Italiano"]);
    // A logo that is not an https address: the form's own words for it.
    await page.getByLabel(lang === "es" ? "Dirección del logotipo" : "Indirizzo del logo").fill("http://clinic.example/logo.png");
    await page.getByRole("button", { name: lang === "es" ? "Guardar perfil" : "Salva profilo" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(WORDS[lang].summary);
    await expect(page.getByText(lang === "es" ? "Dirección del logotipo: debe ser una dirección https:// de una imagen" : "Indirizzo del logo: deve essere un indirizzo https:// di un'immagine")).toBeVisible();
    await checkBoth(page, `lang-forms-organization-${lang}`);
    await page.context().close();
  });
}

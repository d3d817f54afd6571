import { randomBytes, randomInt } from "node:crypto";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { connect } from "../db/client";
import { issueApiCredential } from "../lib/auth/api-keys";
import { staffChatUser } from "../lib/chat-sessions/staff-user";
import { createOrganization } from "../lib/organizations";
import { createStaffMember } from "../lib/staff";
import { parseLocal } from "../lib/time";
import { checkPage, VIEWPORTS } from "./a11y";
import { specDatabase } from "./call";
import { PASSWORD } from "./staff";

/**
 * The dashboard in Spanish and Italian: chosen with the NEXT_LOCALE cookie, or the clinic's own
 * language with no cookie, or the switcher in the header's account area. Every page is checked
 * (axe, nothing wider than the screen, a screenshot) on a desktop and a phone in both languages;
 * dates are written in the chosen language in the clinic's timezone.
 */

type Language = "es" | "it";
type Device = keyof typeof VIEWPORTS;

const TIME_ZONE = "America/Bogota";

/** What each language's pages say, as a person reads them. */
const WORDS = {
  es: {
    nav: "Panel",
    account: "Su cuenta",
    consultations: "Consultas",
    myConsultations: "Mis consultas",
    newConsultation: "Nueva consulta",
    chats: "Chats",
    rooms: "Salas",
    providers: "Profesionales",
    settings: "Configuración",
    audit: "Registro de auditoría",
    signOut: "Cerrar sesión",
    admin: "Administrador",
    pending: "Pendiente",
    columns: ["Hora", "Estado", "Profesional", "Paciente", "Tipo", "Duración", "Acciones"],
    count: "1–2 de 2 consultas",
    facts: "Consulta",
    access: "Enlaces y PIN",
    timeline: "Cronología",
    created: "Consulta creada",
    guests: "Invitados",
    myDay: "Mi día",
    today: "Hoy",
    nextDays: "Próximos días",
    joinWith: "Entrar a la llamada con",
    actions: "Acciones",
    copyPatientLink: "Copiar enlace del paciente",
    deactivateProvider: "Desactivar profesional",
    deactivateQuestion: "¿Desactivar a Dra. Ana Martínez?",
    pendingKept: "Sus 2 consultas pendientes se conservan y aún pueden tener lugar.",
    cancel: "Cancelar",
    opensAt: "Se abre a las",
    roomsIntro: "Llamadas creadas con la API de teleconsulta",
    roomWaiting: "Esperando a los participantes (1 de 2 conocidos)",
    host: "Anfitrión",
    attendance: "Participantes y asistencia (1 de 2)",
    addProvider: "Agregar profesional",
    activeProviders: "de 1 profesional activo",
    chatWaiting: "Pendiente de aceptación",
    chatSummary: "1 esperando aceptación · 1 chat",
    organization: "Organización",
    staff: "Personal",
    staffColumns: ["Nombre y correo electrónico", "Rol", "Profesional", "Estado", "Último inicio de sesión", "Acciones"],
    ownAccount: "Su propia cuenta",
    apiCredentials: "Credenciales de API",
    oneCredential: "1 credencial",
    webhooks: "Webhooks",
    endpoint: "Endpoint de webhook",
    deliveryLog: "Registro de entregas",
    failed: "Fallida",
    deliveryOf: "Entrega de",
    attempts: "Intentos",
    roomGroups: "Las salas creadas con la API de teleconsulta indican los grupos",
    auditSignedIn: "Inicio de sesión",
    auditWhat: "Qué",
    forbidden: "No tiene acceso a esta página",
  },
  it: {
    nav: "Pannello",
    account: "Il tuo account",
    consultations: "Visite",
    myConsultations: "Le mie visite",
    newConsultation: "Nuova visita",
    chats: "Chat",
    rooms: "Stanze",
    providers: "Professionisti",
    settings: "Impostazioni",
    audit: "Registro attività",
    signOut: "Esci",
    admin: "Amministratore",
    pending: "In attesa",
    columns: ["Orario", "Stato", "Professionista", "Paziente", "Tipo", "Durata", "Azioni"],
    count: "1–2 di 2 visite",
    facts: "Visita",
    access: "Link e PIN",
    timeline: "Cronologia",
    created: "Visita creata",
    guests: "Ospiti",
    myDay: "La mia giornata",
    today: "Oggi",
    nextDays: "Prossimi giorni",
    joinWith: "Entra nella chiamata con",
    actions: "Azioni",
    copyPatientLink: "Copia link del paziente",
    deactivateProvider: "Disattiva professionista",
    deactivateQuestion: "Disattivare Dra. Ana Martínez?",
    pendingKept: "Le sue 2 visite in attesa restano valide e possono ancora svolgersi.",
    cancel: "Annulla",
    opensAt: "Apre alle",
    roomsIntro: "Chiamate create con l'API di teleconsulto",
    roomWaiting: "In attesa dei partecipanti (1 su 2 noti)",
    host: "Host",
    attendance: "Partecipanti e presenze (1 su 2)",
    addProvider: "Aggiungi professionista",
    activeProviders: "di 1 professionista attivo",
    chatWaiting: "In attesa di accettazione",
    chatSummary: "1 in attesa di accettazione · 1 chat",
    organization: "Organizzazione",
    staff: "Personale",
    staffColumns: ["Nome ed email", "Ruolo", "Professionista", "Stato", "Ultimo accesso", "Azioni"],
    ownAccount: "Il tuo account",
    apiCredentials: "Credenziali API",
    oneCredential: "1 credenziale",
    webhooks: "Webhook",
    endpoint: "Endpoint webhook",
    deliveryLog: "Registro delle consegne",
    failed: "Non riuscita",
    deliveryOf: "Consegna di",
    attempts: "Tentativi",
    roomGroups: "Le stanze create con l'API di teleconsulto indicano i gruppi",
    auditSignedIn: "Accesso effettuato",
    auditWhat: "Cosa",
    forbidden: "Non hai accesso a questa pagina",
  },
} as const satisfies Record<Language, Record<string, string | readonly string[]>>;

/** A moment as the dashboard writes it: the reader's language, the clinic's timezone (as next-intl's formatter does, with the same ICU). */
function when(language: string, at: Date, style: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" }): string {
  return new Intl.DateTimeFormat(language, { ...style, timeZone: TIME_ZONE }).format(at);
}

type Clinic = {
  organizationId: string;
  name: string;
  admin: { email: string; name: string };
  provider: { email: string; name: string };
  patients: string[];
  consultationId: string;
  startsAt: Date;
  roomId: string;
  roomStartsAt: Date;
  endpointId: string;
  deliveryId: string;
  bearer: string;
};

/**
 * A clinic of its own (so its counts are known), with an admin, a provider with a login, two
 * consultations, a room, a webhook endpoint with a (failed) test delivery, and a chat asking for
 * the provider.
 */
async function seedClinic(request: APIRequestContext, language: "en" | Language = "en"): Promise<Clinic> {
  const tag = randomBytes(3).toString("hex");
  const db = connect(process.env.E2E_SPEC_DATABASE_URL!, { max: 1 });
  let organizationId: string;
  let bearer: string;
  const admin = { email: `admin-${tag}@idiomas.example`, name: `Admin ${tag}` };
  try {
    const organization = await createOrganization(db, { name: `Clínica Idiomas ${tag}`, timezone: TIME_ZONE, language });
    organizationId = organization.id;
    await createStaffMember(db, organizationId, { ...admin, role: "admin", password: PASSWORD });
    bearer = (await issueApiCredential(db, organizationId, "spec")).bearerToken;
  } finally {
    await db.$client.end();
  }
  const headers = { authorization: `Bearer ${bearer}` };

  const doc = () => String(randomInt(1_000_000_000, 9_999_999_999));
  const providerDocument = doc();
  const patients = [`Paciente Uno ${tag}`, `Paciente Dos ${tag}`];
  const made: { consultationId: string; scheduledAt: string }[] = [];
  // The first now, the second tomorrow at 09:00 in the clinic's timezone (one provider cannot have two at once).
  const tomorrow = new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(Date.now() + 86_400_000));
  for (const [index, name] of patients.entries()) {
    const response = await request.post("/api/consultations", {
      headers,
      data: {
        provider: { name: "Dra. Ana Martínez", documentType: "CC", documentNumber: providerDocument, professionalType: "MedicoGeneral", phone: "+573009876543", email: "ana@example.com" },
        patient: { documentType: "CC", documentNumber: doc(), name, phone: "+573001234567", email: "p@example.com" },
        consultationType: "ConsultaGeneral",
        durationMinutes: 20,
        ...(index === 1 ? { scheduledAt: `${tomorrow} 09:00` } : {}),
      },
    });
    expect(response.status(), await response.text()).toBe(200);
    const { data } = await response.json();
    made.push({ consultationId: data.consultationId, scheduledAt: data.scheduledAt });
  }
  const parsed = parseLocal(made[0]!.scheduledAt, TIME_ZONE);
  if (!parsed.ok) throw new Error(`scheduledAt ${made[0]!.scheduledAt}`);

  const endpoint = await request.post("/api/webhooks", { headers, data: { url: "http://127.0.0.1:9/hooks", events: ["consultation.created"] } });
  expect(endpoint.status(), await endpoint.text()).toBe(201);
  const endpointId = (await endpoint.json()).data.id;
  const tested = await request.post(`/api/webhooks/${endpointId}/test`, { headers });
  expect(tested.status(), await tested.text()).toBe(200);
  const deliveryId = (await tested.json()).data.id;

  const sql = specDatabase();
  const provider = { email: `medica-${tag}@idiomas.example`, name: `Dra. Ana Martínez ${tag}` };
  const roomStartsAt = new Date("2026-06-02T15:00:00Z");
  let roomId: string;
  try {
    const [row] = await sql<{ id: string }[]>`select id from providers where organization_id = ${organizationId} and document_number = ${providerDocument}`;
    const staffDb = connect(process.env.E2E_SPEC_DATABASE_URL!, { max: 1 });
    try {
      const member = await createStaffMember(staffDb, organizationId, { ...provider, role: "provider", providerId: row!.id, password: PASSWORD });
      // Their chat identity, as opening Chats makes it.
      await staffChatUser(staffDb, organizationId, member);
    } finally {
      await staffDb.$client.end();
    }
    // A standalone room (the teleconsultation API's) waiting for its second participant; one stay of its host.
    const [room] = await sql<{ id: string }[]>`insert into rooms (organization_id, status, starts_at, ends_at, max_participants, call_type, description)
      values (${organizationId}, 'InProgress', ${roomStartsAt}, ${new Date("2026-06-02T15:45:00Z")}, 2, 'audio_upgradable', 'Interconsulta de cardiología') returning id`;
    roomId = room!.id;
    const [host] = await sql<{ id: string }[]>`insert into room_participants (organization_id, room_id, role, privilege, display_name, group_name)
      values (${organizationId}, ${roomId}, 'member', 'plus', 'Dra. Ana Ruiz', 'doctor') returning id`;
    await sql`insert into room_attendances (organization_id, room_id, participant_id, joined_at, last_seen_at, left_at, end_reason)
      values (${organizationId}, ${roomId}, ${host!.id}, ${"2026-06-02T15:00:00Z"}, ${"2026-06-02T15:20:00Z"}, ${"2026-06-02T15:20:00Z"}, 'left')`;
  } finally {
    await sql.end();
  }
  const seeded = {
    organizationId,
    name: `Clínica Idiomas ${tag}`,
    admin,
    provider,
    patients,
    consultationId: made[0]!.consultationId,
    startsAt: parsed.instant,
    roomId,
    roomStartsAt,
    endpointId,
    deliveryId,
    bearer,
  };
  await askForChat(request, seeded);
  return seeded;
}

/** A chat consultation asking for the clinic's provider (who must have a chat identity). */
async function askForChat(request: APIRequestContext, clinic: Clinic) {
  const patientId = `patient-${randomBytes(3).toString("hex")}`;
  const sql = specDatabase();
  try {
    await sql`insert into room_users (organization_id, external_id, full_name, groups) values (${clinic.organizationId}, ${patientId}, 'Luis Pérez', ${["patient"]})`;
  } finally {
    await sql.end();
  }
  const headers = { authorization: `Bearer ${clinic.bearer}` };
  const created = await request.post("/api/chat-sessions", { headers, data: { participants: [patientId, clinic.provider.email] } });
  expect(created.status(), await created.text()).toBeLessThan(300);
  const { id } = await created.json();
  const started = await request.patch(`/api/chat-sessions/${id}`, { headers: { ...headers, "X-User-Id": patientId }, data: { start: true } });
  expect(started.status(), await started.text()).toBe(200);
}

/**
 * A browser of its own for one person: `language` in NEXT_LOCALE (none: the clinic's), signed in
 * through the form by its fields' names (its words are another helper's to translate). Errors a
 * translation can cause in the browser (a namespace missing from ClientMessages, a date written
 * differently by the server and the browser) fail the spec.
 */
async function personIn(
  browser: Browser,
  baseURL: string,
  email: string,
  language: string | null,
  device: Device = "desktop",
  { clock = false } = {},
): Promise<{ page: Page; problems: string[] }> {
  const viewport = VIEWPORTS[device];
  const context = await browser.newContext(device === "phone" ? { viewport, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : { viewport });
  if (language) await context.addCookies([{ name: "NEXT_LOCALE", value: language, url: baseURL }]);
  const page = await context.newPage();
  if (clock) await page.clock.install();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && /MISSING_MESSAGE|FORMATTING_ERROR|ENVIRONMENT_FALLBACK|hydrat|#418|#423|#425/i.test(message.text())) problems.push(message.text());
  });
  await page.goto("/signin");
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.locator('input[name="password"]').press("Enter");
  await expect(page).toHaveURL(/\/dashboard\//);
  return { page, problems };
}

let clinic: Clinic;

test.beforeAll(async ({ request }) => {
  clinic = await seedClinic(request);
});

for (const language of ["es", "it"] as const) {
  const w = WORDS[language];
  for (const device of ["desktop", "phone"] as const) {
    test(`the dashboard in ${language} on a ${device}: every page in ${language}, dates in ${language}, accessible and fitting the screen`, async ({ browser, baseURL }) => {
      test.setTimeout(300_000);
      const shot = (name: string) => `lang-dashboard-${language}-${device}-${name}`;

      // The provider first: My day, their consultations, Chats (which makes their chat identity), and a page their role does not include.
      const doctor = await personIn(browser, baseURL!, clinic.provider.email, language, device);
      let page = doctor.page;
      await expect(page).toHaveURL(/\/dashboard\/my-day$/);
      await expect(page.locator("html")).toHaveAttribute("lang", language);
      await expect(page.getByRole("heading", { level: 1, name: w.myDay })).toBeVisible();
      await expect(page.getByText(when(language, new Date(), { dateStyle: "full" }))).toBeVisible();
      const today = page.getByRole("region", { name: w.today });
      await expect(today.getByRole("listitem").filter({ hasText: clinic.patients[0]! })).toContainText(w.pending);
      await expect(today.getByRole("button", { name: `${w.joinWith} ${clinic.patients[0]}` })).toBeVisible();
      await expect(page.getByRole("region", { name: w.nextDays }).getByRole("listitem").filter({ hasText: clinic.patients[1]! })).toContainText(w.opensAt);
      await checkPage(page, shot("my-day"), { fullPage: true });

      await page.getByRole("navigation", { name: w.nav }).getByRole("link", { name: w.myConsultations }).click();
      await expect(page.getByRole("heading", { level: 1, name: w.myConsultations })).toBeVisible();

      await page.goto("/dashboard/chat");
      await expect(page.getByRole("heading", { level: 1, name: w.chats })).toBeVisible();
      const chatRow = page.getByRole("table").getByRole("row").filter({ hasText: "Luis Pérez" }).first();
      await expect(chatRow).toContainText(w.chatWaiting);
      await expect(page.getByTestId("chat-summary")).toContainText(w.chatSummary);
      await checkPage(page, shot("chats"), { fullPage: true });

      await page.goto("/dashboard/audit");
      await expect(page.getByRole("heading", { level: 1, name: w.forbidden })).toBeVisible();
      await checkPage(page, shot("forbidden"));
      expect(doctor.problems, "errors in the provider's browser").toEqual([]);
      await page.context().close();

      // The admin: every other page.
      const admin = await personIn(browser, baseURL!, clinic.admin.email, language, device);
      page = admin.page;
      await expect(page).toHaveURL(/\/dashboard\/consultations$/);
      const nav = page.getByRole("navigation", { name: w.nav });
      for (const name of [w.consultations, w.newConsultation, w.chats, w.rooms, w.providers, w.settings, w.audit]) {
        await expect(nav.getByRole("link", { name, exact: true })).toBeAttached();
      }
      const account = page.getByRole("group", { name: w.account });
      await expect(account).toContainText(w.admin);
      await expect(account.getByRole("button", { name: w.signOut })).toBeVisible();

      await expect(page.getByRole("heading", { level: 1, name: w.consultations })).toBeVisible();
      await expect(page.getByText(w.count)).toBeVisible();
      const table = page.getByRole("table");
      // (a sortable column's header ends with its sort mark)
      if (device === "desktop") await expect(table.getByRole("columnheader")).toHaveText(w.columns.map((name) => new RegExp(`^${name}`)));
      const row = table.getByRole("row").filter({ hasText: clinic.patients[0]! });
      await expect(row).toContainText(w.pending);
      // The consultation's time, written in the chosen language (and the same after the browser took over the page).
      await expect(row.getByRole("link").first()).toContainText(when(language, clinic.startsAt));
      await checkPage(page, shot("consultations"), { fullPage: true });
      // A row's actions, opened.
      await row.getByText(w.actions, { exact: true }).click();
      await expect(row.getByRole("button", { name: w.copyPatientLink })).toBeVisible();
      await checkPage(page, shot("consultations-actions"));
      await row.getByText(w.actions, { exact: true }).click();

      await row.getByRole("link").first().click();
      await expect(page.getByRole("heading", { level: 1 })).toContainText(when(language, clinic.startsAt));
      await expect(page.getByRole("region", { name: w.facts, exact: true })).toBeVisible();
      await expect(page.getByRole("region", { name: w.access })).toBeVisible();
      await expect(page.getByRole("region", { name: w.guests })).toBeVisible();
      await expect(page.getByRole("region", { name: w.timeline }).getByRole("listitem").first()).toContainText(w.created);
      await checkPage(page, shot("consultation"), { fullPage: true });

      await nav.getByRole("link", { name: w.newConsultation, exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: w.newConsultation })).toBeVisible();
      await checkPage(page, shot("new-consultation"), { fullPage: true });

      await nav.getByRole("link", { name: w.rooms, exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: w.rooms })).toBeVisible();
      await expect(page.getByText(w.roomsIntro)).toBeVisible();
      const roomRow = page.getByRole("table").getByRole("row").filter({ hasText: "Dra. Ana Ruiz" });
      await expect(roomRow).toContainText(when(language, clinic.roomStartsAt));
      await expect(roomRow).toContainText(w.roomWaiting);
      await expect(roomRow).toContainText(w.host);
      await checkPage(page, shot("rooms"), { fullPage: true });
      await roomRow.getByRole("link").first().click();
      await expect(page.getByRole("heading", { level: 2, name: w.attendance })).toBeVisible();
      await checkPage(page, shot("room"), { fullPage: true });

      await nav.getByRole("link", { name: w.providers, exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: w.providers })).toBeVisible();
      await expect(page.getByText(w.activeProviders)).toBeVisible();
      await checkPage(page, shot("providers"), { fullPage: true });
      await page.getByRole("table").getByRole("link", { name: "Dra. Ana Martínez" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Dra. Ana Martínez" })).toBeVisible();
      await checkPage(page, shot("provider"), { fullPage: true });
      await page.getByRole("button", { name: w.deactivateProvider }).click();
      const deactivate = page.getByRole("dialog", { name: w.deactivateQuestion });
      await expect(deactivate).toContainText(w.pendingKept);
      await checkPage(page, shot("provider-deactivate"));
      await deactivate.getByRole("button", { name: w.cancel }).click();
      await page.goto("/dashboard/providers/new");
      await expect(page.getByRole("heading", { level: 1, name: w.addProvider })).toBeVisible();
      await checkPage(page, shot("provider-new"), { fullPage: true });

      await page.goto("/dashboard/chat");
      await expect(page.getByRole("heading", { level: 1, name: w.chats })).toBeVisible();
      await expect(page.getByRole("table")).toContainText(w.chatWaiting);

      await nav.getByRole("link", { name: w.settings, exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: w.organization })).toBeVisible();
      const sections = page.getByRole("navigation", { name: w.settings });
      await expect(sections.getByRole("link", { name: w.organization })).toHaveAttribute("aria-current", "page");
      await checkPage(page, shot("settings-organization"), { fullPage: true });

      await sections.getByRole("link", { name: w.staff }).click();
      await expect(page.getByRole("heading", { level: 1, name: w.staff })).toBeVisible();
      if (device === "desktop") await expect(page.getByRole("table").getByRole("columnheader")).toHaveText([...w.staffColumns]);
      await expect(page.getByRole("table").getByRole("row").filter({ hasText: clinic.admin.email })).toContainText(w.ownAccount);
      await checkPage(page, shot("settings-staff"), { fullPage: true });

      await sections.getByRole("link", { name: w.apiCredentials }).click();
      await expect(page.getByRole("heading", { level: 1, name: w.apiCredentials })).toBeVisible();
      await expect(page.getByText(w.oneCredential, { exact: false })).toBeVisible();
      await checkPage(page, shot("settings-api-credentials"), { fullPage: true });

      await sections.getByRole("link", { name: w.webhooks }).click();
      await expect(page.getByRole("heading", { level: 1, name: w.webhooks })).toBeVisible();
      await checkPage(page, shot("settings-webhooks"), { fullPage: true });
      await page.getByRole("table").getByRole("link", { name: "http://127.0.0.1:9/hooks" }).click();
      await expect(page.getByRole("heading", { level: 1, name: w.endpoint })).toBeVisible();
      await expect(page.getByRole("heading", { level: 2, name: w.deliveryLog })).toBeVisible();
      await expect(page.getByRole("region", { name: new RegExp(`${TIME_ZONE}$`) })).toContainText(w.failed);
      await checkPage(page, shot("settings-webhook-endpoint"), { fullPage: true });
      await page.goto(`/dashboard/settings/webhooks/${clinic.endpointId}/deliveries/${clinic.deliveryId}`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${w.deliveryOf} consultation.created`);
      await expect(page.getByRole("heading", { level: 2, name: w.attempts })).toBeVisible();
      await checkPage(page, shot("settings-webhook-delivery"), { fullPage: true });

      await page.goto("/dashboard/settings/rooms");
      await expect(page.getByRole("heading", { level: 1, name: w.rooms })).toBeVisible();
      await expect(page.getByText(w.roomGroups)).toBeVisible();
      await checkPage(page, shot("settings-rooms"), { fullPage: true });

      await nav.getByRole("link", { name: w.audit, exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: w.audit })).toBeVisible();
      await expect(page.getByRole("table").getByRole("row").filter({ hasText: clinic.admin.email }).filter({ hasText: w.auditSignedIn }).first()).toBeVisible();
      await expect(page.getByLabel(w.auditWhat)).toBeVisible();
      await checkPage(page, shot("audit"), { fullPage: true });

      expect(admin.problems, "errors in the admin's browser").toEqual([]);
      await page.context().close();
    });
  }
}

test("a clinic whose language is Italian: its staff read the dashboard in Italian without choosing anything, the sign-in notice too", async ({ browser, baseURL, request }) => {
  const italian = await seedClinic(request, "it");
  // Two wrong passwords from another browser: the next sign-in says so.
  const guesser = await (await browser.newContext()).newPage();
  for (const guess of ["wrong guess one", "wrong guess two"]) {
    await guesser.goto("/signin");
    await guesser.locator('input[name="email"]').fill(italian.admin.email);
    await guesser.locator('input[name="password"]').fill(guess);
    await guesser.locator('input[name="password"]').press("Enter");
    await expect(guesser.locator("#signin-error")).toBeVisible();
  }
  await guesser.context().close();

  const { page, problems } = await personIn(browser, baseURL!, italian.admin.email, null);
  const notice = page.getByTestId("sign-in-notice");
  await expect(notice).toContainText("2 tentativi di accesso non riusciti sul tuo account dall'ultimo accesso");
  await checkPage(page, "lang-dashboard-it-sign-in-notice");
  await notice.getByRole("button", { name: "Chiudi avviso" }).click();
  await expect(notice).toHaveCount(0);
  await expect(page.locator("html")).toHaveAttribute("lang", "it");
  await expect(page.getByRole("heading", { level: 1, name: "Visite" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Pannello" }).getByRole("link", { name: "Registro attività" })).toBeVisible();
  await expect(page.getByRole("table").getByRole("row").filter({ hasText: italian.patients[0]! })).toContainText(when("it", italian.startsAt));
  await expect(page.getByText("1–2 di 2 visite")).toBeVisible();
  // The switcher says which language is in use.
  await expect(page.getByRole("group", { name: "Il tuo account" }).getByRole("combobox")).toHaveValue("it");
  expect(problems).toEqual([]);
  await page.context().close();
});

test("the switcher in the account area changes the language, and the choice sticks across pages and reloads", async ({ browser, baseURL }) => {
  const { page, problems } = await personIn(browser, baseURL!, clinic.admin.email, null, "phone");
  await expect(page.getByRole("heading", { level: 1, name: "Consultations" })).toBeVisible();
  const switcher = () => page.getByRole("group", { name: /^(Your account|Su cuenta|Il tuo account)$/ }).getByRole("combobox");
  await expect(switcher()).toHaveValue("en");
  await checkPage(page, "lang-dashboard-switcher-phone-en");

  await switcher().selectOption("es");
  await expect(page.getByRole("heading", { level: 1, name: "Consultas" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  expect((await page.context().cookies()).find((c) => c.name === "NEXT_LOCALE")?.value).toBe("es");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Consultas" })).toBeVisible();
  await page.getByRole("navigation", { name: "Panel" }).getByRole("link", { name: "Registro de auditoría" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Registro de auditoría" })).toBeVisible();
  await checkPage(page, "lang-dashboard-switcher-phone-es");

  await switcher().selectOption("it");
  await expect(page.getByRole("heading", { level: 1, name: "Registro attività" })).toBeVisible();
  await page.goto("/dashboard/rooms");
  await expect(page.getByRole("heading", { level: 1, name: "Stanze" })).toBeVisible();

  await switcher().selectOption("en");
  await expect(page.getByRole("heading", { level: 1, name: "Rooms" })).toBeVisible();
  expect(problems).toEqual([]);
  await page.context().close();
});

test("an unknown or spoiled language falls back: a cookie or ?language= that is not ours leaves the clinic's language", async ({ browser, baseURL }) => {
  for (const cookie of ["de", "%E0%A4%A", "es-XX-!!!"]) {
    const { page, problems } = await personIn(browser, baseURL!, clinic.admin.email, cookie);
    await expect(page.locator("html")).toHaveAttribute("lang", cookie.startsWith("es") ? "es" : "en");
    await expect(page.getByRole("heading", { level: 1, name: cookie.startsWith("es") ? "Consultas" : "Consultations" })).toBeVisible();
    expect(problems).toEqual([]);
    await page.context().close();
  }
  const { page } = await personIn(browser, baseURL!, clinic.admin.email, null);
  await page.goto("/dashboard/consultations?language=de");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1, name: "Consultations" })).toBeVisible();
  await page.context().close();
});

test("the idle warning in Spanish, on the browser's clock", async ({ browser, baseURL }) => {
  const { page, problems } = await personIn(browser, baseURL!, clinic.admin.email, "es", "phone", { clock: true });
  await expect(page.getByRole("heading", { level: 1, name: "Consultas" })).toBeVisible();
  await page.clock.fastForward("14:01");
  const warning = page.getByRole("alertdialog", { name: "¿Sigue ahí?" });
  await expect(warning).toContainText(/Por la privacidad de los pacientes, su sesión se cerrará en \d+ s si no hay actividad\./);
  await expect(warning.getByRole("button", { name: "Mantener la sesión" })).toBeFocused();
  await checkPage(page, "lang-dashboard-es-phone-idle");
  await warning.getByRole("button", { name: "Mantener la sesión" }).click();
  await expect(warning).toHaveCount(0);
  expect(problems).toEqual([]);
  await page.context().close();
});

// English is checked on every page by the dashboard's own specs; these two were not.
for (const device of ["desktop", "phone"] as const) {
  test(`in English on a ${device}: the chats list and the page a role does not include`, async ({ browser, baseURL }) => {
    const { page, problems } = await personIn(browser, baseURL!, clinic.provider.email, null, device);
    await page.goto("/dashboard/chat");
    await expect(page.getByRole("heading", { level: 1, name: "Chats" })).toBeVisible();
    await checkPage(page, `lang-dashboard-en-${device}-chats`, { fullPage: true });
    await page.goto("/dashboard/settings");
    await expect(page.getByRole("heading", { level: 1, name: "You don't have access to this page" })).toBeVisible();
    await checkPage(page, `lang-dashboard-en-${device}-forbidden`);
    expect(problems).toEqual([]);
    await page.context().close();
  });
}

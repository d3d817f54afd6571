import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { connect } from "../db/client";
import { issueApiCredential } from "../lib/auth/api-keys";
import { mintChatLink } from "../lib/chat-sessions/link";
import { createOrganization } from "../lib/organizations";
import { checkPage, VIEWPORTS } from "./a11y";
import { demoAuthorization } from "./api";
import { E2E_APP_SECRET } from "./app-env";
import { createConsultation, expectCallState, newCallPage, pathOf, specDatabase } from "./call";
import { windowsProgram } from "../test/chat-files";
import { pdf, sendFile } from "./files";
import { demoOrganization, signIn, staff } from "./staff";

/*
 * The chat in Spanish and Italian: the patient's chat page (a clinic whose language is Spanish,
 * a patient whose own language is Italian), its link problems, the call's chat panel, and the
 * clinician's conversation on the dashboard (their choice of language in the NEXT_LOCALE cookie).
 * What a person reads is asserted as text; every page passes the accessibility and overflow
 * check on a desktop and a phone, with a screenshot.
 */

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;
const DAY_MS = 86_400_000;
const TIME_ZONE = "America/Bogota";

/** A clinic that speaks Spanish, made for this spec with its own API credential. */
async function spanishClinic(): Promise<{ bearer: string; organizationId: string; apiKeyId: string; name: string }> {
  const db = connect(process.env.E2E_SPEC_DATABASE_URL!, { max: 1 });
  try {
    const name = `Clínica Odontológica Especializada del Norte ${randomBytes(3).toString("hex")}`;
    const organization = await createOrganization(db, { name, timezone: TIME_ZONE, language: "es" });
    const credential = await issueApiCredential(db, organization.id, "lang-chat");
    return { bearer: credential.bearerToken, organizationId: organization.id, apiKeyId: credential.id, name };
  } finally {
    await db.$client.end();
  }
}

type Person = { userExternalId: string; fullName: string; groups: string[]; language?: string };

/**
 * The clinic's directory users, made the way an integrator makes them (a teleconsultation room
 * names them), and a chat session of theirs with the patient's chat link.
 */
async function chatSession(
  request: APIRequestContext,
  auth: { authorization: string },
  people: { patient: Person; doctor: Person },
  title: string,
): Promise<{ id: string; link: string }> {
  const room = await request.post("/api/teleconsultation", {
    headers: auth,
    data: { participants: { number: 2, data: [people.patient, people.doctor] }, start_date: new Date(Date.now() - 60_000).toISOString(), duration_in_seconds: 1800 },
  });
  expect(room.status(), await room.text()).toBe(201);
  const created = await request.post("/api/chat-sessions", {
    headers: auth,
    data: { participants: [people.patient.userExternalId, people.doctor.userExternalId], title },
  });
  expect(created.status(), await created.text()).toBeLessThan(300);
  const { id } = await created.json();
  const got = await request.get(`/api/chat-sessions/${id}`, { headers: { ...auth, "X-User-Id": people.patient.userExternalId } });
  expect(got.status(), await got.text()).toBe(200);
  return { id, link: pathOf((await got.json()).accessLinkURL) };
}

/** Types a message and sends it with Enter; waits until it is stored. */
async function sendText(page: Page, label: string, text: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(text);
  await page.getByLabel(label, { exact: true }).press("Enter");
  await expect(page.getByTestId("chat-message").filter({ hasText: text }).last()).not.toHaveAttribute("data-pending", "true");
}

/** A day as the conversation names it when it is neither today nor yesterday (the clinic's timezone). */
function dayName(ms: number, locale: string): string {
  const year = (d: number) => new Intl.DateTimeFormat(locale, { year: "numeric", timeZone: TIME_ZONE }).format(d);
  const options: Intl.DateTimeFormatOptions = { weekday: "long", day: "numeric", month: "long", timeZone: TIME_ZONE };
  return new Intl.DateTimeFormat(locale, year(ms) === year(Date.now()) ? options : { ...options, year: "numeric" }).format(ms);
}

/** Opens the page on a phone and on a desktop, and checks each. */
async function checkBoth(browser: Browser, path: string, name: string, setup: (context: BrowserContext) => Promise<void> = async () => {}): Promise<void> {
  for (const [size, options] of [
    ["phone", PHONE],
    ["desktop", { viewport: VIEWPORTS.desktop }],
  ] as const) {
    const context = await browser.newContext(options);
    await setup(context);
    const page = await context.newPage();
    await page.goto(path);
    await expect(page.getByTestId("chat-messages")).toBeVisible();
    await checkPage(page, `${name}-${size}`);
    await context.close();
  }
}

test("the patient's chat page in Spanish (the clinic's language): the words, times by day, a message and a file, refusals in Spanish, and what falls back", async ({
  browser,
  request,
}) => {
  test.setTimeout(300_000);
  const clinic = await spanishClinic();
  const auth = { authorization: `Bearer ${clinic.bearer}` };
  const suffix = randomBytes(3).toString("hex");
  const patient: Person = { userExternalId: `paciente-${suffix}`, fullName: "Luis Fernando Pérez Gutiérrez", groups: ["patient"] };
  const doctor: Person = { userExternalId: `medica-${suffix}`, fullName: "Dra. Valentina Restrepo Londoño", groups: ["doctor"] };
  const title = "Dolor persistente en la rodilla izquierda después de la rehabilitación";
  const session = await chatSession(request, auth, { patient, doctor }, title);
  const asDoctor = { ...auth, "X-User-Id": doctor.userExternalId };

  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(session.link);

  await test.step("the page speaks Spanish: its title, state, what the patient can do, the composer", async () => {
    await expect(page.locator("html")).toHaveAttribute("lang", "es");
    await expect(page).toHaveTitle(/Su consulta por chat/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(page.getByText(clinic.name)).toBeVisible();
    await expect(page.getByText(`Con ${doctor.fullName}`)).toBeVisible();
    await expect(page.getByTestId("chat-state")).toHaveText("Sin iniciar Solicite la consulta cuando lo desee.");
    await expect(page.getByRole("button", { name: "Solicitar la consulta" })).toBeVisible();
    await expect(page.getByText("Aún no hay mensajes.")).toBeVisible();
    await expect(page.getByLabel("Mensaje", { exact: true })).toHaveAttribute("placeholder", "Escriba un mensaje");
    await expect(page.getByText("Imágenes o PDF de hasta 10 MB · Mayús+Intro para una nueva línea")).toBeVisible();
    await expect(page.getByRole("button", { name: "Enviar" })).toBeDisabled();
    await expect(page.getByLabel("Idioma")).toHaveValue("es");
    await checkPage(page, "lang-chat-es-phone-created");
  });

  await test.step("the patient asks for the consultation; the doctor accepts and writes (through the API); the page follows live", async () => {
    await page.getByRole("button", { name: "Solicitar la consulta" }).click();
    await expect(page.getByTestId("chat-state")).toHaveText("Pendiente de aceptación Esperando a que la clínica acepte su solicitud.");
    const accepted = await request.patch(`/api/chat-sessions/${session.id}`, { headers: asDoctor, data: { accept: true } });
    expect(accepted.status(), await accepted.text()).toBe(200);
    await expect(page.getByTestId("chat-state")).toHaveText(`En curso Aceptada por ${doctor.fullName}.`);
    await expect(page.getByRole("button", { name: "Finalizar la consulta" })).toBeVisible();
    const sent = await request.post(`/api/chat-sessions/${session.id}/messages`, { headers: asDoctor, data: { text: "Buenos días, Luis. ¿Desde cuándo le duele?" } });
    expect(sent.status(), await sent.text()).toBeLessThan(300);
    const received = page.getByTestId("chat-message").filter({ hasText: "¿Desde cuándo le duele?" });
    await expect(received).toContainText(doctor.fullName);
    await expect(received.locator("time")).toHaveText(/^\d{1,2}:\d{2}/);
  });

  await test.step("a message and a PDF from the patient, said as theirs, under today", async () => {
    await sendText(page, "Mensaje", "Desde hace dos semanas, sobre todo al subir escaleras.");
    await expect(page.getByTestId("chat-message").last()).toContainText("Usted");
    await sendFile(page, "resonancia-magnetica-rodilla.pdf", pdf(`Resonancia ${suffix}`));
    const file = page.getByTestId("chat-file").filter({ hasText: "resonancia-magnetica-rodilla.pdf" });
    await expect(file).toHaveAccessibleName(/^Descargar resonancia-magnetica-rodilla\.pdf\s*\d+ bytes$/);
    await expect(page.getByTestId("chat-day")).toHaveText(["Hoy"]);
  });

  await test.step("refusals are said in Spanish: a type the browser knows, a program the server reads, a code nobody knows", async () => {
    await page.getByTestId("chat-file-input").setInputFiles({ name: "notas.txt", mimeType: "text/plain", buffer: Buffer.from("hola") });
    await expect(page.getByTestId("chat-error")).toHaveText(
      "“notas.txt” no es una foto ni un PDF, así que no se puede enviar. Solo se pueden compartir imágenes JPEG, PNG y WebP y documentos PDF.",
    );
    await page.getByTestId("chat-file-input").setInputFiles({ name: "receta.pdf", mimeType: "application/pdf", buffer: windowsProgram() });
    await expect(page.getByTestId("chat-error")).toHaveText(
      "“receta.pdf” no es una foto ni un PDF, así que no se puede enviar. Solo se pueden compartir imágenes JPEG, PNG y WebP y documentos PDF.",
    );
    await page.route("**/api/chat-sessions/*/files", (route) =>
      route.fulfill({ status: 418, contentType: "application/json", body: JSON.stringify({ error: "The teapot is busy.", code: "teapot_busy" }) }),
    );
    await page.getByTestId("chat-file-input").setInputFiles({ name: "radiografia.pdf", mimeType: "application/pdf", buffer: pdf("Rx") });
    await expect(page.getByTestId("chat-error")).toHaveText("No se pudo enviar “radiografia.pdf”. Inténtelo de nuevo.");
    await page.unroute("**/api/chat-sessions/*/files");
    await checkPage(page, "lang-chat-es-phone-refused");
  });

  await test.step("older messages go under yesterday and their date, in the clinic's timezone", async () => {
    const sql = specDatabase();
    try {
      await sql`update chat_messages set sent_at = sent_at - interval '3 days' where chat_session_id = ${session.id} and body like 'Buenos días%'`;
      await sql`update chat_messages set sent_at = sent_at - interval '1 day' where chat_session_id = ${session.id} and body like 'Desde hace%'`;
    } finally {
      await sql.end();
    }
    await page.reload();
    await expect(page.getByTestId("chat-day")).toHaveText([dayName(Date.now() - 3 * DAY_MS, "es"), "Ayer", "Hoy"]);
    await checkPage(page, "lang-chat-es-phone-days");
  });

  await test.step("a language the product does not speak, or a cookie that names none, falls back to the clinic's Spanish", async () => {
    await page.goto(`${session.link}?language=de`);
    await expect(page.locator("html")).toHaveAttribute("lang", "es");
    await expect(page.getByTestId("chat-state")).toContainText("En curso");
    await context.addCookies([{ name: "NEXT_LOCALE", value: "<script>x</script>", url: new URL("/", page.url()).href }]);
    await page.goto(session.link);
    await expect(page.locator("html")).toHaveAttribute("lang", "es");
    await expect(page.getByRole("button", { name: "Finalizar la consulta" })).toBeVisible();
  });

  await test.step("the language switcher turns the page to Italian and keeps the conversation", async () => {
    await page.getByLabel("Idioma").selectOption("it");
    await expect(page.locator("html")).toHaveAttribute("lang", "it");
    await expect(page.getByTestId("chat-state")).toHaveText(`In corso Accettata da ${doctor.fullName}.`);
    await expect(page.getByTestId("chat-day")).toHaveText([dayName(Date.now() - 3 * DAY_MS, "it"), "Ieri", "Oggi"]);
    await expect(page.getByLabel("Messaggio", { exact: true })).toBeVisible();
  });
  await context.close();

  await checkBoth(browser, session.link, "lang-chat-es");
});

test("the patient's chat page in Italian (the patient's own language), and its link problems in Spanish and Italian", async ({ browser, request }) => {
  test.setTimeout(300_000);
  const clinic = await spanishClinic();
  const auth = { authorization: `Bearer ${clinic.bearer}` };
  const suffix = randomBytes(3).toString("hex");
  const patient: Person = { userExternalId: `paziente-${suffix}`, fullName: "Giulia Bianchi", groups: ["patient"], language: "it" };
  const doctor: Person = { userExternalId: `medico-${suffix}`, fullName: "Dr. Alessandro Ferrari", groups: ["doctor"] };
  const title = "Controllo della pressione arteriosa";
  const session = await chatSession(request, auth, { patient, doctor }, title);

  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(session.link);

  await test.step("the page speaks Italian, though the clinic speaks Spanish", async () => {
    await expect(page.locator("html")).toHaveAttribute("lang", "it");
    await expect(page).toHaveTitle(/La tua visita in chat/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(page.getByText(`Con ${doctor.fullName}`)).toBeVisible();
    await expect(page.getByTestId("chat-state")).toHaveText("Non iniziata Richiedi la visita quando vuoi.");
    await expect(page.getByRole("button", { name: "Richiedi la visita" })).toBeVisible();
    await expect(page.getByText("Ancora nessun messaggio.")).toBeVisible();
    await expect(page.getByLabel("Messaggio", { exact: true })).toHaveAttribute("placeholder", "Scrivi un messaggio");
    await expect(page.getByText("Immagini o PDF fino a 10 MB · Maiusc+Invio per andare a capo")).toBeVisible();
  });

  await test.step("a message and a PDF, and refusals in Italian", async () => {
    await sendText(page, "Messaggio", "Buongiorno dottore, ecco le misurazioni della settimana.");
    await expect(page.getByTestId("chat-message").last()).toContainText("Tu");
    await expect(page.getByTestId("chat-day")).toHaveText(["Oggi"]);
    await sendFile(page, "misurazioni-pressione-settimana.pdf", pdf(`Pressione ${suffix}`));
    await expect(page.getByTestId("chat-file").filter({ hasText: "misurazioni-pressione-settimana.pdf" })).toHaveAccessibleName(
      /^Scarica misurazioni-pressione-settimana\.pdf\s*\d+ byte$/,
    );
    await page.getByTestId("chat-file-input").setInputFiles({ name: "note.txt", mimeType: "text/plain", buffer: Buffer.from("ciao") });
    await expect(page.getByTestId("chat-error")).toHaveText(
      "“note.txt” non è una foto né un PDF, quindi non può essere inviato. Si possono condividere solo immagini JPEG, PNG e WebP e documenti PDF.",
    );
    await page.getByTestId("chat-file-input").setInputFiles({ name: "vuoto.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(0) });
    await expect(page.getByTestId("chat-error")).toHaveText("“vuoto.pdf” è vuoto: non c'è nulla da inviare.");
    await checkPage(page, "lang-chat-it-phone-conversation");
  });

  await test.step("the link's ?language= wins over the patient's own language", async () => {
    await page.goto(`${session.link}?language=es`);
    await expect(page.locator("html")).toHaveAttribute("lang", "es");
    await expect(page.getByTestId("chat-state")).toHaveText("Sin iniciar Solicite la consulta cuando lo desee.");
  });
  await context.close();

  await checkBoth(browser, session.link, "lang-chat-it");

  await test.step("an aged link and a link that is not ours, in the browser's language (the link says nothing then)", async () => {
    const sql = specDatabase();
    let roomUserId: string;
    try {
      const [user] = await sql`select id from room_users where organization_id = ${clinic.organizationId} and external_id = ${patient.userExternalId}`;
      roomUserId = user!.id as string;
    } finally {
      await sql.end();
    }
    const aged = `/chat/${mintChatLink(E2E_APP_SECRET, { chatSessionId: session.id, roomUserId, apiKeyId: clinic.apiKeyId }, new Date(Date.now() - DAY_MS - 60_000))}`;
    for (const [locale, expired, unknown] of [
      ["es-CO", "Este enlace ha caducado", "Este enlace no es válido"],
      ["it-IT", "Questo link è scaduto", "Questo link non è valido"],
    ] as const) {
      const language = locale.slice(0, 2);
      for (const [size, options] of [
        ["phone", PHONE],
        ["desktop", { viewport: VIEWPORTS.desktop }],
      ] as const) {
        const problem = await browser.newContext({ ...options, locale });
        const tab = await problem.newPage();
        expect((await tab.goto(aged))?.status()).toBe(410);
        await expect(tab.locator("html")).toHaveAttribute("lang", language);
        await expect(tab.getByRole("heading", { level: 1 })).toHaveText(expired);
        await checkPage(tab, `lang-chat-${language}-${size}-expired`);
        expect((await tab.goto("/chat/not-a-chat-link"))?.status()).toBe(404);
        await expect(tab.getByRole("heading", { level: 1 })).toHaveText(unknown);
        await checkPage(tab, `lang-chat-${language}-${size}-unknown`);
        await problem.close();
      }
    }
  });
});

test("the call's chat panel in Spanish: the words, who wrote, times, sending, a file and a refusal", async ({ browser, request }) => {
  test.setTimeout(240_000);
  const consultation = await createConsultation(request);
  const patient = await newCallPage(browser, PHONE);
  const provider = await newCallPage(browser, { viewport: VIEWPORTS.desktop });
  // Joined in Spanish (the link's ?language=), without reading the join page's own words.
  for (const [who, url] of [
    [patient.page, consultation.patientUrl],
    [provider.page, consultation.providerUrl],
  ] as const) {
    const spanish = new URL(url);
    spanish.searchParams.set("language", "es");
    await who.goto(pathOf(spanish.href));
    await who.locator("#pin").fill(consultation.pin);
    await who.locator("#pin").press("Enter");
    await expect(who.getByTestId("join-call")).toBeEnabled();
    await who.getByTestId("join-call").click();
  }
  await expectCallState(patient.page, "active");
  await expect(patient.page.locator("html")).toHaveAttribute("lang", "es");

  await provider.page.getByTestId("toggle-chat").click();
  await expect(provider.page.getByText("Aún no hay mensajes. Los mensajes se guardan con la consulta.")).toBeVisible();
  await expect(provider.page.getByText("Hasta 1000 caracteres. Intro envía; Mayús+Intro inserta una línea nueva.")).toBeVisible();
  await provider.page.getByTestId("chat-input").fill("Buenos días, María. ¿Cómo sigue la tos?");
  await provider.page.getByTestId("chat-input").press("Enter");

  await patient.page.getByTestId("toggle-chat").click();
  const panel = patient.page.getByTestId("chat-panel");
  await expect(panel.getByRole("heading", { name: "Chat" })).toBeVisible();
  await expect(panel.getByRole("button", { name: "Cerrar el chat" })).toBeVisible();
  const received = panel.getByTestId("chat-message").filter({ hasText: "¿Cómo sigue la tos?" });
  await expect(received).toContainText("Dr. Ana Martínez · Profesional");
  await expect(received.locator("time")).toHaveText(/^\d{1,2}:\d{2}$/);
  await expect(patient.page.getByTestId("chat-input")).toHaveAttribute("placeholder", "Escriba un mensaje");

  await patient.page.getByTestId("chat-input").fill("Mejor, gracias, doctora.");
  await patient.page.getByRole("button", { name: "Enviar" }).click();
  await expect(panel.getByTestId("chat-message").last()).toContainText("Usted");
  await expect(panel.getByTestId("chat-message").last()).not.toHaveAttribute("data-pending", "true");
  await expect(provider.page.getByTestId("chat-message").last()).toContainText("María García López · Paciente");

  await patient.page.getByTestId("chat-file-input").setInputFiles({ name: "notas.txt", mimeType: "text/plain", buffer: Buffer.from("hola") });
  await expect(panel.getByRole("alert")).toHaveText(
    "“notas.txt” no es una foto ni un PDF, así que no se puede enviar. Solo se pueden compartir imágenes JPEG, PNG y WebP y documentos PDF.",
  );
  await patient.page.getByTestId("chat-file-input").setInputFiles({ name: "examen-de-sangre.pdf", mimeType: "application/pdf", buffer: pdf("Hemograma") });
  const attachment = patient.page.getByTestId("chat-attachment");
  await expect(attachment).toHaveAttribute("data-uploaded", "true");
  await expect(attachment).toContainText(/PDF, \d+ bytes, listo para enviar/);
  await expect(patient.page.getByTestId("chat-input")).toHaveAttribute("placeholder", "Escriba un mensaje (opcional)");
  await expect(panel.getByRole("button", { name: "Quitar examen-de-sangre.pdf" })).toBeVisible();
  await checkPage(patient.page, "lang-chat-es-phone-call-panel");
  await patient.page.getByTestId("chat-send").click();
  await expect(panel.getByRole("link", { name: /^Descargar examen-de-sangre\.pdf\s*PDF, \d+ bytes$/ })).toBeVisible();
  await checkPage(provider.page, "lang-chat-es-desktop-call-panel");
  await patient.context.close();
  await provider.context.close();
});

test("the clinician's conversation on the dashboard in Spanish and Italian (their choice, in the NEXT_LOCALE cookie), and a malformed choice falls back", async ({
  browser,
  request,
}) => {
  test.setTimeout(300_000);
  const suffix = randomBytes(3).toString("hex");
  const title = `Renovación de la fórmula médica ${suffix}`;
  const patientId = `patient-${suffix}`;
  const organizationId = await demoOrganization();
  const sql = specDatabase();
  const [provider] = await sql`select id from providers where organization_id = ${organizationId} order by created_at limit 1`;
  await sql.end();
  const clinician = await staff("provider", provider!.id as string);

  const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
  const page = await context.newPage();
  // Signed in as the demo clinic speaks (English in this suite); the chats list gives the clinician their chat identity.
  await signIn(page, clinician.email);
  await page.waitForURL(/\/dashboard/);
  await page.goto("/dashboard/chat");
  await expect(page.getByText(clinician.email, { exact: true })).toBeVisible();

  const room = await request.post("/api/teleconsultation", {
    headers: demoAuthorization(),
    data: {
      participants: { number: 2, data: [{ userExternalId: patientId, fullName: "Marta Lucía Gómez", groups: ["patient"] }] },
      start_date: new Date(Date.now() - 60_000).toISOString(),
      duration_in_seconds: 1800,
    },
  });
  expect(room.status(), await room.text()).toBe(201);
  const created = await request.post("/api/chat-sessions", { headers: demoAuthorization(), data: { participants: [patientId, clinician.email], title } });
  expect(created.status(), await created.text()).toBeLessThan(300);
  const { id } = await created.json();
  const started = await request.patch(`/api/chat-sessions/${id}`, { headers: { ...demoAuthorization(), "X-User-Id": patientId }, data: { start: true } });
  expect(started.status(), await started.text()).toBe(200);
  const sent = await request.post(`/api/chat-sessions/${id}/messages`, {
    headers: { ...demoAuthorization(), "X-User-Id": patientId },
    data: { text: "Buenas tardes, necesito renovar la fórmula del mes." },
  });
  expect(sent.status(), await sent.text()).toBeLessThan(300);
  const path = `/dashboard/chat/${id}`;
  const choose = (language: string) => context.addCookies([{ name: "NEXT_LOCALE", value: language, url: new URL("/", page.url()).href }]);

  await test.step("in Spanish: the request, accepting it, writing, finishing it for everyone", async () => {
    await choose("es");
    await page.goto(path);
    await expect(page.locator("html")).toHaveAttribute("lang", "es");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(page.getByRole("link", { name: "Todos los chats" })).toBeVisible();
    await expect(page.getByTestId("chat-state")).toHaveText("Pendiente de aceptación Marta Lucía Gómez ha solicitado una consulta.");
    await expect(page.getByTestId("chat-day")).toHaveText(["Hoy"]);
    await checkPage(page, "lang-chat-es-desktop-staff-request");
    await page.getByRole("button", { name: "Rechazar", exact: true }).click();
    await expect(page.getByLabel("Motivo (el paciente lo verá)")).toBeVisible();
    await expect(page.getByRole("button", { name: "Rechazar la solicitud" })).toBeVisible();
    await page.getByRole("button", { name: "Cancelar" }).click();
    await page.getByRole("button", { name: "Aceptar", exact: true }).click();
    await expect(page.getByTestId("chat-state")).toHaveText(`En curso Aceptada por ${clinician.name}.`);
    await expect(page.getByRole("button", { name: "Iniciar videollamada" })).toBeVisible();
    await sendText(page, "Mensaje", "Con gusto. Le envío la fórmula en un momento.");
    await expect(page.getByTestId("chat-message").last()).toContainText("Usted");
    await sendFile(page, "formula-medica.pdf", pdf(`Formula ${suffix}`));
    await checkPage(page, "lang-chat-es-desktop-staff-conversation");
    await page.setViewportSize(PHONE.viewport);
    await checkPage(page, "lang-chat-es-phone-staff-conversation");
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.getByRole("button", { name: "Finalizar la consulta" }).click();
    await expect(page.getByText("¿Finalizar esta consulta? El chat se cierra para todos; los mensajes seguirán disponibles para leer.")).toBeVisible();
    await page.getByRole("button", { name: "Finalizar para todos" }).click();
    await expect(page.getByTestId("chat-state")).toHaveText(`Finalizada Finalizada por ${clinician.name}.`);
    await expect(page.getByTestId("chat-closed")).toHaveText("Esta consulta está cerrada. Los mensajes siguen disponibles para leer.");
  });

  await test.step("in Italian", async () => {
    await choose("it");
    await page.goto(path);
    await expect(page.locator("html")).toHaveAttribute("lang", "it");
    await expect(page.getByRole("link", { name: "Tutte le chat" })).toBeVisible();
    await expect(page.getByTestId("chat-state")).toHaveText(`Terminata Terminata da ${clinician.name}.`);
    await expect(page.getByTestId("chat-closed")).toHaveText("Questa visita è chiusa. I messaggi restano leggibili.");
    await expect(page.getByTestId("chat-day")).toHaveText(["Oggi"]);
    await expect(page.getByTestId("chat-file").filter({ hasText: "formula-medica.pdf" })).toHaveAccessibleName(/^Scarica formula-medica\.pdf\s*\d+ byte$/);
    await checkPage(page, "lang-chat-it-desktop-staff-conversation");
    await page.setViewportSize(PHONE.viewport);
    await checkPage(page, "lang-chat-it-phone-staff-conversation");
  });

  await test.step("a cookie that names no language of ours falls back to the clinic's (English in this suite)", async () => {
    await choose("klingon");
    await page.goto(path);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByTestId("chat-state")).toHaveText(`Finished Finished by ${clinician.name}.`);
    await expect(page.getByRole("link", { name: "All chats" })).toBeVisible();
  });
  await context.close();
});

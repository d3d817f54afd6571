import { randomBytes, randomInt } from "node:crypto";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { connect } from "../db/client";
import { issueApiCredential } from "../lib/auth/api-keys";
import { createOrganization } from "../lib/organizations";
import { mintRoomLink } from "../lib/rooms/room-link";
import { checkPage, VIEWPORTS } from "./a11y";
import { demoAuthorization } from "./api";
import { E2E_APP_SECRET } from "./app-env";
import { createConsultation, expectCallState, joinCall, newCallPage, pathOf, specDatabase, type CreatedConsultation } from "./call";
import { formatInTimeZone } from "./time";

/**
 * The way into a call and through it in Spanish and Italian: the join page, the PIN, the device
 * check, the call and after, and the pages of a link that no longer opens one. The language
 * comes from the clinic (an organization whose language is es), from the link's `?language=`,
 * from the person's own choice (the switcher, kept in a cookie), or from a room participant's
 * `language`; an unknown one falls back without an error. Every screen is checked by axe, for
 * overflow, and pictured (screens/lang-*.png) on a desktop and a phone.
 */

type Device = keyof typeof VIEWPORTS;

const contextFor = (device: Device) =>
  device === "phone" ? { viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : { viewport: VIEWPORTS.desktop };

const doc = () => String(randomInt(1_000_000_000, 9_999_999_999));

/** An immediate consultation of a new clinic whose language is Spanish, made with that clinic's own API credential. */
async function spanishClinicConsultation(request: APIRequestContext): Promise<CreatedConsultation> {
  const db = connect(process.env.E2E_SPEC_DATABASE_URL!, { max: 1 });
  try {
    const organization = await createOrganization(db, { name: `Clínica Idiomas ${randomBytes(3).toString("hex")}`, timezone: "America/Bogota", language: "es" });
    const credential = await issueApiCredential(db, organization.id, "e2e");
    const response = await request.post("/api/consultations", {
      headers: { authorization: `Bearer ${credential.bearerToken}` },
      data: {
        provider: { name: "Dra. Lucía Fernández", documentType: "CC", documentNumber: doc(), professionalType: "MedicoGeneral", phone: "+573009876543", email: "lucia@example.com" },
        patient: { documentType: "CC", documentNumber: doc(), name: "Carlos Ruiz Gómez", phone: "+573001234567", email: "carlos@example.com" },
        consultationType: "ConsultaGeneral",
        durationMinutes: 20,
      },
    });
    expect(response.status(), await response.text()).toBe(200);
    const { data } = await response.json();
    return { consultationId: data.consultationId, patientUrl: data.participantAccess.patientUrl, providerUrl: data.participantAccess.providerUrl, pin: data.accessPin };
  } finally {
    await db.$client.end();
  }
}

/** The page is in `lang`, and shows no catalog key in place of a text (next-intl's fallback for a missing message). */
async function expectLanguage(page: Page, lang: string): Promise<void> {
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
  await expect(page.locator("body")).not.toContainText(/\b(Join|Call|LinkProblem|Common|Chat)\.[a-z]\w*/);
}

const wrongPin = (pin: string) => (pin === "000000" ? "111111" : "000000");

const SPANISH_DAY = /(lunes|martes|miércoles|jueves|viernes|sábado|domingo), \d{1,2} de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre), de \d\d:\d\d a \d\d:\d\d/;
const ITALIAN_DAY = /(lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica) \d{1,2} (gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre), dalle \d\d:\d\d alle \d\d:\d\d/;

/** Ends the call for everyone as the provider, from whatever language the provider's page is in. */
async function providerEndsForEveryone(provider: Page, dialogTitle: string, button: string): Promise<void> {
  await provider.getByTestId("end-call").click();
  const dialog = provider.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: dialogTitle })).toBeVisible();
  await dialog.getByRole("button", { name: button }).click();
  await expectCallState(provider, "ended");
}

for (const device of Object.keys(VIEWPORTS) as Device[]) {
  test(`a clinic whose language is Spanish: from the link to the end of the call in Spanish, on a ${device}`, async ({ browser, request }) => {
    // Two browsers, a call, and eight screens checked by axe: minutes on a loaded 2-core machine.
    test.setTimeout(300_000);
    const consultation = await spanishClinicConsultation(request);
    const patient = await newCallPage(browser, { ...contextFor(device), timezoneId: "Europe/Madrid" });
    const provider = await newCallPage(browser, { viewport: VIEWPORTS.desktop });
    const page = patient.page;

    await test.step("the join page: who, when (the clinic's time and the viewer's), how long, the PIN", async () => {
      await page.goto(pathOf(consultation.patientUrl));
      await expectLanguage(page, "es");
      await expect(page).toHaveTitle(/^Su videoconsulta\b/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Videoconsulta con Dra. Lucía Fernández");
      await expect(page.getByText("Cuándo", { exact: true })).toBeVisible();
      await expect(page.locator("dd").filter({ hasText: "(America/Bogota)" })).toContainText(SPANISH_DAY);
      await expect(page.getByTestId("viewer-time")).toContainText("en su hora local (Europe/Madrid)");
      await expect(page.getByText("20 minutos", { exact: true })).toBeVisible();
      await expect(page.getByTestId("consultation-state")).toHaveText("Abierta: ya puede entrar");
      await expect(page.getByLabel("Idioma")).toHaveValue("es");
      await expect(page.getByLabel("PIN de 6 dígitos")).toBeVisible();
      await expect(page.getByText("Le llegó junto con su enlace, en el mismo mensaje.")).toBeVisible();
      await checkPage(page, `lang-join-es-${device}`, { fullPage: device === "phone" });
    });

    await test.step("a wrong PIN is refused in Spanish, with the tries left", async () => {
      await page.getByLabel("PIN de 6 dígitos").fill(wrongPin(consultation.pin));
      await page.getByRole("button", { name: "Continuar" }).click();
      await expect(page.getByTestId("pin-error")).toHaveText("El PIN no es correcto. Le quedan 4 intentos antes de tener que esperar.");
      await checkPage(page, `lang-wrong-pin-es-${device}`);
    });

    await test.step("the right PIN: the device check", async () => {
      await page.getByLabel("PIN de 6 dígitos").fill(consultation.pin);
      await page.getByRole("button", { name: "Continuar" }).click();
      await expect(page.getByRole("heading", { name: "Compruebe su cámara y su micrófono" })).toBeVisible();
      await expect(page.getByTestId("join-call")).toHaveText("Entrar a la llamada");
      await expect(page.getByTestId("join-call")).toBeEnabled();
      await expect(page.getByLabel("Cámara", { exact: true })).toBeVisible();
      await expect(page.getByLabel("Micrófono encendido")).toBeChecked();
      await expect(page.getByText("En cuanto entre, el profesional podrá verle y oírle.")).toBeVisible();
      await expectLanguage(page, "es");
      await checkPage(page, `lang-devices-es-${device}`, { fullPage: device === "phone" });
    });

    await test.step("in the call, waiting for the provider", async () => {
      await page.getByTestId("join-call").click();
      await expectCallState(page, "waiting");
      await expect(page.getByTestId("call-state")).toHaveText("Esperando a que Dra. Lucía Fernández entre a la llamada");
      await expect(page.getByTestId("participant-label")).toHaveText("Esperando a Dra. Lucía Fernández");
      await expect(page.getByRole("navigation", { name: "Controles de la llamada" })).toBeVisible();
      await expect(page.getByTestId("end-call")).toHaveText("Colgar");
      await checkPage(page, `lang-waiting-es-${device}`);
    });

    await test.step("the provider joins (the clinic's language too): the call is active, in Spanish on both sides", async () => {
      await provider.page.goto(pathOf(consultation.providerUrl));
      await expect(provider.page.getByRole("heading", { level: 1 })).toHaveText(/^Videoconsulta con C\./);
      await enterPinIn(provider.page, "PIN de 6 dígitos", "Continuar", consultation.pin);
      await expect(provider.page.getByText("En cuanto entre, el paciente podrá verle y oírle.")).toBeVisible();
      await provider.page.getByTestId("join-call").click();
      await expectCallState(page, "active");
      await expectCallState(provider.page, "active");
      await expect(page.getByTestId("participant-label")).toHaveText("Dra. Lucía Fernández · Profesional");
      await expect(provider.page.getByTestId("participant-label")).toHaveText("Carlos Ruiz Gómez · Paciente");
      await expect(page.getByTestId("toggle-audio")).toHaveText("Silenciar");
      await expect(page.getByTestId("toggle-video")).toHaveText("Detener video");
      await expect(page.getByTestId("report-issue")).toHaveText("Informar problema");
      await page.getByTestId("toggle-audio").click();
      await expect(page.getByTestId("toggle-audio")).toHaveText("Activar audio");
      await expect(provider.page.getByTestId("remote-muted")).toHaveText("Silenciado");
      await page.waitForTimeout(1000); // a few frames into the video
      await checkPage(page, `lang-call-es-${device}`);
      if (device === "phone") {
        // The narrowest phones: every control still in the bar, its words inside its button.
        await page.setViewportSize({ width: 360, height: 740 });
        await checkPage(page, "lang-call-es-360");
        await page.setViewportSize(VIEWPORTS.phone);
      }
      await page.getByTestId("toggle-audio").click();
      await expect(provider.page.getByTestId("remote-muted")).toBeHidden();
    });

    await test.step("the report form, in Spanish", async () => {
      await page.getByTestId("report-issue").click();
      const form = page.getByTestId("report-form");
      await expect(form.getByRole("heading", { name: "Informar de un problema" })).toBeVisible();
      await expect(form.getByRole("group", { name: "¿Qué tipo de problema tiene?" })).toBeVisible();
      await form.getByRole("button", { name: "Enviar informe" }).click();
      await expect(form.getByRole("alert")).toHaveText("Elija el tipo de problema.");
      await checkPage(page, `lang-report-es-${device}`);
      await form.getByRole("button", { name: "Cancelar" }).click();
      await expect(form).toBeHidden();
    });

    await test.step("the provider ends the consultation for everyone; the link then says it has ended", async () => {
      await providerEndsForEveryone(provider.page, "¿Terminar la llamada?", "Finalizar la consulta para todos");
      await expectCallState(page, "ended");
      await expect(page.getByTestId("call-over")).toContainText("La consulta ha terminado");
      await expect(page.getByTestId("call-over")).toContainText("Gracias. Ya puede cerrar esta página.");
      await expectLanguage(page, "es");
      await checkPage(page, `lang-ended-es-${device}`);
      await page.reload();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Esta consulta ha terminado");
      await expectLanguage(page, "es");
    });

    await patient.context.close();
    await provider.context.close();
  });

  test(`a demo clinic link with ?language=it: Italian all the way, on a ${device}`, async ({ browser, request }) => {
    test.setTimeout(300_000);
    const consultation = await createConsultation(request);
    const patient = await newCallPage(browser, contextFor(device));
    const provider = await newCallPage(browser, { viewport: VIEWPORTS.desktop });
    const page = patient.page;

    await test.step("the join page", async () => {
      await page.goto(`${pathOf(consultation.patientUrl)}&language=it`);
      await expectLanguage(page, "it");
      await expect(page).toHaveTitle(/^La tua videovisita\b/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Videovisita con Dr. Ana Martínez");
      await expect(page.locator("dd").filter({ hasText: "(America/Bogota)" })).toContainText(ITALIAN_DAY);
      await expect(page.getByText("20 minuti", { exact: true })).toBeVisible();
      await expect(page.getByTestId("consultation-state")).toHaveText("Aperta: puoi entrare ora");
      await expect(page.getByLabel("Lingua")).toHaveValue("it");
      await checkPage(page, `lang-join-it-${device}`, { fullPage: device === "phone" });
    });

    await test.step("a wrong PIN, then the right one: the device check", async () => {
      await enterPinIn(page, "PIN di 6 cifre", "Continua", wrongPin(consultation.pin));
      await expect(page.getByTestId("pin-error")).toHaveText("Il PIN non è corretto. Ti restano 4 tentativi prima di dover attendere.");
      await checkPage(page, `lang-wrong-pin-it-${device}`);
      await enterPinIn(page, "PIN di 6 cifre", "Continua", consultation.pin);
      await expect(page.getByRole("heading", { name: "Verifica fotocamera e microfono" })).toBeVisible();
      await expect(page.getByTestId("join-call")).toHaveText("Entra nella chiamata");
      await expect(page.getByTestId("join-call")).toBeEnabled();
      await expect(page.getByText("Appena entri, il professionista ti vede e ti sente.")).toBeVisible();
      await expectLanguage(page, "it");
      await checkPage(page, `lang-devices-it-${device}`, { fullPage: device === "phone" });
    });

    await test.step("the call: waiting, then the provider (English: their own link) joins", async () => {
      await page.getByTestId("join-call").click();
      await expectCallState(page, "waiting");
      await expect(page.getByTestId("call-state")).toHaveText("In attesa che Dr. Ana Martínez entri nella chiamata");
      await checkPage(page, `lang-waiting-it-${device}`);
      await joinCall(provider.page, consultation.providerUrl, consultation.pin);
      await expect(provider.page.locator("html")).toHaveAttribute("lang", "en");
      await expectCallState(page, "active");
      await expect(page.getByTestId("participant-label")).toHaveText("Dr. Ana Martínez · Professionista");
      await expect(provider.page.getByTestId("participant-label")).toHaveText("María García López · Patient");
      await expect(page.getByTestId("toggle-audio")).toHaveText("Disattiva audio");
      await expect(page.getByTestId("report-issue")).toHaveText("Segnala problema");
      await expect(page.getByTestId("end-call")).toHaveText("Termina");
      await page.waitForTimeout(1000);
      await checkPage(page, `lang-call-it-${device}`);
    });

    await test.step("the provider ends it for everyone; the link then says the visit has ended", async () => {
      await providerEndsForEveryone(provider.page, "End the call?", "End consultation for everyone");
      await expectCallState(page, "ended");
      await expect(page.getByTestId("call-over")).toContainText("La visita è terminata");
      await expect(page.getByTestId("call-over")).toContainText("Grazie. Ora puoi chiudere questa pagina.");
      await checkPage(page, `lang-ended-it-${device}`);
      await page.reload();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Questa visita è terminata");
      await expectLanguage(page, "it");
    });

    await patient.context.close();
    await provider.context.close();
  });
}

async function enterPinIn(page: Page, label: string, button: string, pin: string): Promise<void> {
  await page.getByLabel(label).fill(pin);
  await page.getByRole("button", { name: button }).click();
}

test("the switcher: Italiano turns the page Italian and stays after a reload; an unknown language or a broken cookie falls back", async ({ browser, request }) => {
  test.setTimeout(180_000);
  const consultation = await createConsultation(request);
  const spanish = await spanishClinicConsultation(request);
  const { context, page } = await newCallPage(browser, contextFor("phone"));

  await test.step("English by default (the demo clinic's language in e2e); Italiano from the switcher, a typed PIN kept", async () => {
    await page.goto(pathOf(consultation.patientUrl));
    await expectLanguage(page, "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Video consultation with Dr. Ana Martínez");
    await page.getByLabel("6-digit PIN").fill("12");
    await page.getByLabel("Language").selectOption({ label: "Italiano" });
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Videovisita con Dr. Ana Martínez");
    await expectLanguage(page, "it");
    await expect(page.getByLabel("PIN di 6 cifre")).toHaveValue("12");
    expect((await context.cookies()).find((c) => c.name === "NEXT_LOCALE")?.value).toBe("it");
    await checkPage(page, "lang-switcher-it-phone");
    // The narrowest phones people use: the clinic's name, the switcher and the PIN still fit.
    await page.setViewportSize({ width: 360, height: 740 });
    await checkPage(page, "lang-switcher-it-360");
    await page.setViewportSize(VIEWPORTS.phone);
  });

  await test.step("the choice survives a reload (the cookie)", async () => {
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Videovisita con Dr. Ana Martínez");
    await expectLanguage(page, "it");
  });

  await test.step("a PIN answer with an error code the page does not know still reads in the page's language", async () => {
    await page.route("**/api/join/*/session*", (route) =>
      route.fulfill({ status: 418, contentType: "application/json", body: JSON.stringify({ error: { code: "brand_new_code", message: "Something only the API says." } }) }),
    );
    await enterPinIn(page, "PIN di 6 cifre", "Continua", "123456");
    await expect(page.getByTestId("pin-error")).toHaveText("Impossibile verificare il PIN. Riprova.");
    await page.unroute("**/api/join/*/session*");
  });

  await test.step("a link's ?language= wins over the cookie", async () => {
    await page.goto(`${pathOf(consultation.patientUrl)}&language=es`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Videoconsulta con Dr. Ana Martínez");
    await expectLanguage(page, "es");
  });
  await context.close();

  await test.step("?language=de falls back (to the clinic's language), without an error", async () => {
    const fresh = await browser.newContext();
    const other = await fresh.newPage();
    const response = await other.goto(`${pathOf(consultation.patientUrl)}&language=de`);
    expect(response?.status()).toBe(200);
    await expect(other.getByRole("heading", { level: 1 })).toHaveText("Video consultation with Dr. Ana Martínez");
    await expectLanguage(other, "en");
    const es = await other.goto(`${pathOf(spanish.patientUrl)}&language=de`);
    expect(es?.status()).toBe(200);
    await expect(other.getByRole("heading", { level: 1 })).toHaveText("Videoconsulta con Dra. Lucía Fernández");
    await expectLanguage(other, "es");
    await fresh.close();
  });

  await test.step("a malformed NEXT_LOCALE cookie falls back too", async () => {
    for (const value of ["%E0%A4%A", "klingon", ""]) {
      const fresh = await browser.newContext();
      await fresh.addCookies([{ name: "NEXT_LOCALE", value, url: test.info().project.use.baseURL! }]);
      const other = await fresh.newPage();
      const response = await other.goto(pathOf(consultation.patientUrl));
      expect(response?.status(), value).toBe(200);
      await expect(other.getByRole("heading", { level: 1 })).toHaveText("Video consultation with Dr. Ana Martínez");
      await expectLanguage(other, "en");
      await other.goto(pathOf(spanish.patientUrl));
      await expect(other.getByRole("heading", { level: 1 })).toHaveText("Videoconsulta con Dra. Lucía Fernández");
      await fresh.close();
    }
  });
});

/**
 * On a link with ?language=, the switcher rewrites it and the page follows at once: the layouts
 * above the page (its messages, <html lang>) are rendered again too, not only the page.
 */
test("the switcher on a link with ?language= rewrites it, and the page follows at once", async ({ browser, request }) => {
  const consultation = await createConsultation(request);
  const { context, page } = await newCallPage(browser, contextFor("phone"));
  await page.goto(`${pathOf(consultation.patientUrl)}&language=es`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Videoconsulta con Dr. Ana Martínez");
  await page.getByLabel("PIN de 6 dígitos").fill("12");
  await page.getByLabel("Idioma").selectOption({ label: "Italiano" });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Videovisita con Dr. Ana Martínez");
  await expect(page).toHaveURL(/[?&]language=it(&|$)/);
  await expectLanguage(page, "it");
  await expect(page.getByLabel("PIN di 6 cifre")).toHaveValue("12");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Videovisita con Dr. Ana Martínez");
  await context.close();
});

type RoomPerson = { userExternalId: string; groups: string[]; fullName: string; language: "it" | "en" | "es" };

/** A room of the demo clinic made as an integrator makes it, and each person's link (the teleconsultation API). */
async function teleconsultationRoom(request: APIRequestContext, people: RoomPerson[]): Promise<{ roomId: string; links: string[] }> {
  const created = await request.post("/api/teleconsultation", {
    headers: demoAuthorization(),
    data: { participants: { number: people.length, data: people }, start_date: new Date(Date.now() - 60_000).toISOString(), duration_in_seconds: 1800 },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { roomId } = await created.json();
  const links: string[] = [];
  for (const person of people) {
    const response = await request.get(`/api/teleconsultation/${roomId}`, { headers: { ...demoAuthorization(), "x-user-id": person.userExternalId } });
    expect(response.status(), await response.text()).toBe(200);
    links.push(pathOf((await response.json()).accessLinkURL));
  }
  return { roomId, links };
}

async function openIn(browser: Browser, device: Device, path: string): Promise<Page> {
  const { page } = await newCallPage(browser, contextFor(device));
  await page.goto(path);
  return page;
}

test("a room user's personal link in the participant's language (it), and the pages of links that no longer open a call, in es and it", async ({ browser, request }) => {
  test.setTimeout(240_000);
  const s = randomBytes(3).toString("hex");
  const people: RoomPerson[] = [
    { userExternalId: `doctor-${s}`, groups: ["doctor"], fullName: "Dr. Ana Martínez", language: "es" },
    { userExternalId: `patient-${s}`, groups: ["patient"], fullName: "Luis Pérez", language: "it" },
  ];
  const room = await teleconsultationRoom(request, people);

  await test.step("the patient's link: Italian (their language), no PIN, the device check", async () => {
    const page = await openIn(browser, "phone", room.links[1]!);
    await expectLanguage(page, "it");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Videochiamata con Dr. Ana Martínez");
    await expect(page.getByTestId("room-people")).toHaveText("Dr. Ana Martínez · Medico");
    await expect(page.getByTestId("room-you")).toHaveText("Luis Pérez · Paziente");
    await expect(page.getByTestId("room-length")).toHaveText("30 minuti");
    await expect(page.getByTestId("join-call")).toBeEnabled({ timeout: 30_000 });
    await expect(page.getByText("Appena entri, Dr. Ana Martínez ti vede e ti sente.")).toBeVisible();
    await checkPage(page, "lang-room-it-phone", { fullPage: true });
    await page.context().close();
  });

  await test.step("the doctor's link: Spanish (theirs), the host said so", async () => {
    const page = await openIn(browser, "desktop", room.links[0]!);
    await expectLanguage(page, "es");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Videollamada con Luis Pérez");
    await expect(page.getByTestId("room-you")).toHaveText("Dr. Ana Martínez · Médico (anfitrión)");
    await expect(page.getByTestId("room-length")).toHaveText("30 minutos");
    await expect(page.getByTestId("join-call")).toBeEnabled({ timeout: 30_000 });
    await checkPage(page, "lang-room-es-desktop");
    await page.context().close();
  });

  await test.step("a personal link too old, in a browser without its session: it has expired (it)", async () => {
    const db = specDatabase();
    let participantId: string;
    try {
      const [row] = await db`
        select p.id from room_participants p join room_users u on u.id = p.room_user_id where p.room_id = ${room.roomId} and u.external_id = ${people[1]!.userExternalId}`;
      participantId = row!.id;
    } finally {
      await db.end();
    }
    for (const device of Object.keys(VIEWPORTS) as Device[]) {
      const page = await openIn(browser, device, `/join/${mintRoomLink(E2E_APP_SECRET, participantId, new Date(Date.now() - 11 * 60_000))}`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Questo link è scaduto");
      await expect(page.locator("[data-link-state]")).toHaveAttribute("data-link-state", "link_expired");
      await expectLanguage(page, "it");
      await checkPage(page, `lang-link-expired-it-${device}`);
      await page.context().close();
    }
  });

  await test.step("a consultation of the Spanish clinic past its time: it has expired (es)", async () => {
    const consultation = await spanishClinicConsultation(request);
    const db = specDatabase();
    try {
      await db`update consultations set starts_at = now() - interval '2 hours', ends_at = now() - interval '100 minutes' where id = ${consultation.consultationId}`;
    } finally {
      await db.end();
    }
    for (const device of Object.keys(VIEWPORTS) as Device[]) {
      const page = await openIn(browser, device, pathOf(consultation.patientUrl));
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Esta consulta ha caducado");
      await expect(page.getByText("Pasó su hora sin que se hiciera la llamada.")).toBeVisible();
      await expectLanguage(page, "es");
      await checkPage(page, `lang-expired-es-${device}`);
      await page.context().close();
    }
  });

  await test.step("an unknown link, in the language its ?language= asks for", async () => {
    const page = await openIn(browser, "phone", "/join/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?type=patient&language=it");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Questo link non è valido");
    await expectLanguage(page, "it");
    const response = await page.goto("/join/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?type=patient&language=es");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Este enlace no es válido");
    await expectLanguage(page, "es");
    await page.context().close();
  });

  await test.step("a scheduled consultation's countdown, in Spanish", async () => {
    const start = new Date(Date.now() + 2 * 3600_000);
    const consultation = await createConsultation(request, { scheduledAt: formatInTimeZone(start, "America/Bogota") });
    const page = await openIn(browser, "phone", `${pathOf(consultation.patientUrl)}&language=es`);
    await expect(page.getByTestId("countdown")).toContainText("La llamada se abre en");
    await expect(page.getByTestId("countdown")).toContainText(/1\sh\s4\d\smin\s\d\d?\ss/);
    await expect(page.getByTestId("consultation-state")).toHaveText("Todavía no está abierta");
    await expect(page.getByLabel("PIN de 6 dígitos")).toHaveCount(0);
    await expectLanguage(page, "es");
    await checkPage(page, "lang-countdown-es-phone", { fullPage: true });
    await page.context().close();
  });
});

/** Helpers for the video-call specs: consultations through the API, joining, and media stats. */
import { randomInt } from "node:crypto";
import { expect, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import postgres from "postgres";
import { demoAuthorization } from "./api";

export type CreatedConsultation = { consultationId: string; patientUrl: string; providerUrl: string; pin: string };

/**
 * A consultation with its own provider and patient, so specs never double-book: the demo clinic's,
 * or another clinic's when its `authorization` header is given.
 */
export async function createConsultation(request: APIRequestContext, overrides: Record<string, unknown> = {}, authorization = demoAuthorization()): Promise<CreatedConsultation> {
  const doc = () => String(randomInt(1_000_000_000, 9_999_999_999));
  const response = await request.post("/api/consultations", {
    headers: authorization,
    data: {
      provider: { name: "Dr. Ana Martínez", documentType: "CC", documentNumber: doc(), professionalType: "MedicoGeneral", phone: "+573009876543", email: "ana@example.com" },
      patient: { documentType: "CC", documentNumber: doc(), name: "María García López", phone: "+573001234567", email: "maria@example.com" },
      consultationType: "ConsultaGeneral",
      durationMinutes: 20,
      ...overrides,
    },
  });
  expect(response.status(), await response.text()).toBe(200);
  const { data } = await response.json();
  return { consultationId: data.consultationId, patientUrl: data.participantAccess.patientUrl, providerUrl: data.participantAccess.providerUrl, pin: data.accessPin };
}

/** The e2e database, to check what the app stored and to move a consultation's clock. */
export function specDatabase(): postgres.Sql {
  const url = process.env.E2E_SPEC_DATABASE_URL;
  if (!url) throw new Error("E2E_SPEC_DATABASE_URL is not set: the e2e web server announces it when ready");
  return postgres(url, { max: 2, onnotice: () => {} });
}

/** The path of a join URL, so it opens on the server under test whatever APP_URL says. */
export function pathOf(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}

/** Keeps every RTCPeerConnection the page makes, so a spec can read real WebRTC statistics. */
export const TRACK_PEER_CONNECTIONS = `(() => {
  const Original = window.RTCPeerConnection;
  window.__peerConnections = [];
  window.RTCPeerConnection = class extends Original {
    constructor(...args) { super(...args); window.__peerConnections.push(this); }
  };
})();`;

export async function newCallPage(browser: Browser, options: Parameters<Browser["newContext"]>[0] = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  await context.addInitScript(TRACK_PEER_CONNECTIONS);
  const page = await context.newPage();
  return { context, page };
}

export async function enterPin(page: Page, pin: string): Promise<void> {
  await page.getByLabel("6-digit PIN").fill(pin);
  await page.getByRole("button", { name: "Continue" }).click();
}

/** A demo-clinic consultation with its patient and provider both in the call, active: where most call specs start. */
export async function startCall(browser: Browser, request: APIRequestContext) {
  const consultation = await createConsultation(request);
  const patient = await newCallPage(browser);
  const provider = await newCallPage(browser);
  await joinCall(patient.page, consultation.patientUrl, consultation.pin);
  await joinCall(provider.page, consultation.providerUrl, consultation.pin);
  await expectCallState(patient.page, "active");
  return { consultation, patient, provider };
}

/** Opens the link, types the PIN, passes the device check, and presses Join. */
export async function joinCall(page: Page, url: string, pin: string): Promise<void> {
  await page.goto(pathOf(url));
  await enterPin(page, pin);
  const join = page.getByTestId("join-call");
  await expect(join).toBeEnabled();
  await join.click();
  await expect(page.getByTestId("call-state")).toBeVisible();
}

export type InboundTotals = { framesDecoded: number; audioBytes: number; relay: boolean };

/** What this page has received so far, summed over its open peer connections. */
export async function inboundTotals(page: Page): Promise<InboundTotals> {
  return page.evaluate(async () => {
    const totals = { framesDecoded: 0, audioBytes: 0, relay: false };
    const pcs = ((window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? []).filter((pc) => pc.connectionState !== "closed");
    for (const pc of pcs) {
      const stats = await pc.getStats();
      const byId = new Map<string, Record<string, unknown>>();
      stats.forEach((s: Record<string, unknown>) => byId.set(s.id as string, s));
      stats.forEach((s: Record<string, unknown>) => {
        if (s.type === "inbound-rtp" && s.kind === "video") totals.framesDecoded += Number(s.framesDecoded ?? 0);
        if (s.type === "inbound-rtp" && s.kind === "audio") totals.audioBytes += Number(s.bytesReceived ?? 0);
      });
      // The pair media flows over: the transport's selected pair (Chromium does not always mark
      // it nominated in the stats), else a nominated succeeded one.
      const selected: Record<string, unknown>[] = [];
      stats.forEach((s: Record<string, unknown>) => {
        if (s.type === "transport" && typeof s.selectedCandidatePairId === "string") {
          const pair = byId.get(s.selectedCandidatePairId);
          if (pair) selected.push(pair);
        }
      });
      if (selected.length === 0) stats.forEach((s: Record<string, unknown>) => {
        if (s.type === "candidate-pair" && s.nominated && s.state === "succeeded") selected.push(s);
      });
      for (const pair of selected) if (byId.get(pair.localCandidateId as string)?.candidateType === "relay") totals.relay = true;
    }
    return totals;
  });
}

/** Video frames decoded and audio bytes received keep going up on this page. */
export async function expectMediaFlowing(page: Page): Promise<void> {
  const first = await inboundTotals(page);
  await expect.poll(async () => {
    const next = await inboundTotals(page);
    return next.framesDecoded > first.framesDecoded + 10 && next.audioBytes > first.audioBytes + 1000;
  }, { timeout: 15_000 }).toBe(true);
}

/** The seed's call state, as the page shows it (the call screen, or the page after it). */
export async function expectCallState(page: Page, state: string, timeout = 15_000): Promise<void> {
  await expect(page.locator("[data-call-state]")).toHaveAttribute("data-call-state", state, { timeout }).catch(async (error: Error) => {
    // On the error card, say which error: the report would not otherwise show its code.
    const code = await page.locator("[data-error-code]").getAttribute("data-error-code", { timeout: 1_000 }).catch(() => null);
    throw code ? new Error(`${error.message}\nThe page shows the error "${code}".`) : error;
  });
}

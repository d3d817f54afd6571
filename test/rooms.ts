/** Join links, PINs and calls through the real route handlers, for tests of the room's API. */
import { expect } from "vitest";
import { POST as createConsultationRoute } from "@/app/api/consultations/route";
import { POST as enterPinRoute } from "@/app/api/join/[token]/session/route";
import { GET as eventsRoute } from "@/app/api/rooms/[roomId]/events/route";
import { PUT as videoRoomRoute } from "@/app/api/v3/appointments/[appointmentId]/video-room/route";
import { call, type ApiAnswer, type Tenant } from "./api";
import { immediateGeneralExample } from "./fixtures/seed-examples";

/** Any route under /api/rooms/{roomId}/… that a participant calls. */
export type RoomActionRoute = (request: Request, segment: { params: Promise<{ roomId: string }> }) => Promise<Response>;

export type Link = { consultationId: string; pin: string; patientToken: string; providerToken: string };
export type Participant = { id: string; roomId: string; consultationId: string; role: string; cookie: string };

let people = 0;
/** An immediate consultation through POST /api/consultations, as a clinic's system makes one. */
export async function newConsultation(tenant: Tenant): Promise<Link> {
  const example = immediateGeneralExample();
  const n = ++people;
  const res = await call(createConsultationRoute, {
    path: "/api/consultations",
    headers: tenant.headers,
    body: {
      ...example,
      provider: { ...example.provider, documentNumber: String(50_000_000 + n) },
      patient: { ...example.patient, documentNumber: String(60_000_000 + n) },
    },
  });
  expect(res.status, res.text).toBe(200);
  const token = (url: string) => new URL(url).pathname.split("/").pop()!;
  return {
    consultationId: res.json.data.consultationId,
    pin: res.json.data.accessPin,
    patientToken: token(res.json.data.participantAccess.patientUrl),
    providerToken: token(res.json.data.participantAccess.providerUrl),
  };
}

export function enterPin(token: string, type: string, pin: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
  return call(enterPinRoute, { path: `/api/join/${token}/session?type=${type}`, headers, body: { pin }, params: { token } });
}

/** The PIN accepted at a link: the participant and the cookie its browser now holds. */
export async function signIn(link: Link, role: "patient" | "provider"): Promise<Participant> {
  const res = await enterPin(role === "patient" ? link.patientToken : link.providerToken, role, link.pin);
  expect(res.status, res.text).toBe(201);
  const [pair] = res.headers.get("set-cookie")!.split(";");
  return { ...res.json.data, id: res.json.data.participantId, cookie: pair! };
}

export function openVideoRoom(p: Pick<Participant, "id" | "consultationId">, headers: Record<string, string>) {
  return call(videoRoomRoute, {
    method: "PUT",
    path: `/api/v3/appointments/${p.consultationId}/video-room?participantId=${p.id}`,
    headers,
    params: { appointmentId: p.consultationId },
  });
}

export async function join(p: Participant): Promise<ApiAnswer> {
  const res = await openVideoRoom(p, { cookie: p.cookie, "user-agent": "vitest" });
  expect(res.status, res.text).toBe(200);
  return res;
}

/** Both participants signed in and in the call. */
export async function inCall(tenant: Tenant): Promise<{ link: Link; patient: Participant; provider: Participant; providerRoom: ApiAnswer; patientRoom: ApiAnswer }> {
  const link = await newConsultation(tenant);
  const provider = await signIn(link, "provider");
  const patient = await signIn(link, "patient");
  const providerRoom = await join(provider);
  const patientRoom = await join(patient);
  return { link, patient, provider, providerRoom, patientRoom };
}

export function roomCall(handler: RoomActionRoute, action: string, p: Participant, body?: unknown, headers: Record<string, string> = {}) {
  return call(handler, {
    method: "POST",
    path: `/api/rooms/${p.roomId}/${action}?participantId=${p.id}`,
    headers: { cookie: p.cookie, ...headers },
    body,
    params: { roomId: p.roomId },
  });
}

export type SseEvent = { id?: number; event?: string; data?: any; retry?: number };

/** Reads a Server-Sent Events body frame by frame, the way EventSource does. */
export class EventReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = "";

  constructor(readonly response: Response) {
    this.reader = response.body!.getReader();
  }

  /** The next frame (comments skipped), or null once the server has closed the stream. */
  async frame(timeoutMs = 3000): Promise<SseEvent | null> {
    for (;;) {
      const end = this.buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const frame: SseEvent = {};
        for (const line of block.split("\n")) {
          const [field, ...rest] = line.split(": ");
          const value = rest.join(": ");
          if (field === "id") frame.id = Number(value);
          else if (field === "event") frame.event = value;
          else if (field === "data") frame.data = JSON.parse(value);
          else if (line.startsWith("retry:")) frame.retry = Number(line.slice(6));
        }
        if (Object.keys(frame).length > 0) return frame;
        continue;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), timeoutMs))),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) return null;
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
    }
  }

  /** The next named event. */
  async event(timeoutMs?: number): Promise<SseEvent | null> {
    for (;;) {
      const frame = await this.frame(timeoutMs);
      if (frame === null || frame.event) return frame;
    }
  }

  async close(): Promise<void> {
    await this.reader.cancel().catch(() => {});
  }
}


const openStreams: EventReader[] = [];

/** Closes the streams openEvents opened; call it after each test. */
export async function closeEventStreams(): Promise<void> {
  await Promise.all(openStreams.splice(0).map((s) => s.close()));
}

/** The participant's realtime stream, as their browser opens it. */
export async function openEvents(p: Participant, headers: Record<string, string> = {}, query = ""): Promise<EventReader> {
  const request = new Request(`http://localhost/api/rooms/${p.roomId}/events?participantId=${p.id}${query}`, { headers: { cookie: p.cookie, ...headers } });
  const response = await eventsRoute(request, { params: Promise.resolve({ roomId: p.roomId }) });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  const reader = new EventReader(response);
  openStreams.push(reader);
  return reader;
}

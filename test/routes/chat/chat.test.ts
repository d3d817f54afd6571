import { randomUUID } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as chatGet, POST as chatPost } from "@/app/api/rooms/[roomId]/chat/route";
import { POST as endRoute } from "@/app/api/rooms/[roomId]/end/route";
import { POST as reportRoute } from "@/app/api/rooms/[roomId]/issue-reports/route";
import { issueReportsOf } from "@/lib/rooms/issue-reports";
import { call, createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { closeEventStreams, inCall, newConsultation, openEvents, roomCall, signIn, type Participant } from "@/test/rooms";
import { CHAT_MESSAGES_PER_MINUTE, consultationTranscript } from "@/lib/chat/messages";
import { CHAT_MESSAGE_MAX_LENGTH } from "@/lib/chat/schema";

const test = setupTestDatabase();

let tenant: Tenant;
let other: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db);
  other = await createTenant(test.db);
});
afterEach(closeEventStreams);

const send = (p: Participant, body: unknown) => roomCall(chatPost, "chat", p, body);
const history = (p: Participant, query = "") =>
  call(chatGet, { path: `/api/rooms/${p.roomId}/chat?participantId=${p.id}${query}`, headers: { cookie: p.cookie }, params: { roomId: p.roomId } });

const CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";
const stats = { transport: "p2p", roundTripTimeMs: 48, packetLossPercent: 1.25, inboundBitrateKbps: 1450, outboundBitrateKbps: 980, candidateType: "relay" };

describe("in-call chat", () => {
  it("goes live to the others in the room, in order, and stays for a reload", async () => {
    const { patient, provider } = await inCall(tenant);
    const providerStream = await openEvents(provider);
    const patientStream = await openEvents(patient);
    expect((await providerStream.event())?.event).toBe("hello");
    expect((await patientStream.event())?.event).toBe("hello");

    const first = await send(patient, { text: "  Hello doctor, can you hear me?  " });
    expect(first.status, first.text).toBe(201);
    expect(first.json.data).toMatchObject({ senderId: patient.id, role: "patient", text: "Hello doctor, can you hear me?" });
    const second = await send(provider, { text: "Yes, clearly." });
    const third = await send(patient, { text: "<b>not bold</b> & <script>alert(1)</script>" });
    expect(third.status).toBe(201);

    // The provider's stream carries the patient's messages, not their own.
    const seenByProvider = [];
    for (let e = await providerStream.event(); e; e = await providerStream.event()) {
      if (e.event === "chat") seenByProvider.push(e.data.text);
      if (seenByProvider.length === 2) break;
    }
    expect(seenByProvider).toEqual(["Hello doctor, can you hear me?", "<b>not bold</b> & <script>alert(1)</script>"]);
    let chatForPatient;
    for (let e = await patientStream.event(); e; e = await patientStream.event()) {
      if (e.event === "chat") {
        chatForPatient = e.data;
        break;
      }
    }
    expect(chatForPatient).toEqual(second.json.data);

    // A reload reads it all back, in the order it was stored, text exactly as written.
    const all = await history(patient);
    expect(all.status).toBe(200);
    expect(all.json.data.map((m: { text: string }) => m.text)).toEqual([
      "Hello doctor, can you hear me?",
      "Yes, clearly.",
      "<b>not bold</b> & <script>alert(1)</script>",
    ]);
    expect(all.json.data.map((m: { id: number }) => m.id)).toEqual([...all.json.data.map((m: { id: number }) => m.id)].sort((a, b) => a - b));
    const later = await history(provider, `&after=${first.json.data.id}`);
    expect(later.json.data.map((m: { text: string }) => m.text)).toEqual(["Yes, clearly.", "<b>not bold</b> & <script>alert(1)</script>"]);
  });

  it("stores a retried send once", async () => {
    const { patient, provider } = await inCall(tenant);
    const clientId = randomUUID();
    const once = await send(patient, { text: "Is the prescription ready?", clientId });
    const again = await send(patient, { text: "Is the prescription ready?", clientId });
    expect(once.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json.data).toEqual(once.json.data);
    expect((await history(provider)).json.data).toHaveLength(1);
  });

  it("says what is wrong with a message, on the field", async () => {
    const { patient } = await inCall(tenant);
    const blank = await send(patient, { text: "   " });
    expect(blank.status).toBe(400);
    expect(blank.json.error.details).toEqual([expect.objectContaining({ field: "text", message: "must not be empty" })]);
    const long = await send(patient, { text: "x".repeat(CHAT_MESSAGE_MAX_LENGTH + 1) });
    expect(long.status).toBe(400);
    expect(long.json.error.details).toEqual([expect.objectContaining({ field: "text", message: `must be at most ${CHAT_MESSAGE_MAX_LENGTH} characters` })]);
    expect((await send(patient, { text: "x".repeat(CHAT_MESSAGE_MAX_LENGTH) })).status).toBe(201);
    const notText = await send(patient, { text: 42 });
    expect(notText.status).toBe(400);
    expect(notText.json.error.details[0].field).toBe("text");
  });

  it("takes messages only from someone in the call, and closes with the consultation", async () => {
    const link = await newConsultation(tenant);
    const patient = await signIn(link, "patient");
    const early = await send(patient, { text: "Anyone there?" });
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe("not_in_call");

    const { patient: inRoom, provider } = await inCall(tenant);
    await send(inRoom, { text: "Thank you, doctor." });
    expect((await roomCall(endRoute, "end", provider, { reason: "ended_by_provider" })).status).toBe(200);
    const afterEnd = await send(inRoom, { text: "One more thing" });
    expect(afterEnd.status).toBe(409);
    expect(afterEnd.json.error.code).toBe("chat_closed");
    // The transcript stays readable and belongs to the consultation.
    expect((await history(inRoom)).json.data.map((m: { text: string }) => m.text)).toEqual(["Thank you, doctor."]);
    const transcript = await consultationTranscript(test.db, tenant.organization.id, inRoom.consultationId);
    expect(transcript.map((m) => [m.role, m.text])).toEqual([["patient", "Thank you, doctor."]]);
    expect(await consultationTranscript(test.db, other.organization.id, inRoom.consultationId)).toEqual([]);
  });

  it("holds back a flood from one participant", async () => {
    const { patient, provider } = await inCall(tenant);
    for (let i = 0; i < CHAT_MESSAGES_PER_MINUTE; i++) expect((await send(patient, { text: `message ${i}` })).status).toBe(201);
    const flooded = await send(patient, { text: "one too many" });
    expect(flooded.status).toBe(429);
    expect(flooded.json.error.code).toBe("chat_rate_limited");
    expect(flooded.headers.get("retry-after")).toBe("60");
    expect((await send(provider, { text: "The provider can still write" })).status).toBe(201);
  });

  it("never reaches another room or works without the PIN's session", async () => {
    const a = await inCall(tenant);
    const b = await inCall(tenant);
    await send(a.patient, { text: "private to room A" });
    const crossed = await call(chatGet, {
      path: `/api/rooms/${a.patient.roomId}/chat?participantId=${b.patient.id}`,
      headers: { cookie: b.patient.cookie },
      params: { roomId: a.patient.roomId },
    });
    expect(crossed.status).toBe(404);
    const noCookie = await call(chatGet, { path: `/api/rooms/${a.patient.roomId}/chat?participantId=${a.patient.id}`, params: { roomId: a.patient.roomId } });
    expect(noCookie.status).toBe(401);
    expect(noCookie.json.error.code).toBe("session_required");
  });
});

describe("issue reports", () => {
  it("stores the report with the role, the browser and the connection's figures", async () => {
    const { patient, provider } = await inCall(tenant);
    const res = await roomCall(reportRoute, "issue-reports", patient, { category: "video", description: "The doctor's picture freezes", connectionStats: stats }, { "user-agent": CHROME_UA });
    expect(res.status, res.text).toBe(201);
    expect(res.json.data).toMatchObject({
      consultationId: patient.consultationId,
      role: "patient",
      category: "video",
      description: "The doctor's picture freezes",
      browser: "Chrome 142 on Linux",
      connectionStats: stats,
    });
    await roomCall(reportRoute, "issue-reports", provider, { category: "audio", connectionStats: null });

    const reports = await issueReportsOf(test.db, tenant.organization.id, patient.consultationId);
    expect(reports.map((r) => [r.role, r.category, r.connectionStats?.candidateType ?? null])).toEqual([
      ["patient", "video", "relay"],
      ["provider", "audio", null],
    ]);
    expect(await issueReportsOf(test.db, other.organization.id, patient.consultationId)).toEqual([]);
  });

  it("names the field at fault and limits how many one person files", async () => {
    const { patient } = await inCall(tenant);
    const bad = await roomCall(reportRoute, "issue-reports", patient, { category: "smell", connectionStats: { ...stats, packetLossPercent: 140 } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((d: { field: string }) => d.field).sort()).toEqual(["category", "connectionStats.packetLossPercent"]);
    for (let i = 0; i < 10; i++) expect((await roomCall(reportRoute, "issue-reports", patient, { category: "connection" })).status).toBe(201);
    const flooded = await roomCall(reportRoute, "issue-reports", patient, { category: "other" });
    expect(flooded.status).toBe(429);
    expect(flooded.json.error.code).toBe("too_many_reports");
  });

  it("holds the hourly report limit when reports arrive in parallel (issue 13, item 6)", async () => {
    const { patient } = await inCall(tenant);
    const answers = await Promise.all(Array.from({ length: 20 }, () => roomCall(reportRoute, "issue-reports", patient, { category: "audio" })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(10);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(10);
    const [stored] = await test.db.$client<{ n: number }[]>`select count(*)::int as n from issue_reports where participant_id = ${patient.id}`;
    expect(stored!.n).toBe(10);
  });
});

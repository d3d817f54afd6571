import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as sessionRoute } from "@/app/api/join/[token]/session/route";
import { GET as listChat, POST as sendChat } from "@/app/api/rooms/[roomId]/chat/route";
import { POST as reportRoute } from "@/app/api/rooms/[roomId]/issue-reports/route";
import { POST as leaveRoute } from "@/app/api/rooms/[roomId]/leave/route";
import { PUT as roomVideoRoute } from "@/app/api/rooms/[roomId]/video-room/route";
import { GET as read } from "@/app/api/teleconsultation/[roomId]/route";
import { POST as create } from "@/app/api/teleconsultation/route";
import { call, createTenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";

const test = setupTestDatabase();

/**
 * A room made through the API is the same room as a consultation's: its personal links give a
 * session, and the call's chat, issue reports, leaving and the live rule work on it.
 */
describe("a teleconsultation room's call", () => {
  it("joins through personal links, chats, reports a problem, and ends when the second-to-last person leaves", async () => {
    const tenant = await createTenant(test.db);
    const created = await call(create, {
      path: "/api/teleconsultation",
      headers: tenant.headers,
      body: {
        participants: {
          number: 2,
          data: [
            { userExternalId: "doc-1", groups: ["doctor"], fullName: "Dr. Ana Martínez" },
            { userExternalId: "pat-1", groups: ["patient"], fullName: "Luis Pérez" },
          ],
        },
        start_date: new Date(Date.now() - 60_000).toISOString(),
        duration_in_seconds: 1800,
      },
    });
    expect(created.status, created.text).toBe(201);
    const roomId: string = created.json.roomId;

    const enter = async (userExternalId: string) => {
      const view = await call(read, { path: `/api/teleconsultation/${roomId}`, headers: { ...tenant.headers, "x-user-id": userExternalId }, params: { roomId } });
      const token = new URL(view.json.accessLinkURL).pathname.split("/").pop()!;
      const opened = await call(sessionRoute, { path: `/api/join/${token}/session`, body: {}, params: { token } });
      expect(opened.status, opened.text).toBe(201);
      const participantId: string = opened.json.data.participantId;
      const cookie = opened.headers.get("set-cookie")!.split(";")[0]!;
      const joined = await call(roomVideoRoute, { method: "PUT", path: `/api/rooms/${roomId}/video-room?participantId=${participantId}`, headers: { cookie }, params: { roomId } });
      expect(joined.status, joined.text).toBe(200);
      return { participantId, headers: { cookie }, query: `?participantId=${participantId}` };
    };
    const doctor = await enter("doc-1");
    const patient = await enter("pat-1");

    const sent = await call(sendChat, { path: `/api/rooms/${roomId}/chat${patient.query}`, headers: patient.headers, params: { roomId }, body: { text: "Can you hear me?" } });
    expect(sent.status, sent.text).toBe(201);
    expect(sent.json.data).toMatchObject({ role: "member", displayName: "Luis Pérez", text: "Can you hear me?" });
    const history = await call(listChat, { path: `/api/rooms/${roomId}/chat${doctor.query}`, headers: doctor.headers, params: { roomId } });
    expect(history.json.data.map((m: { text: string }) => m.text)).toEqual(["Can you hear me?"]);

    const report = await call(reportRoute, { path: `/api/rooms/${roomId}/issue-reports${patient.query}`, headers: patient.headers, params: { roomId }, body: { category: "audio", description: "Echo" } });
    expect(report.status, report.text).toBe(201);
    expect(report.json.data).toMatchObject({ consultationId: null, role: "member", category: "audio" });

    // LIVE_TELECONSULTATION (on by default): when the patient leaves, one remains, and the call ends for everyone.
    const left = await call(leaveRoute, { path: `/api/rooms/${roomId}/leave${patient.query}`, headers: patient.headers, params: { roomId }, body: {} });
    expect(left.status, left.text).toBe(200);
    expect(left.json.data).toEqual({ left: true, ended: true });
    const [room] = await test.db.execute<{ status: string; completion_reason: string }>(sql`select status, completion_reason from rooms where id = ${roomId}`);
    expect(room).toEqual({ status: "Completed", completion_reason: "participants_left" });
    const closed = await call(sendChat, { path: `/api/rooms/${roomId}/chat${doctor.query}`, headers: doctor.headers, params: { roomId }, body: { text: "Still there?" } });
    expect(closed.status).toBe(409);
    expect(closed.json.error.code).toBe("chat_closed");
    const after = await call(read, { path: `/api/teleconsultation/${roomId}`, headers: { ...tenant.headers, "x-user-id": "doc-1" }, params: { roomId } });
    expect(after.json.details.status).toBe("ENDED");
    expect(after.json.details.durationUsedInSeconds).toBeGreaterThanOrEqual(0);
  });
});

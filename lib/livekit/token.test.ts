import { randomUUID } from "node:crypto";
import { jwtVerify, type JWTPayload } from "jose";
import { describe, expect, it } from "vitest";
import { grantsFor, mintParticipantToken, type LivekitConfig } from "./token";

const CONFIG: LivekitConfig = { url: "wss://livekit.portal.test", apiKey: "APIkey123", apiSecret: "a-livekit-api-secret-of-decent-length-0123", tokenTtlSeconds: 600 };
const secret = new TextEncoder().encode(CONFIG.apiSecret);

type LivekitClaims = JWTPayload & { name?: string; metadata?: string; attributes?: Record<string, string>; video?: Record<string, unknown> };

async function verified(token: string): Promise<LivekitClaims> {
  const { payload } = await jwtVerify<LivekitClaims>(token, secret, { issuer: CONFIG.apiKey, algorithms: ["HS256"] });
  return payload;
}

/** Grants no participant may hold: they would reach beyond their own call. */
const FORBIDDEN = ["roomAdmin", "roomCreate", "roomList", "roomRecord", "recorder", "hidden", "ingressAdmin", "agent", "destinationRoom", "canSubscribeMetrics", "canManageAgentSession"];

describe("a participant's LiveKit token", () => {
  it("names our participant, their display name, role and privilege, our room, and expires after LIVEKIT_TOKEN_TTL_SECONDS", async () => {
    const roomId = randomUUID();
    const participant = { id: randomUUID(), role: "patient" as const, displayName: "María García López", privilege: "basic" as const, group: null };
    const before = Math.floor(Date.now() / 1000);
    const { token, expiresAt } = await mintParticipantToken(CONFIG, { roomId, participant });
    const claims = await verified(token);

    expect(claims.iss).toBe(CONFIG.apiKey);
    expect(claims.sub).toBe(participant.id);
    expect(claims.name).toBe("María García López");
    expect(claims.attributes).toEqual({ role: "patient", privilege: "basic" });
    expect(JSON.parse(claims.metadata!)).toEqual({ role: "patient", privilege: "basic" });
    expect(claims.video!.room).toBe(roomId);
    expect(claims.exp! - before).toBeGreaterThanOrEqual(600);
    expect(claims.exp! - before).toBeLessThanOrEqual(602);
    expect(expiresAt.getTime()).toBe(claims.exp! * 1000);

    // Signed with our secret only: another secret does not verify it.
    await expect(jwtVerify(token, new TextEncoder().encode("another-secret-of-the-same-sort-0123456"))).rejects.toThrow();
    const other = await mintParticipantToken({ ...CONFIG, tokenTtlSeconds: 60 }, { roomId, participant });
    expect((await verified(other.token)).exp! - before).toBeLessThanOrEqual(62);
  });

  it("carries a standalone room member's group and privilege, so their tile can say who they are", async () => {
    const participant = { id: randomUUID(), role: "member" as const, displayName: "Luca Rossi", privilege: "basic" as const, group: "interpreter" };
    const claims = await verified((await mintParticipantToken(CONFIG, { roomId: randomUUID(), participant })).token);
    expect(claims.attributes).toEqual({ role: "member", privilege: "basic", group: "interpreter" });
    expect(JSON.parse(claims.metadata!)).toEqual({ role: "member", privilege: "basic", group: "interpreter" });
  });

  it("lets a patient publish camera and microphone only, and a provider also share the screen; nobody publishes data or administers", async () => {
    const roomId = randomUUID();
    const patient = await verified((await mintParticipantToken(CONFIG, { roomId, participant: { id: randomUUID(), role: "patient", displayName: "P", privilege: "basic", group: null } })).token);
    const provider = await verified((await mintParticipantToken(CONFIG, { roomId, participant: { id: randomUUID(), role: "provider", displayName: "Dr", privilege: "plus", group: null } })).token);

    expect(patient.video).toEqual({
      room: roomId,
      roomJoin: true,
      canSubscribe: true,
      canPublish: true,
      canPublishSources: ["camera", "microphone"],
      canPublishData: false,
      canUpdateOwnMetadata: false,
    });
    expect(provider.video).toEqual({ ...patient.video, canPublishSources: ["camera", "microphone", "screen_share", "screen_share_audio"] });
    for (const claims of [patient, provider]) {
      for (const grant of FORBIDDEN) expect(claims.video![grant], grant).toBeUndefined();
      expect(claims.sip).toBeUndefined();
      expect(claims.roomConfig).toBeUndefined();
    }
    expect(grantsFor("provider", roomId).room).toBe(roomId);
  });
});

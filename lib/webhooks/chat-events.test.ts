import { sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatActor } from "@/lib/chat-sessions/access";
import {
  createChatSession,
  patchChatSession,
} from "@/lib/chat-sessions/sessions";
import { appSealer, appUrl } from "@/lib/config";
import { openBoss } from "@/lib/jobs/boss";
import { recordEvent } from "@/lib/outbox";
import { createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { startReceiver, type Receiver } from "@/test/receiver";
import { attemptDelivery } from "./deliver";
import { sendTestEvent } from "./deliveries";
import { dispatchOutbox } from "./dispatch";
import { createEndpoint, type WebhookContext } from "./endpoints";
import { CHAT_EVENTS, WEBHOOK_EVENT_BODIES } from "./events";

/**
 * A chat session's webhooks: the directives' events recorded by the real chat-sessions code, and
 * `chat_message.created` as the messages' helper records it, delivered to a real HTTP receiver
 * and checked as the receiver sees them: ids and who, never a message's text or a name.
 */

const test = setupTestDatabase();
// 10:00 in Bogotá (UTC-5), the test organization's timezone.
const T0 = new Date("2030-03-04T15:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const settings = { unlimited: false, live: true, immutableMs: 0 };

let tenant: Tenant;
let boss: PgBoss;
let ctx: WebhookContext;
let receiver: Receiver;
const users: Record<string, { roomUserId: string; externalId: string }> = {};

beforeAll(async () => {
  tenant = await createTenant(test.db, { timezone: "America/Bogota" });
  boss = await openBoss(test.url, { attemptTimeoutSeconds: 2 });
  ctx = {
    organizationId: tenant.organization.id,
    sealer: appSealer(),
    allowInsecure: true,
  };
  receiver = await startReceiver();
  for (const [externalId, group, name] of [
    ["doc-ext-1", "doctor", "Ana Bermúdez Quintero"],
    ["pat-ext-2", "patient", "Luis Ñáñez Pardo"],
  ]) {
    const [row] = await test.db.execute<{ id: string }>(sql`
      insert into room_users (organization_id, external_id, full_name, groups)
      values (${tenant.organization.id}, ${externalId}, ${name}, array[${group}]::text[]) returning id`);
    users[externalId!] = { roomUserId: row!.id, externalId: externalId! };
  }
});
afterAll(async () => {
  await boss?.stop({ graceful: false, timeout: 1000 });
  await receiver?.close();
});

const actorOf = (externalId?: string): ChatActor => ({
  organizationId: tenant.organization.id,
  kind: "integrator",
  user: externalId ? users[externalId] : undefined,
});

async function drainOutbox() {
  while (
    (await dispatchOutbox(test.db, boss, {
      appUrl: appUrl(),
      sealer: appSealer(),
    })) > 0
  );
}

describe("a chat session's webhooks", () => {
  it("sends each directive's event and chat_message.created, signed, with ids and who only", async () => {
    const endpoint = await createEndpoint(test.db, ctx, {
      url: `${receiver.url}/chat`,
      events: [...CHAT_EVENTS],
    });
    const session = await createChatSession(
      test.db,
      actorOf(),
      { now: at(0), settings },
      {
        participants: ["doc-ext-1", "pat-ext-2"],
        title: "Persistent cough",
      },
    );
    const patch = (
      who: string,
      minutes: number,
      input: Parameters<typeof patchChatSession>[4],
    ) =>
      patchChatSession(
        test.db,
        actorOf(who),
        { now: at(minutes), settings },
        session.id,
        input,
      );
    await patch("pat-ext-2", 1, { start: true });
    await patch("doc-ext-1", 3, { accept: true });
    // What the messages' helper records: whatever else a payload might carry never reaches a receiver.
    await test.db.transaction((tx) =>
      recordEvent(tx, {
        organizationId: tenant.organization.id,
        event: "chat_message.created",
        aggregateType: "chat_session",
        aggregateId: session.id,
        occurredAt: at(4),
        payload: {
          messageId: 17,
          sender: "pat-ext-2",
          hasFile: true,
          text: "I cough blood",
          fileName: "xray.jpg",
        },
      }),
    );
    await patch("doc-ext-1", 20, { finish: "Prescription sent" });

    await drainOutbox();
    const deliveries = await test.db.execute<{
      id: string;
      consultation_id: string | null;
    }>(sql`
      select d.id, d.consultation_id from webhook_deliveries d join outbox_events e on e.id = d.event_id
      where d.endpoint_id = ${endpoint.id} order by e.sequence`);
    expect(deliveries).toHaveLength(4);
    const sent = [];
    for (const delivery of deliveries) {
      // Not a consultation's delivery.
      expect(delivery.consultation_id).toBeNull();
      const before = receiver.received.length;
      const result = await attemptDelivery(
        test.db,
        {
          deliveryId: delivery.id,
          round: 1,
          attempt: 1,
          trigger: "scheduled",
        },
        { sealer: appSealer(), allowInsecure: true, timeoutMs: 5000, boss },
      );
      expect(result.outcome).toBe("delivered");
      sent.push(receiver.received[before]!);
    }

    const bodies = sent.map((s) => JSON.parse(s.body));
    expect(bodies.map((b) => b.event)).toEqual([
      "chat_session.started",
      "chat_session.accepted",
      "chat_message.created",
      "chat_session.finished",
    ]);
    for (const [i, s] of sent.entries()) {
      expect(() =>
        new Webhook(endpoint.secret).verify(
          s.body,
          s.headers as Record<string, string>,
        ),
      ).not.toThrow();
      expect(s.headers["x-telehealth-event"]).toBe(bodies[i].event);
      expect(
        WEBHOOK_EVENT_BODIES[
          bodies[i].event as (typeof CHAT_EVENTS)[number]
        ].parse(bodies[i]),
      ).toEqual(bodies[i]);
      for (const secret of [
        "cough",
        "blood",
        "xray",
        "Bermúdez",
        "Ñáñez",
        "fullName",
      ])
        expect(s.body).not.toContain(secret);
    }
    const [started, accepted, message, finished] = bodies;
    expect(started).toMatchObject({
      timestamp: "2030-03-04 10:01",
      organizationId: tenant.organization.id,
      version: "1",
    });
    expect(started.data).toEqual({
      chatSessionId: session.id,
      state: "started",
      room: null,
      participants: ["doc-ext-1", "pat-ext-2"],
      actor: "pat-ext-2",
      at: at(1).getTime(),
    });
    expect(accepted.data).toMatchObject({
      state: "accepted",
      actor: "doc-ext-1",
      at: at(3).getTime(),
    });
    expect(message.data).toEqual({
      chatSessionId: session.id,
      messageId: 17,
      sender: "pat-ext-2",
      hasFile: true,
    });
    expect(finished.data).toMatchObject({
      state: "finished",
      actor: "doc-ext-1",
      reason: "Prescription sent",
      at: at(20).getTime(),
    });
  });

  it("sends test events for every chat event, shaped like real ones and marked as tests", async () => {
    const endpoint = await createEndpoint(test.db, ctx, {
      url: `${receiver.url}/chat-test`,
      events: [...CHAT_EVENTS],
    });
    for (const event of CHAT_EVENTS) {
      const before = receiver.received.length;
      const detail = await sendTestEvent(
        test.db,
        {
          ...ctx,
          timeZone: tenant.organization.timezone,
          appUrl: appUrl(),
        },
        endpoint.id,
        { event },
        { allowInsecure: true, timeoutMs: 5000 },
      );
      expect(detail).toMatchObject({
        event,
        test: true,
        status: "delivered",
        consultationId: null,
      });
      const body = JSON.parse(receiver.received[before]!.body);
      expect(WEBHOOK_EVENT_BODIES[event].parse(body)).toEqual(body);
      expect(body.data).toMatchObject({
        test: true,
        chatSessionId: "00000000-0000-0000-0000-000000000000",
      });
    }
  });
});

import { sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getDeliveryRoute } from "@/app/api/webhooks/[endpointId]/deliveries/[deliveryId]/route";
import { POST as testRoute } from "@/app/api/webhooks/[endpointId]/test/route";
import { appSealer, appUrl } from "@/lib/config";
import { createConsultation } from "@/lib/consultations/create";
import { isSealed } from "@/lib/crypto";
import { openBoss } from "@/lib/jobs/boss";
import { setJobQueue } from "@/lib/jobs/runtime";
import { call, createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { immediateGeneralExample } from "@/test/fixtures/seed-examples";
import { startReceiver, type Receiver } from "@/test/receiver";
import { attemptDelivery } from "@/lib/webhooks/deliver";
import { redeliver } from "@/lib/webhooks/deliveries";
import { dispatchOutbox } from "@/lib/webhooks/dispatch";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { sealPlainDeliveryBodies } from "@/lib/webhooks/sealing";

const test = setupTestDatabase();
let boss: PgBoss;
let tenant: Tenant;
let receiver: Receiver;
let status = 204;

beforeAll(async () => {
  boss = await openBoss(test.url, { attemptTimeoutSeconds: 5 });
  setJobQueue(boss);
  tenant = await createTenant(test.db);
  receiver = await startReceiver((_req, res) => res.writeHead(status).end());
});
afterAll(async () => {
  await receiver?.close();
  await boss?.stop({ graceful: false, close: true });
});

const url = (path: string) => `${receiver.url}${path}`;
const deps = () => ({ sealer: appSealer(), allowInsecure: true, timeoutMs: 5000, boss });
const tokenOf = (link: string) => new URL(link).pathname.split("/").pop()!;

let n = 0;
async function consultationAndEndpoint(path: string) {
  const endpoint = await createEndpoint(test.db, { organizationId: tenant.organization.id, sealer: appSealer(), allowInsecure: true }, { url: url(path), events: ["consultation.created"] });
  const example = immediateGeneralExample();
  n++;
  const view = await createConsultation(
    test.db,
    { organizationId: tenant.organization.id, timeZone: tenant.organization.timezone, appUrl: appUrl(), sealer: appSealer() },
    { ...example, provider: { ...example.provider, documentNumber: String(81_000_000 + n) }, patient: { ...example.patient, documentNumber: String(82_000_000 + n) } },
  );
  while ((await dispatchOutbox(test.db, boss, { appUrl: appUrl(), sealer: appSealer() })) > 0);
  const [delivery] = await test.db.execute<{ id: string; body: string }>(sql`select id, body from webhook_deliveries where endpoint_id = ${endpoint.id}`);
  return { endpoint, view, delivery: delivery! };
}

function detail(endpointId: string, deliveryId: string) {
  return call(getDeliveryRoute, { path: `/api/webhooks/${endpointId}/deliveries/${deliveryId}`, headers: tenant.headers, params: { endpointId, deliveryId } });
}

describe("webhook bodies at rest (issue 13, item 3)", () => {
  it("are sealed, yet every attempt and the redelivery send the same bytes, signed, with both links as the contract says", async () => {
    const { endpoint, view, delivery } = await consultationAndEndpoint("/sealed");
    expect(isSealed(delivery.body)).toBe(true);
    for (const secret of [tokenOf(view.participantAccess.patientUrl), tokenOf(view.participantAccess.providerUrl)]) expect(delivery.body).not.toContain(secret);

    const before = receiver.received.length;
    status = 503;
    await attemptDelivery(test.db, { deliveryId: delivery.id, round: 1, attempt: 1, trigger: "scheduled" }, deps());
    status = 204;
    await attemptDelivery(test.db, { deliveryId: delivery.id, round: 1, attempt: 2, trigger: "scheduled" }, deps());
    await redeliver(test.db, boss, { organizationId: tenant.organization.id }, endpoint.id, delivery.id);
    await attemptDelivery(test.db, { deliveryId: delivery.id, round: 2, attempt: 1, trigger: "manual" }, deps());
    const sent = receiver.received.slice(before);
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((s) => s.body)).size).toBe(1);
    for (const s of sent) expect(() => new Webhook(endpoint.secret).verify(s.body, s.headers as Record<string, string>)).not.toThrow();
    const body = JSON.parse(sent[0]!.body);
    expect(body.data.participantAccess).toEqual(view.participantAccess);

    // The delivery log (API) shows the body that was sent.
    const logged = await detail(endpoint.id, delivery.id);
    expect(logged.status, logged.text).toBe(200);
    expect(JSON.stringify(logged.json.data.payload)).toBe(sent[0]!.body);
  });

  it("written in plain text by an older version, are sent as they are, and sealing them keeps the same bytes", async () => {
    const { endpoint, delivery } = await consultationAndEndpoint("/legacy");
    const plain = appSealer().open(delivery.body);
    // What an older version stored.
    await test.db.execute(sql`update webhook_deliveries set body = ${plain} where id = ${delivery.id}`);

    const before = receiver.received.length;
    await attemptDelivery(test.db, { deliveryId: delivery.id, round: 1, attempt: 1, trigger: "scheduled" }, deps());
    expect(receiver.received.slice(before).map((r) => r.body)).toEqual([plain]);
    expect(JSON.stringify((await detail(endpoint.id, delivery.id)).json.data.payload)).toBe(plain);

    // Small batches, so the pages are walked.
    expect(await sealPlainDeliveryBodies(test.db, appSealer(), 1)).toBeGreaterThanOrEqual(1);
    const [row] = await test.db.execute<{ body: string }>(sql`select body from webhook_deliveries where id = ${delivery.id}`);
    expect(isSealed(row!.body)).toBe(true);
    expect(await sealPlainDeliveryBodies(test.db, appSealer())).toBe(0);

    await redeliver(test.db, boss, { organizationId: tenant.organization.id }, endpoint.id, delivery.id);
    await attemptDelivery(test.db, { deliveryId: delivery.id, round: 2, attempt: 1, trigger: "manual" }, deps());
    expect(receiver.received.at(-1)!.body).toBe(plain);
    expect(JSON.stringify((await detail(endpoint.id, delivery.id)).json.data.payload)).toBe(plain);
  });

  it("of a test event are sealed too, and shown in the answer as they were sent", async () => {
    const endpoint = await createEndpoint(test.db, { organizationId: tenant.organization.id, sealer: appSealer(), allowInsecure: true }, { url: url("/test-event"), events: ["consultation.created"] });
    const answer = await call(testRoute, { method: "POST", path: `/api/webhooks/${endpoint.id}/test`, headers: tenant.headers, params: { endpointId: endpoint.id } });
    expect(answer.status, answer.text).toBe(200);
    expect(JSON.stringify(answer.json.data.payload)).toBe(receiver.received.at(-1)!.body);
    const [row] = await test.db.execute<{ body: string }>(sql`select body from webhook_deliveries where endpoint_id = ${endpoint.id}`);
    expect(isSealed(row!.body)).toBe(true);
  });
});

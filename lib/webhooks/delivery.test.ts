import { createHmac } from "node:crypto";
import { sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appSealer, appUrl } from "@/lib/config";
import { createConsultation } from "@/lib/consultations/create";
import { isSealed } from "@/lib/crypto";
import { openBoss } from "@/lib/jobs/boss";
import { startJobs, type Jobs } from "@/lib/jobs";
import { createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { immediateGeneralExample } from "@/test/fixtures/seed-examples";
import { startReceiver, type Receiver } from "@/test/receiver";
import { attemptDelivery } from "./deliver";
import { listDeliveries, redeliver } from "./deliveries";
import { dispatchOutbox } from "./dispatch";
import { createEndpoint, rotateSecret, type WebhookContext } from "./endpoints";
import { RETRY_DELAYS_SECONDS } from "./retry";

const test = setupTestDatabase();
const SECOND = 1000;

let tenant: Tenant;
let boss: PgBoss;
let ctx: WebhookContext;
const receivers: Receiver[] = [];
async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

beforeAll(async () => {
  tenant = await createTenant(test.db);
  boss = await openBoss(test.url, { attemptTimeoutSeconds: 2 });
  ctx = { organizationId: tenant.organization.id, sealer: appSealer(), allowInsecure: true };
});
afterAll(async () => {
  await boss?.stop({ graceful: false, timeout: 1000 });
  await Promise.all(receivers.map((r) => r.close()));
});

let people = 0;
async function newConsultation(organization = tenant.organization, now = new Date()) {
  const example = immediateGeneralExample();
  const n = ++people;
  return createConsultation(
    test.db,
    { organizationId: organization.id, timeZone: organization.timezone, appUrl: appUrl(), sealer: appSealer(), now },
    {
      ...example,
      provider: { ...example.provider, documentNumber: String(50_000_000 + n) },
      patient: { ...example.patient, documentNumber: String(60_000_000 + n) },
    },
  );
}

async function drainOutbox() {
  while ((await dispatchOutbox(test.db, boss, { appUrl: appUrl(), sealer: appSealer() })) > 0);
}

async function deliveriesTo(endpointId: string) {
  return test.db.execute<{ id: string; event: string; status: string; attempt_count: number; consultation_id: string; next_ms: number | null; last_status_code: number | null }>(sql`
    select id, event, status, attempt_count, consultation_id, last_status_code, extract(epoch from next_attempt_at)::float8 * 1000 as next_ms
    from webhook_deliveries where endpoint_id = ${endpointId} order by created_at, id`);
}

async function queuedAttempts(deliveryId: string) {
  const rows = await test.db.execute<{ data: { attempt: number }; start_ms: number; state: string }>(sql`
    select data, state, extract(epoch from start_after)::float8 * 1000 as start_ms from pgboss.job
    where name = 'webhook-deliver' and data->>'deliveryId' = ${deliveryId} order by created_on`);
  return rows.map((r) => ({ attempt: r.data.attempt, startAfter: Number(r.start_ms), state: r.state }));
}

const deps = (now: () => Date) => ({ sealer: appSealer(), allowInsecure: true, timeoutMs: 2000, boss, now, random: () => 0.5 });

describe("fan-out", () => {
  it("makes one delivery per event and subscribed endpoint, none for other organizations or disabled endpoints, even with two dispatchers at once", async () => {
    const r = await receiver();
    const all = await createEndpoint(test.db, ctx, { url: `${r.url}/all`, events: ["consultation.created", "consultation.completed"] });
    const other = await createEndpoint(test.db, ctx, { url: `${r.url}/expired-only`, events: ["consultation.expired"] });
    const stranger = await createTenant(test.db);
    const theirs = await createEndpoint(test.db, { ...ctx, organizationId: stranger.organization.id }, { url: `${r.url}/theirs`, events: ["consultation.created"] });

    const mine = await newConsultation();
    await Promise.all([drainOutbox(), drainOutbox()]);
    const delivered = await deliveriesTo(all.id);
    expect(delivered.filter((d) => d.consultation_id === mine.consultationId).map((d) => d.event)).toEqual(["consultation.created"]);
    expect((await deliveriesTo(other.id)).length).toBe(0);
    expect((await deliveriesTo(theirs.id)).filter((d) => d.consultation_id === mine.consultationId).length).toBe(0);
    const jobs = await queuedAttempts(delivered.at(-1)!.id);
    expect(jobs.map((j) => j.attempt)).toEqual([1]);
  });

  it("settles the events no endpoint asked for without a delivery, while a subscriber's still go out, each once", async () => {
    const r = await receiver();
    const quiet = await createTenant(test.db); // no webhooks at all
    const subscriber = await createTenant(test.db);
    const endpoint = await createEndpoint(test.db, { ...ctx, organizationId: subscriber.organization.id }, { url: `${r.url}/created`, events: ["consultation.created"] });
    const off = await createEndpoint(test.db, { ...ctx, organizationId: quiet.organization.id }, { url: `${r.url}/off`, events: ["consultation.created"] });
    await test.db.execute(sql`update webhook_endpoints set enabled = false where id = ${off.id}`);
    const unheard = await Promise.all([newConsultation(quiet.organization), newConsultation(quiet.organization)]);
    const heard = await newConsultation(subscriber.organization);
    await Promise.all([drainOutbox(), drainOutbox()]);

    const undispatched = await test.db.execute<{ n: number }>(sql`select count(*)::int as n from outbox_events where dispatched_at is null`);
    expect(undispatched[0]!.n).toBe(0);
    const made = await test.db.execute<{ consultation_id: string; endpoint_id: string }>(sql`
      select consultation_id, endpoint_id from webhook_deliveries
      where consultation_id in (${unheard[0]!.consultationId}, ${unheard[1]!.consultationId}, ${heard.consultationId})`);
    expect(made.map((d) => [d.consultation_id, d.endpoint_id])).toEqual([[heard.consultationId, endpoint.id]]);
    // Nothing left: a further run takes nothing.
    expect(await dispatchOutbox(test.db, boss, { appUrl: appUrl(), sealer: appSealer() })).toBe(0);
  });

  it("sends the consultation with the patient minimised: no name, phone or e-mail leaves in a webhook", async () => {
    const r = await receiver();
    const endpoint = await createEndpoint(test.db, ctx, { url: `${r.url}/body`, events: ["consultation.created"] });
    const view = await newConsultation();
    await drainOutbox();
    const [delivery] = (await deliveriesTo(endpoint.id)).filter((d) => d.consultation_id === view.consultationId);
    const [stored] = await test.db.execute<{ body: string }>(sql`select body from webhook_deliveries where id = ${delivery!.id}`);
    // Sealed at rest (it carries the join links); what the receiver gets is the body inside.
    expect(isSealed(stored!.body)).toBe(true);
    const row = { body: appSealer().open(stored!.body) };
    const body = JSON.parse(row.body);
    expect(Object.keys(body)).toEqual(["event", "timestamp", "organizationId", "data", "version"]);
    expect(body).toMatchObject({ event: "consultation.created", organizationId: tenant.organization.id, version: "1" });
    expect(body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(body.data).toMatchObject({
      consultationId: view.consultationId,
      participantAccess: view.participantAccess,
      provider: view.provider,
      scheduledAt: view.scheduledAt,
      status: "Pending",
      createdAt: view.createdAt,
      patient: { documentType: view.patient.documentType, documentLastDigits: view.patient.documentNumber.slice(-4), nameInitials: expect.stringMatching(/^([A-Z]\. ?)+$/) },
    });
    const example = immediateGeneralExample();
    for (const secret of [view.patient.name, view.patient.documentNumber, example.patient.phone, example.patient.email, view.accessPin]) {
      expect(row.body).not.toContain(secret);
    }
  });
});

describe("an attempt", () => {
  it("is signed for Standard Webhooks receivers and for X-Telehealth-Signature checks; a tampered body or an old timestamp fails", async () => {
    const r = await receiver();
    const endpoint = await createEndpoint(test.db, ctx, { url: `${r.url}/signed`, events: ["consultation.created"] });
    await newConsultation();
    await drainOutbox();
    const [delivery] = await deliveriesTo(endpoint.id);
    expect(await attemptDelivery(test.db, { deliveryId: delivery!.id, round: 1, attempt: 1, trigger: "scheduled" }, deps(() => new Date()))).toMatchObject({ outcome: "delivered" });

    const [got] = r.received;
    const headers = got!.headers as Record<string, string>;
    expect(headers).toMatchObject({ "webhook-id": delivery!.id, "x-telehealth-delivery": delivery!.id, "x-telehealth-event": "consultation.created" });
    expect(headers["user-agent"]).toMatch(/^telemed-portal-webhooks\/\d+\.\d+\.\d+$/);
    // Any Standard Webhooks library verifies it.
    expect(() => new Webhook(endpoint.secret).verify(got!.body, headers)).not.toThrow();
    // A plain HMAC of the raw body, keyed with the secret as shown.
    expect(headers["x-telehealth-signature"]).toBe(createHmac("sha256", endpoint.secret).update(got!.body).digest("hex"));

    const tampered = got!.body.replace("consultation.created", "consultation.completed");
    expect(() => new Webhook(endpoint.secret).verify(tampered, headers)).toThrow();
    expect(headers["x-telehealth-signature"]).not.toBe(createHmac("sha256", endpoint.secret).update(tampered).digest("hex"));
    const old = { ...headers, "webhook-timestamp": String(Math.floor(Date.now() / 1000) - 10 * 60) };
    expect(() => new Webhook(endpoint.secret).verify(got!.body, old)).toThrow(/timestamp/i);
    // Another endpoint's secret does not verify it.
    const stranger = await rotateSecret(test.db, ctx, (await createEndpoint(test.db, ctx, { url: `${r.url}/x`, events: ["session_started"] })).id);
    expect(() => new Webhook(stranger.secret).verify(got!.body, headers)).toThrow();
  });

  it("after a rotation is signed with both secrets for a day, then with the new one only", async () => {
    const r = await receiver();
    const endpoint = await createEndpoint(test.db, ctx, { url: `${r.url}/rotate`, events: ["consultation.created"] });
    const rotated = await rotateSecret(test.db, ctx, endpoint.id);
    await newConsultation();
    await newConsultation();
    await drainOutbox();
    const [first, second] = await deliveriesTo(endpoint.id);
    await attemptDelivery(test.db, { deliveryId: first!.id, round: 1, attempt: 1, trigger: "scheduled" }, deps(() => new Date()));
    const during = r.received.at(-1)!;
    const h = during.headers as Record<string, string>;
    expect(() => new Webhook(endpoint.secret).verify(during.body, h)).not.toThrow();
    expect(() => new Webhook(rotated.secret).verify(during.body, h)).not.toThrow();
    expect(h["x-telehealth-signature"]).toBe(createHmac("sha256", rotated.secret).update(during.body).digest("hex"));
    expect(h["x-telehealth-signature-previous"]).toBe(createHmac("sha256", endpoint.secret).update(during.body).digest("hex"));

    const dayLater = new Date(Date.now() + 24 * 3600 * SECOND + SECOND);
    await attemptDelivery(test.db, { deliveryId: second!.id, round: 1, attempt: 1, trigger: "scheduled" }, deps(() => dayLater));
    const after = r.received.at(-1)!;
    expect((after.headers["webhook-signature"] as string).split(" ")).toHaveLength(1);
    expect(after.headers["x-telehealth-signature-previous"]).toBeUndefined();
    expect(after.headers["x-telehealth-signature"]).toBe(createHmac("sha256", rotated.secret).update(after.body).digest("hex"));
  });
});

describe("retries", () => {
  it("follow 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h on a controllable clock, then fail, and three days of failure disable the endpoint", async () => {
    const r = await receiver();
    r.answer = (_req, res) => void res.writeHead(503).end("busy");
    const endpoint = await createEndpoint(test.db, ctx, { url: `${r.url}/down`, events: ["consultation.created"] });
    await newConsultation();
    await drainOutbox();
    const [delivery] = await deliveriesTo(endpoint.id);
    let clock = new Date("2030-01-01T00:00:00Z").getTime();
    const start = clock;

    for (let attempt = 1; attempt <= RETRY_DELAYS_SECONDS.length + 1; attempt++) {
      const result = await attemptDelivery(test.db, { deliveryId: delivery!.id, round: 1, attempt, trigger: "scheduled" }, deps(() => new Date(clock)));
      const wait = RETRY_DELAYS_SECONDS[attempt - 1];
      if (wait === undefined) {
        expect(result).toMatchObject({ outcome: "retry", nextAttemptAt: null });
        break;
      }
      // random() = 0.5 puts the ±10% jitter at its middle: exactly the schedule.
      expect(result).toMatchObject({ outcome: "retry", nextAttemptAt: new Date(clock + wait * SECOND) });
      const queued = await queuedAttempts(delivery!.id);
      expect(queued.at(-1)).toMatchObject({ attempt: attempt + 1, startAfter: clock + wait * SECOND });
      clock += wait * SECOND;
    }
    const [done] = await deliveriesTo(endpoint.id);
    expect(done).toMatchObject({ status: "failed", attempt_count: 10, last_status_code: 503 });
    expect(clock - start).toBeGreaterThan(3 * 24 * 3600 * SECOND);
    const [attempts] = await test.db.execute<{ n: number }>(sql`select count(*)::int as n from webhook_attempts where delivery_id = ${delivery!.id}`);
    expect(attempts!.n).toBe(10);
    const [state] = await test.db.execute<{ enabled: boolean; disabled_reason: string | null }>(sql`select enabled, disabled_reason from webhook_endpoints where id = ${endpoint.id}`);
    expect(state).toEqual({ enabled: false, disabled_reason: "failing" });
    // A job repeated after its attempt was recorded (its worker died before completing it) sends nothing.
    const before = r.received.length;
    expect(await attemptDelivery(test.db, { deliveryId: delivery!.id, round: 1, attempt: 3, trigger: "scheduled" }, deps(() => new Date(clock)))).toEqual({ outcome: "stale" });
    expect(r.received.length).toBe(before);
  });

  it("honour a longer Retry-After, and spread each wait by at most ±10%", async () => {
    const r = await receiver();
    r.answer = (_req, res) => void res.writeHead(429, { "Retry-After": "600" }).end();
    const endpoint = await createEndpoint(test.db, ctx, { url: `${r.url}/slow-down`, events: ["consultation.created"] });
    await newConsultation();
    await newConsultation();
    await drainOutbox();
    const [a, b] = await deliveriesTo(endpoint.id);
    const now = new Date("2030-02-01T00:00:00Z");
    const first = await attemptDelivery(test.db, { deliveryId: a!.id, round: 1, attempt: 1, trigger: "scheduled" }, deps(() => now));
    expect(first).toMatchObject({ outcome: "retry", nextAttemptAt: new Date(now.getTime() + 600 * SECOND) });
    r.answer = (_req, res) => void res.writeHead(500).end();
    const low = await attemptDelivery(test.db, { deliveryId: b!.id, round: 1, attempt: 1, trigger: "scheduled" }, { ...deps(() => now), random: () => 0 });
    expect(low).toMatchObject({ nextAttemptAt: new Date(now.getTime() + 4.5 * SECOND) });
  });

  it("stop at 410, which disables the endpoint; at a redirect, which is not followed; and at other 4xx", async () => {
    const r = await receiver();
    const elsewhere = await receiver();
    const gone = await createEndpoint(test.db, ctx, { url: `${r.url}/gone`, events: ["consultation.created"] });
    const moved = await createEndpoint(test.db, ctx, { url: `${r.url}/moved`, events: ["consultation.created"] });
    const refused = await createEndpoint(test.db, ctx, { url: `${r.url}/refused`, events: ["consultation.created"] });
    r.answer = (req, res) => {
      if (req.url === "/gone") res.writeHead(410).end();
      else if (req.url === "/moved") res.writeHead(302, { Location: `${elsewhere.url}/new` }).end();
      else res.writeHead(400).end("bad");
    };
    await newConsultation();
    await drainOutbox();
    const attempt = async (endpointId: string) => {
      const [d] = await deliveriesTo(endpointId);
      return attemptDelivery(test.db, { deliveryId: d!.id, round: 1, attempt: 1, trigger: "scheduled" }, deps(() => new Date()));
    };
    expect(await attempt(gone.id)).toMatchObject({ outcome: "gone", nextAttemptAt: null });
    expect(await attempt(moved.id)).toMatchObject({ outcome: "rejected", nextAttemptAt: null, response: { statusCode: 302, redirected: true } });
    expect(await attempt(refused.id)).toMatchObject({ outcome: "rejected", nextAttemptAt: null });
    expect(elsewhere.received).toHaveLength(0);
    const states = await test.db.execute<{ id: string; enabled: boolean; disabled_reason: string | null }>(sql`
      select id, enabled, disabled_reason from webhook_endpoints where id in (${gone.id}, ${moved.id}, ${refused.id})`);
    expect(Object.fromEntries(states.map((s) => [s.id, [s.enabled, s.disabled_reason]]))).toEqual({
      [gone.id]: [false, "gone"],
      [moved.id]: [true, null],
      [refused.id]: [true, null],
    });
    for (const e of [gone, moved, refused]) expect((await deliveriesTo(e.id))[0]!.status).toBe("failed");
  });

  it("refuse, at send time, an address that is not public when the setting is off", async () => {
    const r = await receiver();
    const endpoint = await createEndpoint(test.db, ctx, { url: `${r.url}/private`, events: ["consultation.created"] });
    await newConsultation();
    await drainOutbox();
    const [d] = await deliveriesTo(endpoint.id);
    const result = await attemptDelivery(test.db, { deliveryId: d!.id, round: 1, attempt: 1, trigger: "scheduled" }, { ...deps(() => new Date()), allowInsecure: false });
    expect(result).toMatchObject({ outcome: "rejected", response: { statusCode: null, refused: true } });
    expect(r.received).toHaveLength(0);
    await expect(createEndpoint(test.db, { ...ctx, allowInsecure: false }, { url: "https://10.0.0.7/hook", events: ["consultation.created"] })).rejects.toMatchObject({
      code: "webhook_url_forbidden",
      status: 422,
      details: [{ field: "url" }],
    });
  });
});

describe("the delivery log", () => {
  it("pages through deliveries made in one fan-out (they share created_at) without skipping any", async () => {
    const r = await receiver();
    const endpoint = await createEndpoint(test.db, ctx, { url: `${r.url}/log`, events: ["consultation.created"] });
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await newConsultation()).consultationId);
    await drainOutbox();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listDeliveries(test.db, ctx, endpoint.id, { limit: 2, cursor });
      seen.push(...page.items.map((d) => d.consultationId!));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.sort()).toEqual(made.sort());
  });

  it("redelivers with the same message id in a new round; a job left from the old round sends nothing", async () => {
    const r = await receiver();
    r.answer = (_req, res) => void res.writeHead(500).end();
    const endpoint = await createEndpoint(test.db, ctx, { url: `${r.url}/again`, events: ["consultation.created"] });
    await newConsultation();
    await drainOutbox();
    const [d] = await deliveriesTo(endpoint.id);
    await attemptDelivery(test.db, { deliveryId: d!.id, round: 1, attempt: 1, trigger: "scheduled" }, deps(() => new Date()));
    r.answer = (_req, res) => void res.writeHead(200).end("ok");
    const again = await redeliver(test.db, boss, ctx, endpoint.id, d!.id);
    expect(again).toMatchObject({ id: d!.id, status: "pending", attemptCount: 0 });
    // The retry queued in round 1 (attempt 2) and a repeat of round 1's first job are both stale now.
    expect(await attemptDelivery(test.db, { deliveryId: d!.id, round: 1, attempt: 1, trigger: "scheduled" }, deps(() => new Date()))).toEqual({ outcome: "stale" });
    expect(await attemptDelivery(test.db, { deliveryId: d!.id, round: 2, attempt: 1, trigger: "manual" }, deps(() => new Date()))).toMatchObject({ outcome: "delivered" });
    expect(r.received.map((x) => x.headers["webhook-id"])).toEqual([d!.id, d!.id]);
  });
});

describe("the jobs", () => {
  let jobs: Jobs | undefined;
  afterAll(async () => {
    await jobs?.stop();
  });

  it("deliver a new consultation's event by themselves, and expire a consultation nobody joined on the clock they are given", async () => {
    const r = await receiver();
    const endpoint = await createEndpoint(test.db, ctx, { url: `${r.url}/jobs`, events: ["consultation.created", "consultation.expired"] });
    let clockOffset = 0;
    jobs = await startJobs({
      db: test.db,
      databaseUrl: test.url,
      appUrl: appUrl(),
      sealer: appSealer(),
      webhooks: { allowInsecure: true, timeoutSeconds: 2 },
      lifecycle: { intervalSeconds: 1, reconnectGraceSeconds: 40, overrunGraceSeconds: 60 },
      now: () => new Date(Date.now() + clockOffset),
    });
    const view = await newConsultation();
    const arrived = (event: string) => r.received.find((x) => x.body.includes(`"event":"${event}"`) && x.body.includes(view.consultationId));
    await expect.poll(() => arrived("consultation.created"), { timeout: 10_000 }).toBeDefined();

    // Past its end without anyone joining: the sweep expires it and the event follows.
    clockOffset = view.durationMinutes * 60 * SECOND + SECOND;
    await expect.poll(() => arrived("consultation.expired"), { timeout: 15_000 }).toBeDefined();
    const [row] = await test.db.execute<{ status: string }>(sql`select status from consultations where id = ${view.consultationId}`);
    expect(row!.status).toBe("Expired");
    const body = JSON.parse(arrived("consultation.expired")!.body);
    expect(body.data).toMatchObject({ consultationId: view.consultationId, status: "Expired" });
    // The earlier tests' consultations expired on the same sweep; every one of those events arrives too.
    await expect.poll(async () => (await deliveriesTo(endpoint.id)).filter((d) => d.status !== "delivered").length, { timeout: 10_000 }).toBe(0);
    const expiredIds = (await deliveriesTo(endpoint.id)).filter((d) => d.event === "consultation.expired").map((d) => d.consultation_id);
    const [ours] = await test.db.execute<{ n: number }>(sql`select count(*)::int as n from consultations where organization_id = ${tenant.organization.id}`);
    expect(expiredIds.length).toBe(ours!.n);
    expect(new Set(expiredIds).size).toBe(ours!.n);
  });
});

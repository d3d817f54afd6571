import { createHmac } from "node:crypto";
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import { sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as getDeliveryRoute } from "@/app/api/webhooks/[endpointId]/deliveries/[deliveryId]/route";
import { POST as redeliverRoute } from "@/app/api/webhooks/[endpointId]/deliveries/[deliveryId]/redeliver/route";
import { GET as listDeliveriesRoute } from "@/app/api/webhooks/[endpointId]/deliveries/route";
import { POST as rotateRoute } from "@/app/api/webhooks/[endpointId]/rotate-secret/route";
import { DELETE as deleteRoute, GET as getRoute, PATCH as patchRoute } from "@/app/api/webhooks/[endpointId]/route";
import { POST as testRoute } from "@/app/api/webhooks/[endpointId]/test/route";
import { GET as listRoute, POST as createRoute } from "@/app/api/webhooks/route";
import { appSealer, appUrl } from "@/lib/config";
import { createConsultation } from "@/lib/consultations/create";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/envelope";
import { openBoss, QUEUES } from "@/lib/jobs/boss";
import { setJobQueue } from "@/lib/jobs/runtime";
import { call, createTenant, type ApiAnswer, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { immediateGeneralExample } from "@/test/fixtures/seed-examples";
import { startReceiver, type Receiver, type ReceivedRequest } from "@/test/receiver";
import { attemptDelivery } from "@/lib/webhooks/deliver";
import { dispatchOutbox } from "@/lib/webhooks/dispatch";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { MAX_ENDPOINTS_PER_ORGANIZATION } from "@/lib/webhooks/schema";

const test = setupTestDatabase();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HOUR = 3600 * 1000;

let boss: PgBoss;
let tenant: Tenant;
let other: Tenant;

beforeAll(async () => {
  boss = await openBoss(test.url, { attemptTimeoutSeconds: 15 });
  setJobQueue(boss);
  tenant = await createTenant(test.db);
  other = await createTenant(test.db);
});

afterAll(async () => {
  await boss?.stop({ graceful: false, close: true });
});

// ---------------------------------------------------------------------------------------------
// A real receiver on loopback (WEBHOOK_ALLOW_INSECURE_URLS is true in test/setup-env.ts).

const receivers: Receiver[] = [];

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** An integrator's receiver at `/hooks/telehealth`, answering 200 "ok" unless told otherwise. */
async function integrator(answer: (res: ServerResponse) => void = (res) => res.end("ok")) {
  const receiver = await startReceiver((_req, res) => answer(res));
  receivers.push(receiver);
  return { url: `${receiver.url}/hooks/telehealth`, received: receiver.received };
}

// ---------------------------------------------------------------------------------------------
// Calls, as an integrator makes them.

const ids = (endpointId: string, deliveryId?: string) => ({ endpointId, ...(deliveryId ? { deliveryId } : {}) });

function create(who: Tenant, body: unknown): Promise<ApiAnswer> {
  return call(createRoute, { path: "/api/webhooks", headers: who.headers, body });
}

async function createOk(who: Tenant, body: Record<string, unknown>) {
  const res = await create(who, body);
  expect(res.status, res.text).toBe(201);
  return res.json.data as { id: string; secret: string; url: string; events: string[] };
}

function sendTest(who: Tenant, endpointId: string, body?: unknown): Promise<ApiAnswer> {
  return call(testRoute, { method: "POST", path: `/api/webhooks/${endpointId}/test`, headers: who.headers, params: ids(endpointId), body });
}

function patch(who: Tenant, endpointId: string, body: unknown): Promise<ApiAnswer> {
  return call(patchRoute, { method: "PATCH", path: `/api/webhooks/${endpointId}`, headers: who.headers, params: ids(endpointId), body });
}

function headerOf(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name.toLowerCase()];
  if (typeof value !== "string") throw new Error(`no ${name} header`);
  return value;
}

/** Exactly what a receiver would check, with the secret it was shown. */
function expectSigned(request: ReceivedRequest, secret: string) {
  const headers = Object.fromEntries(Object.entries(request.headers).filter((e): e is [string, string] => typeof e[1] === "string"));
  expect(() => new Webhook(secret).verify(request.body, headers)).not.toThrow();
  expect(headerOf(request.headers, "X-Telehealth-Signature")).toBe(createHmac("sha256", secret).update(request.body).digest("hex"));
}

function expectError(res: ApiAnswer, status: number, code: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.json).toMatchObject({ success: false, error: { code }, metadata: { requestId: expect.any(String) } });
}

// ---------------------------------------------------------------------------------------------

describe("registering an endpoint", () => {
  it("answers 201 with the secret, which neither the list nor the endpoint ever shows again, and stores it sealed", async () => {
    const receiver = await integrator();
    const res = await create(tenant, {
      url: receiver.url,
      events: ["consultation.created", "session_started", "consultation.created"],
      description: "  HIS integration  ",
    });
    expect(res.status, res.text).toBe(201);
    const data = res.json.data;
    expect(data).toMatchObject({
      url: receiver.url,
      description: "HIS integration",
      events: ["consultation.created", "session_started"],
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      previousSecretExpiresAt: null,
    });
    expect(data.id).toMatch(UUID);
    expect(data.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(res.json.metadata.requestId).toBe(res.headers.get("x-request-id"));

    const listed = await call(listRoute, { path: "/api/webhooks", headers: tenant.headers });
    expect(listed.status).toBe(200);
    const mine = listed.json.data.find((e: { id: string }) => e.id === data.id);
    expect(mine).toBeDefined();
    expect(mine).not.toHaveProperty("secret");
    expect(listed.text).not.toContain(data.secret.slice(6));

    const got = await call(getRoute, { path: `/api/webhooks/${data.id}`, headers: tenant.headers, params: ids(data.id) });
    expect(got.status).toBe(200);
    expect(got.json.data).toEqual(Object.fromEntries(Object.entries(data).filter(([key]) => key !== "secret")));
    expect(got.text).not.toContain(data.secret.slice(6));

    const [row] = await test.db.execute<{ secret_sealed: string }>(sql`select secret_sealed from webhook_endpoints where id = ${data.id}`);
    expect(row!.secret_sealed).toMatch(/^v1\./);
    expect(row!.secret_sealed).not.toContain(data.secret);
    expect(row!.secret_sealed).not.toContain(data.secret.slice(6));
    expect(appSealer().open(row!.secret_sealed)).toBe(data.secret);

    // Another organization does not see it.
    const theirs = await call(listRoute, { path: "/api/webhooks", headers: other.headers });
    expect(theirs.json.data.map((e: { id: string }) => e.id)).not.toContain(data.id);
  });

  it("refuses invalid bodies with 400 naming every field", async () => {
    const res = await create(tenant, { events: ["consultation.created", "consultation.started"] });
    expectError(res, 400, "validation_error");
    expect(res.json.error.details).toEqual(
      expect.arrayContaining([
        { field: "url", message: "is required", code: expect.any(String) },
        { field: "events.1", message: expect.stringMatching(/^must be one of consultation\.created, /), code: expect.any(String) },
      ]),
    );

    const unknownEvent = await create(tenant, { url: "https://hooks.example.com/x", events: ["nope"] });
    expectError(unknownEvent, 400, "validation_error");
    expect(unknownEvent.json.error.details.map((d: { field: string }) => d.field)).toEqual(["events.0"]);

    const noEvents = await create(tenant, { url: "https://hooks.example.com/x", events: [] });
    expect(noEvents.json.error.details).toEqual([{ field: "events", message: "must name at least one event", code: "too_small" }]);

    const notJson = await call(createRoute, { path: "/api/webhooks", headers: { ...tenant.headers, "content-type": "text/plain" }, body: "url=x" });
    expectError(notJson, 400, "unsupported_content_type");

    const nothing = await call(patchRoute, { method: "PATCH", path: "/api/webhooks/x", headers: tenant.headers, params: ids("x"), body: {} });
    expectError(nothing, 400, "validation_error");
    expect(nothing.json.error.details[0].field).toBe("body");
  });

  it("refuses a URL the guard rejects with 422 and the guard's code on `url`", async () => {
    for (const url of ["ftp://hooks.example.com/x", "https://user:pass@hooks.example.com/x", "https://hooks.example.com/x#frag", "not a url"]) {
      const res = await create(tenant, { url, events: ["consultation.created"] });
      expectError(res, 422, "webhook_url_invalid");
      expect(res.json.error.details).toEqual([{ field: "url", message: expect.any(String), code: "webhook_url_invalid" }]);
    }
    const unresolvable = await create(tenant, { url: "https://no-such-host.invalid/x", events: ["consultation.created"] });
    expectError(unresolvable, 422, "webhook_url_unresolvable");
    expect(unresolvable.json.error.details[0].field).toBe("url");
  });

  it("refuses plain http and non-public addresses when insecure URLs are not allowed (the production setting)", async () => {
    // The routes run with WEBHOOK_ALLOW_INSECURE_URLS=true (loopback receivers), so the
    // production refusal is shown on the same function the POST handler calls, and its error
    // through the same envelope mapper the handler answers with.
    const secure = { organizationId: tenant.organization.id, sealer: appSealer(), allowInsecure: false };
    const refusal = async (url: string) => {
      const error = await createEndpoint(test.db, secure, { url, events: ["consultation.created"] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, url).toBeInstanceOf(AppError);
      const res = errorResponse(error, "0123456789abcdef");
      return { status: res.status, body: (await res.json()) as { error: { code: string; details: { field: string; code: string }[] } } };
    };

    const insecure = await refusal("http://hooks.example.com/x");
    expect(insecure.status).toBe(422);
    expect(insecure.body.error.code).toBe("webhook_url_insecure");
    expect(insecure.body.error.details).toEqual([expect.objectContaining({ field: "url", code: "webhook_url_insecure" })]);

    for (const url of ["https://127.0.0.1/x", "https://10.1.2.3/x", "https://169.254.169.254/latest/meta-data", "https://[::1]/x", "https://[::ffff:192.168.0.1]/x", "https://metadata.google.internal/x"]) {
      const forbidden = await refusal(url);
      expect(forbidden.status, url).toBe(422);
      expect(forbidden.body.error.code, url).toBe("webhook_url_forbidden");
      expect(forbidden.body.error.details[0]).toMatchObject({ field: "url", code: "webhook_url_forbidden" });
    }
    const [count] = await test.db.execute<{ n: number }>(sql`select count(*)::int as n from webhook_endpoints where url like '%169.254%' or url like 'http:%example.com%'`);
    expect(count!.n).toBe(0);
  });

  it(`allows ${MAX_ENDPOINTS_PER_ORGANIZATION} endpoints per organization, then 409 webhook_endpoint_limit`, async () => {
    const crowded = await createTenant(test.db);
    for (let i = 0; i < MAX_ENDPOINTS_PER_ORGANIZATION; i++) await createOk(crowded, { url: `http://127.0.0.1:9/${i}`, events: ["consultation.created"] });
    expectError(await create(crowded, { url: "http://127.0.0.1:9/one-more", events: ["consultation.created"] }), 409, "webhook_endpoint_limit");
    // The limit is per organization.
    await createOk(other, { url: "http://127.0.0.1:9/other", events: ["consultation.created"] });
  });
});

describe("changing an endpoint", () => {
  it("PATCH updates fields, disables with reason manual and enables again", async () => {
    const endpoint = await createOk(tenant, { url: "http://127.0.0.1:9/a", events: ["consultation.created"] });

    const updated = await patch(tenant, endpoint.id, { url: "http://127.0.0.1:9/b", events: ["session_ended", "consultation.completed"], description: "new" });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json.data).toMatchObject({ url: "http://127.0.0.1:9/b", events: ["session_ended", "consultation.completed"], description: "new", enabled: true });
    expect(updated.json.data).not.toHaveProperty("secret");

    const disabled = await patch(tenant, endpoint.id, { enabled: false });
    expect(disabled.status).toBe(200);
    expect(disabled.json.data).toMatchObject({ enabled: false, disabledReason: "manual", disabledAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/) });

    // A disabled endpoint takes no test events.
    expectError(await sendTest(tenant, endpoint.id), 409, "webhook_endpoint_disabled");

    const enabled = await patch(tenant, endpoint.id, { enabled: true, description: null });
    expect(enabled.json.data).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null, description: null });

    const badUrl = await patch(tenant, endpoint.id, { url: "ftp://x.example.com" });
    expectError(badUrl, 422, "webhook_url_invalid");
    const badField = await patch(tenant, endpoint.id, { enabled: "no", events: ["nope"] });
    expectError(badField, 400, "validation_error");
    expect(badField.json.error.details.map((d: { field: string }) => d.field).sort()).toEqual(["enabled", "events.0"]);
  });

  it("rotate-secret answers a new secret; the old one keeps signing for 24 hours", async () => {
    const receiver = await integrator();
    const endpoint = await createOk(tenant, { url: receiver.url, events: ["consultation.completed"] });
    const before = Date.now();
    const rotated = await call(rotateRoute, { method: "POST", path: `/api/webhooks/${endpoint.id}/rotate-secret`, headers: tenant.headers, params: ids(endpoint.id) });
    expect(rotated.status, rotated.text).toBe(200);
    const { secret, previousSecretExpiresAt } = rotated.json.data;
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(endpoint.secret);
    const expires = Date.parse(previousSecretExpiresAt);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 24 * HOUR - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 24 * HOUR);

    const got = await call(getRoute, { path: `/api/webhooks/${endpoint.id}`, headers: tenant.headers, params: ids(endpoint.id) });
    expect(got.json.data.previousSecretExpiresAt).toBe(previousSecretExpiresAt);
    expect(got.json.data).not.toHaveProperty("secret");

    // Both secrets sign: a receiver that has the new one or still the old one accepts the request.
    const sent = await sendTest(tenant, endpoint.id);
    expect(sent.json.data.status).toBe("delivered");
    const [request] = receiver.received;
    expectSigned(request!, secret);
    expect(() => new Webhook(endpoint.secret).verify(request!.body, request!.headers as Record<string, string>)).not.toThrow();
    expect(headerOf(request!.headers, "webhook-signature").split(" ")).toHaveLength(2);
    expect(headerOf(request!.headers, "X-Telehealth-Signature-Previous")).toBe(createHmac("sha256", endpoint.secret).update(request!.body).digest("hex"));
  });

  it("DELETE answers { id, deleted: true } and the endpoint is gone", async () => {
    const endpoint = await createOk(tenant, { url: "http://127.0.0.1:9/gone", events: ["consultation.created"] });
    const res = await call(deleteRoute, { method: "DELETE", path: `/api/webhooks/${endpoint.id}`, headers: tenant.headers, params: ids(endpoint.id) });
    expect(res.status, res.text).toBe(200);
    expect(res.json.data).toEqual({ id: endpoint.id, deleted: true });
    const again = await call(getRoute, { path: `/api/webhooks/${endpoint.id}`, headers: tenant.headers, params: ids(endpoint.id) });
    expectError(again, 404, "not_found");
    expectError(await call(deleteRoute, { method: "DELETE", path: `/api/webhooks/${endpoint.id}`, headers: tenant.headers, params: ids(endpoint.id) }), 404, "not_found");
  });
});

describe("test events", () => {
  it("reach the receiver signed both ways, with every header, and answer the delivery with its attempt", async () => {
    const receiver = await integrator((res) => res.writeHead(204).end());
    const endpoint = await createOk(tenant, { url: receiver.url, events: ["session_started", "consultation.created"] });

    const res = await sendTest(tenant, endpoint.id, { event: "session_started" });
    expect(res.status, res.text).toBe(200);
    const delivery = res.json.data;
    expect(delivery).toMatchObject({
      endpointId: endpoint.id,
      event: "session_started",
      consultationId: null,
      status: "delivered",
      test: true,
      attemptCount: 1,
      lastStatusCode: 204,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(delivery.id).toMatch(UUID);
    expect(delivery.attempts).toEqual([
      { attemptedAt: expect.any(String), statusCode: 204, latencyMs: expect.any(Number), responseExcerpt: "", error: null, trigger: "test" },
    ]);

    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    const h = request!.headers;
    expect(headerOf(h, "webhook-id")).toBe(delivery.id);
    expect(Number(headerOf(h, "webhook-timestamp"))).toBeCloseTo(Date.now() / 1000, -2);
    expect(headerOf(h, "webhook-signature")).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(headerOf(h, "X-Telehealth-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(h["x-telehealth-signature-previous"]).toBeUndefined();
    expect(headerOf(h, "X-Telehealth-Event")).toBe("session_started");
    expect(headerOf(h, "X-Telehealth-Delivery")).toBe(delivery.id);
    expect(headerOf(h, "User-Agent")).toMatch(/^telemed-portal-webhooks\/\d+\.\d+\.\d+/);
    expect(headerOf(h, "Content-Type")).toBe("application/json");
    expectSigned(request!, endpoint.secret);

    // A tampered body or another secret fails both checks.
    expect(() => new Webhook(endpoint.secret).verify(request!.body.replace("session_started", "session_ended"), h as Record<string, string>)).toThrow();
    expect(createHmac("sha256", "whsec_other").update(request!.body).digest("hex")).not.toBe(headerOf(h, "X-Telehealth-Signature"));

    const body = JSON.parse(request!.body);
    expect(body).toEqual({ event: "session_started", timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/), organizationId: tenant.organization.id, data: expect.any(Object), version: "1" });
    expect(body.data).toMatchObject({ test: true, consultationId: "00000000-0000-0000-0000-000000000000", status: "InProgress", participant: { role: "patient" } });
    expect(delivery.payload).toEqual(body);
  });

  it("without a body, imitate the endpoint's first event", async () => {
    const receiver = await integrator();
    const endpoint = await createOk(tenant, { url: receiver.url, events: ["consultation.expired", "consultation.created"] });
    const res = await sendTest(tenant, endpoint.id);
    expect(res.status, res.text).toBe(200);
    expect(res.json.data).toMatchObject({ event: "consultation.expired", status: "delivered" });
    expect(headerOf(receiver.received[0]!.headers, "X-Telehealth-Event")).toBe("consultation.expired");

    expectError(await sendTest(tenant, endpoint.id, { event: "consultation.started" }), 400, "validation_error");
  });

  it("a receiver answering 500 fails the test delivery, with the status and the answer's excerpt; it is not retried", async () => {
    const receiver = await integrator((res) => res.writeHead(500, { "content-type": "text/plain" }).end("database down"));
    const endpoint = await createOk(tenant, { url: receiver.url, events: ["consultation.created"] });
    const res = await sendTest(tenant, endpoint.id);
    expect(res.status, res.text).toBe(200);
    expect(res.json.data).toMatchObject({ status: "failed", test: true, attemptCount: 1, lastStatusCode: 500, lastError: "The receiver answered 500.", nextAttemptAt: null });
    expect(res.json.data.attempts).toEqual([expect.objectContaining({ statusCode: 500, responseExcerpt: "database down", error: null, trigger: "test" })]);
    const jobs = await boss.findJobs(QUEUES.deliverWebhook, { data: { deliveryId: res.json.data.id } });
    expect(jobs).toEqual([]);
    // A test says nothing about the endpoint's health.
    const got = await call(getRoute, { path: `/api/webhooks/${endpoint.id}`, headers: tenant.headers, params: ids(endpoint.id) });
    expect(got.json.data.enabled).toBe(true);
  });

  it("a receiver that is not there fails the delivery with the connection error", async () => {
    const endpoint = await createOk(tenant, { url: "http://127.0.0.1:9/closed", events: ["consultation.created"] });
    const res = await sendTest(tenant, endpoint.id);
    expect(res.json.data).toMatchObject({ status: "failed", lastStatusCode: null, lastError: expect.stringContaining("ECONNREFUSED") });
  });
});

describe("deliveries", () => {
  it("lists an endpoint's deliveries newest first, filters by status, and pages with a cursor", async () => {
    let answer = 200;
    const receiver = await integrator((res) => res.writeHead(answer).end());
    const endpoint = await createOk(tenant, { url: receiver.url, events: ["consultation.created"] });
    const made: string[] = [];
    for (const code of [200, 500, 200]) {
      answer = code;
      made.push((await sendTest(tenant, endpoint.id)).json.data.id);
    }
    const list = (query = "") => call(listDeliveriesRoute, { path: `/api/webhooks/${endpoint.id}/deliveries${query}`, headers: tenant.headers, params: ids(endpoint.id) });

    const all = await list();
    expect(all.status, all.text).toBe(200);
    expect(all.json.data.map((d: { id: string }) => d.id)).toEqual([...made].reverse());
    expect(all.json.pagination).toEqual({ limit: 20, nextCursor: null, hasMore: false });
    expect(all.json.data[0]).not.toHaveProperty("payload");
    expect(all.json.data[0]).not.toHaveProperty("attempts");

    const failed = await list("?status=failed");
    expect(failed.json.data.map((d: { id: string }) => d.id)).toEqual([made[1]]);

    const first = await list("?limit=2");
    expect(first.json.data.map((d: { id: string }) => d.id)).toEqual([made[2], made[1]]);
    expect(first.json.pagination).toEqual({ limit: 2, nextCursor: expect.any(String), hasMore: true });
    const second = await list(`?limit=2&cursor=${encodeURIComponent(first.json.pagination.nextCursor)}`);
    expect(second.json.data.map((d: { id: string }) => d.id)).toEqual([made[0]]);
    expect(second.json.pagination).toEqual({ limit: 2, nextCursor: null, hasMore: false });

    expectError(await list("?limit=500"), 400, "validation_error");
    expectError(await list("?status=lost"), 400, "validation_error");
    const badCursor = await list("?cursor=nonsense");
    expectError(badCursor, 400, "invalid_cursor");
    expect(badCursor.json.error.details[0].field).toBe("cursor");

    const detail = await call(getDeliveryRoute, { path: `/api/webhooks/${endpoint.id}/deliveries/${made[1]}`, headers: tenant.headers, params: ids(endpoint.id, made[1]) });
    expect(detail.status).toBe(200);
    expect(detail.json.data).toMatchObject({ id: made[1], status: "failed", payload: { event: "consultation.created" }, attempts: [{ statusCode: 500 }] });

    // A test delivery cannot be redelivered.
    const again = await call(redeliverRoute, { method: "POST", path: `/api/webhooks/${endpoint.id}/deliveries/${made[1]}/redeliver`, headers: tenant.headers, params: ids(endpoint.id, made[1]) });
    expectError(again, 409, "webhook_test_delivery");
  });

  it("an event of a real consultation is delivered, and redelivering puts it back on the queue as a new round", async () => {
    const receiver = await integrator();
    const endpoint = await createOk(tenant, { url: receiver.url, events: ["consultation.created"] });
    const consultation = await createConsultation(
      test.db,
      { organizationId: tenant.organization.id, timeZone: tenant.organization.timezone, appUrl: appUrl(), sealer: appSealer() },
      immediateGeneralExample(),
    );
    expect(await dispatchOutbox(test.db, boss, { appUrl: appUrl(), sealer: appSealer() })).toBeGreaterThanOrEqual(1);

    const listed = await call(listDeliveriesRoute, { path: `/api/webhooks/${endpoint.id}/deliveries`, headers: tenant.headers, params: ids(endpoint.id) });
    expect(listed.json.data).toHaveLength(1);
    const pending = listed.json.data[0];
    expect(pending).toMatchObject({ event: "consultation.created", consultationId: consultation.consultationId, status: "pending", test: false, attemptCount: 0 });
    const queued = await boss.findJobs(QUEUES.deliverWebhook, { data: { deliveryId: pending.id } });
    expect(queued.map((j) => j.data)).toEqual([{ deliveryId: pending.id, round: 1, attempt: 1, trigger: "scheduled" }]);

    // What the worker does with that job.
    const sealer = appSealer();
    await attemptDelivery(test.db, { deliveryId: pending.id, round: 1, attempt: 1, trigger: "scheduled" }, { sealer, allowInsecure: true, timeoutMs: 5000, boss });
    const detailPath = { path: `/api/webhooks/${endpoint.id}/deliveries/${pending.id}`, headers: tenant.headers, params: ids(endpoint.id, pending.id) };
    const delivered = await call(getDeliveryRoute, detailPath);
    expect(delivered.json.data).toMatchObject({ status: "delivered", attemptCount: 1, lastStatusCode: 200, deliveredAt: expect.any(String), attempts: [{ statusCode: 200, trigger: "scheduled" }] });

    // The body: the consultation without its PIN, the patient minimised.
    const [request] = receiver.received;
    expectSigned(request!, endpoint.secret);
    const body = JSON.parse(request!.body);
    expect(delivered.json.data.payload).toEqual(body);
    expect(body).toMatchObject({ event: "consultation.created", organizationId: tenant.organization.id, version: "1" });
    expect(body.data).toMatchObject({
      consultationId: consultation.consultationId,
      participantAccess: consultation.participantAccess,
      status: "Pending",
      patient: { documentType: "CC", documentLastDigits: "7890", nameInitials: "M. G. L." },
      provider: { name: "Dr. Ana Martínez" },
      scheduledAt: consultation.scheduledAt,
      expiredAt: consultation.expiredAt,
    });
    expect(body.data).not.toHaveProperty("accessPin");
    expect(request!.body).not.toContain("María");
    expect(request!.body).not.toContain("maria.garcia@example.com");
    expect(request!.body).not.toContain(consultation.accessPin);

    const redelivered = await call(redeliverRoute, { method: "POST", path: `${detailPath.path}/redeliver`, headers: tenant.headers, params: detailPath.params });
    expect(redelivered.status, redelivered.text).toBe(202);
    expect(redelivered.json.data).toMatchObject({ id: pending.id, status: "pending", attemptCount: 0, deliveredAt: null, nextAttemptAt: expect.any(String) });
    expect(redelivered.json.data).not.toHaveProperty("attempts");
    const jobs = await boss.findJobs(QUEUES.deliverWebhook, { data: { deliveryId: pending.id, trigger: "manual" } });
    expect(jobs.map((j) => j.data)).toEqual([{ deliveryId: pending.id, round: 2, attempt: 1, trigger: "manual" }]);

    // The new round is made with the same message id, and the log keeps the first round.
    await attemptDelivery(test.db, { deliveryId: pending.id, round: 2, attempt: 1, trigger: "manual" }, { sealer, allowInsecure: true, timeoutMs: 5000, boss });
    expect(receiver.received).toHaveLength(2);
    expect(headerOf(receiver.received[1]!.headers, "webhook-id")).toBe(pending.id);
    expect(receiver.received[1]!.body).toBe(request!.body);
    const after = await call(getDeliveryRoute, detailPath);
    expect(after.json.data).toMatchObject({ status: "delivered", attemptCount: 1 });
    expect(after.json.data.attempts.map((a: { trigger: string }) => a.trigger)).toEqual(["scheduled", "manual"]);

    // Not while the endpoint is disabled.
    await patch(tenant, endpoint.id, { enabled: false });
    const refused = await call(redeliverRoute, { method: "POST", path: `${detailPath.path}/redeliver`, headers: tenant.headers, params: detailPath.params });
    expectError(refused, 409, "webhook_endpoint_disabled");
  });
});

describe("every webhook route", () => {
  type Route = { name: string; handler: Parameters<typeof call>[0]; method: string; path: (e: string, d: string) => string; body?: unknown; withDelivery?: boolean };
  const routes: Route[] = [
    { name: "GET endpoint", handler: getRoute, method: "GET", path: (e) => `/api/webhooks/${e}` },
    { name: "PATCH endpoint", handler: patchRoute, method: "PATCH", path: (e) => `/api/webhooks/${e}`, body: { enabled: false } },
    { name: "DELETE endpoint", handler: deleteRoute, method: "DELETE", path: (e) => `/api/webhooks/${e}` },
    { name: "rotate-secret", handler: rotateRoute, method: "POST", path: (e) => `/api/webhooks/${e}/rotate-secret` },
    { name: "test", handler: testRoute, method: "POST", path: (e) => `/api/webhooks/${e}/test` },
    { name: "list deliveries", handler: listDeliveriesRoute, method: "GET", path: (e) => `/api/webhooks/${e}/deliveries` },
    { name: "GET delivery", handler: getDeliveryRoute, method: "GET", path: (e, d) => `/api/webhooks/${e}/deliveries/${d}`, withDelivery: true },
    { name: "redeliver", handler: redeliverRoute, method: "POST", path: (e, d) => `/api/webhooks/${e}/deliveries/${d}/redeliver`, withDelivery: true },
  ];

  it("answers 404 for another organization's endpoint or delivery, and changes nothing", async () => {
    const receiver = await integrator();
    const endpoint = await createOk(tenant, { url: receiver.url, events: ["consultation.created"] });
    const delivery = (await sendTest(tenant, endpoint.id)).json.data.id as string;
    const theirs = await createOk(other, { url: receiver.url, events: ["consultation.created"] });
    const sentBefore = receiver.received.length;

    for (const route of routes) {
      const cases = [
        { as: other, endpointId: endpoint.id, deliveryId: delivery },
        // Their own endpoint with our delivery: still not theirs.
        ...(route.withDelivery ? [{ as: other, endpointId: theirs.id, deliveryId: delivery }] : []),
        { as: tenant, endpointId: "not-a-uuid", deliveryId: delivery },
        { as: tenant, endpointId: crypto.randomUUID(), deliveryId: delivery },
        ...(route.withDelivery ? [{ as: tenant, endpointId: endpoint.id, deliveryId: crypto.randomUUID() }, { as: tenant, endpointId: endpoint.id, deliveryId: "42" }] : []),
      ];
      for (const c of cases) {
        const res = await call(route.handler, {
          method: route.method,
          path: route.path(c.endpointId, c.deliveryId),
          headers: c.as.headers,
          params: ids(c.endpointId, route.withDelivery ? c.deliveryId : undefined),
          body: route.body,
        });
        expectError(res, 404, "not_found");
      }
    }

    const got = await call(getRoute, { path: `/api/webhooks/${endpoint.id}`, headers: tenant.headers, params: ids(endpoint.id) });
    expect(got.json.data).toMatchObject({ enabled: true, previousSecretExpiresAt: null });
    expect(receiver.received.length).toBe(sentBefore);
  });

  it("answers 401 without a credential or with a wrong one", async () => {
    const endpoint = await createOk(tenant, { url: "http://127.0.0.1:9/auth", events: ["consultation.created"] });
    const delivery = crypto.randomUUID();
    const all: Route[] = [
      ...routes,
      { name: "list", handler: listRoute, method: "GET", path: () => "/api/webhooks" },
      { name: "create", handler: createRoute, method: "POST", path: () => "/api/webhooks", body: { url: "http://127.0.0.1:9/x", events: ["consultation.created"] } },
    ];
    const wrong = { authorization: `Bearer ${tenant.credential.bearerToken.split(".")[0]}.not-the-secret` };
    for (const route of all) {
      for (const [headers, code] of [[{}, "missing_credentials"], [wrong, "invalid_credentials"]] as const) {
        const res = await call(route.handler, { method: route.method, path: route.path(endpoint.id, delivery), headers, params: ids(endpoint.id, delivery), body: route.body });
        expectError(res, 401, code);
        expect(res.headers.get("www-authenticate"), route.name).toBe('Bearer realm="api"');
      }
    }
    const got = await call(getRoute, { path: `/api/webhooks/${endpoint.id}`, headers: tenant.headers, params: ids(endpoint.id) });
    expect(got.json.data.enabled).toBe(true);
  });
});

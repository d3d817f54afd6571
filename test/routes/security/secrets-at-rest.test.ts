import { formatWithOptions } from "node:util";
import { sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, expect, test as it, vi } from "vitest";
import { POST as createConsultationRoute } from "@/app/api/consultations/route";
import { POST as chatRoute } from "@/app/api/rooms/[roomId]/chat/route";
import { POST as endRoute } from "@/app/api/rooms/[roomId]/end/route";
import { GET as getDeliveryRoute } from "@/app/api/webhooks/[endpointId]/deliveries/[deliveryId]/route";
import { POST as createEndpointRoute } from "@/app/api/webhooks/route";
import { patients } from "@/db/schema";
import { appSealer, appUrl } from "@/lib/config";
import { errorResponse } from "@/lib/http/envelope";
import { openBoss } from "@/lib/jobs/boss";
import { setJobQueue } from "@/lib/jobs/runtime";
import { attemptDelivery } from "@/lib/webhooks/deliver";
import { dispatchOutbox } from "@/lib/webhooks/dispatch";
import { call, createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { startReceiver, type Receiver } from "@/test/receiver";
import { immediateGeneralExample } from "@/test/fixtures/seed-examples";
import { join, roomCall, signIn, type Link } from "@/test/rooms";

/**
 * The README promises that the database alone never reveals a PIN or a join link, and that the
 * server's log carries ids and codes, never patient data. This runs one consultation's whole
 * life through the real handlers and then looks for its secrets everywhere.
 */
const test = setupTestDatabase();

// Values that occur nowhere else, so any hit is this consultation's.
const PATIENT = {
  documentType: "CC" as const,
  documentNumber: "7301945862",
  name: "Zacarías Quintero Ybarra",
  phone: "+573157304219",
  email: "zq.ybarra.7301@example.org",
};

/**
 * Where each secret may be found in plain text, by design. The PIN and the link tokens are
 * sealed (consultations.access_pin_sealed, room_participants.access_token_sealed) or hashed,
 * so their plain text belongs nowhere. The patient's own row keeps who they are; their name
 * is what the other side of the call sees: the participant's display name, the sender of a
 * chat message, and the realtime events that announce them (room_events, purged after a day).
 */
const ALLOWED: Record<string, string[]> = {
  pin: [],
  patientToken: [],
  providerToken: [],
  name: ["public.patients.name", "public.room_participants.display_name", "public.chat_messages.sender_name", "public.room_events.payload"],
  documentNumber: ["public.patients.document_number"],
  phone: ["public.patients.phone"],
  email: ["public.patients.email"],
};

// Everything the server prints during the test: console.* and the raw streams.
const printed: string[] = [];
const spies: { mockRestore: () => void }[] = [];
beforeAll(() => {
  for (const method of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    const original = console[method].bind(console);
    spies.push(
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        // As Node's console prints it: util.format, objects inspected in depth.
        printed.push(formatWithOptions({ depth: 10 }, ...args));
        original(...args);
      }),
    );
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    spies.push(
      vi.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
        printed.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
        return original(chunk, ...rest);
      }) as typeof stream.write),
    );
  }
});
afterAll(() => {
  for (const spy of spies) spy.mockRestore();
});

let boss: PgBoss;
let tenant: Tenant;
let receiver: Receiver;

beforeAll(async () => {
  boss = await openBoss(test.url, { attemptTimeoutSeconds: 5 });
  setJobQueue(boss);
  tenant = await createTenant(test.db);
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await boss?.stop({ graceful: false, close: true });
});

/** What the job workers do: fan the outbox out, then make every pending delivery's next attempt. */
async function deliverWebhooks() {
  const ctx = { appUrl: appUrl(), sealer: appSealer() };
  while ((await dispatchOutbox(test.db, boss, ctx)) > 0);
  const pending = await test.db.execute<{ id: string; round: number; attempt_count: number }>(
    sql`select id, round, attempt_count from webhook_deliveries where status = 'pending' order by created_at, id`,
  );
  for (const d of pending) {
    await attemptDelivery(test.db, { deliveryId: d.id, round: d.round, attempt: d.attempt_count + 1, trigger: "scheduled" }, { sealer: appSealer(), allowInsecure: true, timeoutMs: 5000, boss });
  }
}

type Hit = { where: string; secret: string };

/** Every text-like value of every table in the database, searched for each secret. */
async function searchDatabase(secrets: Record<string, string>): Promise<Hit[]> {
  const columns = await test.db.execute<{ table_schema: string; table_name: string; column_name: string }>(sql`
    select c.table_schema, c.table_name, c.column_name
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where t.table_type = 'BASE TABLE' and c.table_schema not in ('pg_catalog', 'information_schema')
      -- Types that cannot hold a secret's text; timestamps would match a PIN by chance (microseconds).
      and c.data_type not in ('uuid', 'boolean', 'smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision',
                              'timestamp with time zone', 'timestamp without time zone', 'date', 'interval')
    order by 1, 2, 3`);
  expect(columns.length, "text columns found").toBeGreaterThan(50);
  const tables = new Map<string, string[]>();
  for (const c of columns) {
    const key = `${c.table_schema}.${c.table_name}`;
    tables.set(key, [...(tables.get(key) ?? []), c.column_name]);
  }
  // The job queue's tables too (a delivery job's data), not only the app's.
  expect([...tables.keys()]).toEqual(expect.arrayContaining(["public.idempotency_keys", "public.webhook_deliveries", "public.audit_log", "pgboss.job"]));
  const hits: Hit[] = [];
  for (const [table, names] of tables) {
    const [schema, name] = table.split(".") as [string, string];
    const select = names.map((n) => sql`${sql.identifier(n)}::text as ${sql.identifier(n)}`);
    const rows = await test.db.execute<Record<string, string | null>>(sql`select ${sql.join(select, sql`, `)} from ${sql.identifier(schema)}.${sql.identifier(name)}`);
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        if (value === null) continue;
        for (const [label, secret] of Object.entries(secrets)) {
          if (contains(value, secret)) hits.push({ where: `${table}.${column}`, secret: label });
        }
      }
    }
  }
  return hits;
}

/** A PIN is six digits: it counts only where no other digit touches it. */
function contains(text: string, secret: string): boolean {
  if (!/^\d+$/.test(secret)) return text.includes(secret);
  return new RegExp(`(?<!\\d)${secret}(?!\\d)`).test(text);
}

it("a consultation's whole life leaves its PIN, link tokens and patient data only in the columns meant for them, and nothing in the server's output", { timeout: 60_000 }, async () => {
  // The integrator listens for every event.
  const endpoint = await call(createEndpointRoute, {
    path: "/api/webhooks",
    headers: tenant.headers,
    body: { url: `${receiver.url}/hooks`, events: ["consultation.created", "session_started", "session_ended", "consultation.completed", "consultation.expired"] },
  });
  expect(endpoint.status, endpoint.text).toBe(201);

  // Created with an Idempotency-Key, and the retry answered from the stored response.
  const example = immediateGeneralExample();
  const request = { path: "/api/consultations", headers: { ...tenant.headers, "idempotency-key": "life-1" }, body: { ...example, patient: PATIENT } };
  const created = await call(createConsultationRoute, request);
  expect(created.status, created.text).toBe(200);
  expect(created.headers.get("idempotent-replayed")).toBe("false");
  const replayed = await call(createConsultationRoute, request);
  expect(replayed.status).toBe(200);
  expect(replayed.headers.get("idempotent-replayed")).toBe("true");
  expect(replayed.text).toBe(created.text);
  const data = created.json.data;
  expect(data.patient).toMatchObject({ name: PATIENT.name, documentNumber: PATIENT.documentNumber });
  const token = (url: string) => new URL(url).pathname.split("/").pop()!;
  const link: Link = {
    consultationId: data.consultationId,
    pin: data.accessPin,
    patientToken: token(data.participantAccess.patientUrl),
    providerToken: token(data.participantAccess.providerUrl),
  };
  await deliverWebhooks();

  // Both enter the PIN at their link and open the video room; they chat; the provider ends it.
  const provider = await signIn(link, "provider");
  const patient = await signIn(link, "patient");
  await join(provider);
  await join(patient);
  await deliverWebhooks();
  const message = await roomCall(chatRoute, "chat", patient, { text: "Buenos días, doctora." });
  expect(message.status, message.text).toBe(201);
  const ended = await roomCall(endRoute, "end", provider, { reason: "ended_by_provider" });
  expect(ended.status, ended.text).toBe(200);
  await deliverWebhooks();

  // The integrator got every event, with both links, as the contract says.
  const events = receiver.received.map((r) => JSON.parse(r.body) as { event: string; data: { participantAccess: unknown } });
  expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(["consultation.created", "session_started", "consultation.completed"]));
  for (const e of events) expect(e.data.participantAccess).toEqual(data.participantAccess);
  // And the delivery log shows the body as it was sent.
  const [logged] = await test.db.execute<{ id: string; endpoint_id: string }>(sql`select id, endpoint_id from webhook_deliveries where event = 'consultation.created'`);
  const detail = await call(getDeliveryRoute, {
    path: `/api/webhooks/${logged!.endpoint_id}/deliveries/${logged!.id}`,
    headers: tenant.headers,
    params: { endpointId: logged!.endpoint_id, deliveryId: logged!.id },
  });
  expect(detail.status, detail.text).toBe(200);
  expect(JSON.stringify(detail.json.data.payload)).toBe(receiver.received.find((r) => r.body.includes('"consultation.created"'))!.body);

  // A database error whose parameters hold patient data, printed the ways the server prints
  // errors: the API's error mapper, and Next.js printing what a page or action threw.
  const failure = await test.db
    .insert(patients)
    .values({ organizationId: tenant.organization.id, ...PATIENT })
    .then(() => undefined, (error: unknown) => error);
  expect(failure, "the duplicate patient was refused").toBeInstanceOf(Error);
  const mapped = errorResponse(failure, "secrets-test");
  expect(mapped.status).toBe(500);
  console.error(failure);
  const nul = await test.db
    .insert(patients)
    .values({ organizationId: tenant.organization.id, ...PATIENT, documentNumber: "7301945863", name: `${PATIENT.name}\u0000` })
    .then(() => undefined, (error: unknown) => error);
  expect(nul, "a NUL byte was refused").toBeInstanceOf(Error);
  errorResponse(nul, "secrets-test-nul");
  console.error(nul);

  const secrets = {
    pin: link.pin,
    patientToken: link.patientToken,
    providerToken: link.providerToken,
    name: PATIENT.name,
    documentNumber: PATIENT.documentNumber,
    phone: PATIENT.phone,
    email: PATIENT.email,
  };
  const hits = await searchDatabase(secrets);
  const unexpected = hits.filter((h) => !ALLOWED[h.secret]!.includes(h.where));
  // Soft, so a run shows both what the database keeps and what the log printed.
  expect.soft(unexpected, "secrets outside the columns meant for them").toEqual([]);
  // The allowed columns were searched, so the search does find what is there.
  expect(hits).toEqual(expect.arrayContaining([{ where: "public.patients.name", secret: "name" }, { where: "public.patients.email", secret: "email" }]));

  const output = printed.join("\n");
  expect(output, "the duplicate's error was printed").toContain("23505");
  const leaked = Object.entries(secrets).filter(([, secret]) => contains(output, secret)).map(([label]) => label);
  expect(leaked, "secrets in the server's output").toEqual([]);
});

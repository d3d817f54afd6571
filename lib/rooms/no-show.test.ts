import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getOneRoute } from "@/app/api/consultations/[consultationId]/route";
import { GET as listRoute } from "@/app/api/consultations/route";
import { appSealer, appUrl } from "@/lib/config";
import { createConsultation } from "@/lib/consultations/create";
import { exportConsultations } from "@/lib/consultations/export";
import { addGuest } from "@/lib/consultations/guests";
import { getConsultation, listConsultations } from "@/lib/consultations/read";
import { listConsultationTable } from "@/lib/consultations/table";
import { consultationTableQuerySchema, parseConsultationTableQuery } from "@/lib/consultations/table-query";
import { webhookBody } from "@/lib/webhooks/payload";
import { call, createTenant, refusal, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { immediateGeneralExample } from "@/test/fixtures/seed-examples";
import { cancelConsultation, completeOverdueCalls, endCall, endConsultationByStaff, expireConsultations, leaveCall } from "./completion";
import { joinCall } from "./join";
import { enterPin } from "./pin";
import type { ParticipantSession } from "./session";

/**
 * No-shows: who never joined a consultation that completed or expired, recorded on the
 * consultation, read by the API, filtered and exported by the dashboard's table, and told in
 * `consultation.completed` / `consultation.expired`. All through the real lifecycle functions.
 */

const test = setupTestDatabase();
const MINUTE = 60_000;
const JOIN = { opensMinutesBefore: 15, livekitConfigured: false };
const hoursAgo = (h: number) => new Date(Math.floor(Date.now() / 1000) * 1000 - h * 3600_000);
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

let tenant: Tenant;
let other: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db);
  other = await createTenant(test.db);
});

type Call = { consultationId: string; roomId: string; startsAt: Date; endsAt: Date; patient: ParticipantSession; provider: ParticipantSession; guest: () => Promise<ParticipantSession> };

let people = 0;
/** An immediate 20-minute consultation made at `createdAt` through the real create path, with each side's session through the real PIN check. */
async function newCall(createdAt: Date, patientName = "María García López", organization = tenant.organization): Promise<Call> {
  const example = immediateGeneralExample();
  const n = ++people;
  const ctx = { organizationId: organization.id, timeZone: organization.timezone, appUrl: appUrl(), sealer: appSealer(), now: createdAt };
  const view = await createConsultation(test.db, ctx, {
    ...example,
    provider: { ...example.provider, documentNumber: String(31_000_000 + n) },
    patient: { ...example.patient, name: patientName, documentNumber: String(41_000_000 + n) },
  });
  const session = async (url: string, role: "patient" | "provider" | "guest") => {
    const token = new URL(url).pathname.split("/").pop()!;
    const limits = { opensMinutesBefore: 15, addressLimitPerHour: 100 };
    return (await enterPin(test.db, { token, role, pin: view.accessPin, address: null, now: createdAt, sealer: appSealer(), limits })).session;
  };
  const patient = await session(view.participantAccess.patientUrl, "patient");
  const provider = await session(view.participantAccess.providerUrl, "provider");
  const guest = async () => session((await addGuest(test.db, ctx, view.consultationId, { name: "Ana Ruiz", kind: "interpreter" })).joinUrl, "guest");
  return { consultationId: view.consultationId, roomId: patient.roomId, startsAt: createdAt, endsAt: at(createdAt, 20 * MINUTE), patient, provider, guest };
}

async function stored(consultationId: string) {
  const [row] = await test.db.execute<{ status: string; no_show: string | null }>(sql`select status, no_show from consultations where id = ${consultationId}`);
  return { status: row!.status, noShow: row!.no_show };
}

async function outboxed(consultationId: string, event: "consultation.completed" | "consultation.expired") {
  const [row] = await test.db.execute<{ id: string; payload: Record<string, unknown>; occurred_at: string }>(sql`
    select id, payload, occurred_at::text from outbox_events where aggregate_id = ${consultationId} and event = ${event}`);
  return row!;
}

/** The webhook body an endpoint receives for the consultation's end event, parsed. */
async function webhookOf(consultationId: string, event: "consultation.completed" | "consultation.expired", organization = tenant.organization) {
  const row = await outboxed(consultationId, event);
  const body = await webhookBody(
    test.db,
    { id: row.id, organizationId: organization.id, event, aggregateId: consultationId, payload: row.payload, occurredAt: new Date(row.occurred_at) },
    { timeZone: organization.timezone, appUrl: appUrl(), sealer: appSealer() },
  );
  return { text: body, json: JSON.parse(body) as { event: string; data: Record<string, unknown> } };
}

const ctxOf = (t: Tenant) => ({ organizationId: t.organization.id, timeZone: t.organization.timezone, appUrl: appUrl(), sealer: appSealer() });

// Made in the tests below, read by the filter, export and API tests after them.
const made: Record<"patientMissing" | "providerMissing" | "bothCame" | "guestOnly" | "expired" | "cancelled" | "live", string> = {} as never;

describe("recording who never joined", () => {
  it("the provider waited and ended it: the patient never joined → patient, in the row, the outbox, the API and consultation.completed (no names)", async () => {
    const c = await newCall(hoursAgo(1), "Paciente Ausente Uno");
    made.patientMissing = c.consultationId;
    await joinCall(test.db, c.provider, { ...JOIN, now: at(c.startsAt, MINUTE) });
    // A reload, a second stay: still the same side.
    await leaveCall(test.db, c.provider, at(c.startsAt, 2 * MINUTE));
    await joinCall(test.db, c.provider, { ...JOIN, now: at(c.startsAt, 3 * MINUTE) });
    await endCall(test.db, c.provider, "ended_by_provider", at(c.startsAt, 10 * MINUTE));

    expect(await stored(c.consultationId)).toEqual({ status: "Completed", noShow: "patient" });
    expect((await outboxed(c.consultationId, "consultation.completed")).payload).toMatchObject({ reason: "ended_by_provider", noShow: "patient" });
    expect((await getConsultation(test.db, ctxOf(tenant), c.consultationId)).noShow).toBe("patient");

    const webhook = await webhookOf(c.consultationId, "consultation.completed");
    expect(webhook.json.data).toMatchObject({ consultationId: c.consultationId, status: "Completed", completionReason: "ended_by_provider", noShow: "patient" });
    // The patient is minimised as in every event: no name anywhere in the body.
    expect(webhook.text).not.toContain("Paciente Ausente Uno");
    expect(webhook.json.data.patient).toEqual({ documentType: "CC", documentLastDigits: expect.any(String), nameInitials: "P. A. U." });
  });

  it("the patient waited and the time ran out: the provider never joined → provider", async () => {
    const c = await newCall(hoursAgo(48));
    made.providerMissing = c.consultationId;
    await joinCall(test.db, c.patient, { ...JOIN, now: at(c.startsAt, MINUTE) });
    expect(await completeOverdueCalls(test.db, at(c.endsAt, 2 * MINUTE), 60)).toBeGreaterThanOrEqual(1);
    expect(await stored(c.consultationId)).toEqual({ status: "Completed", noShow: "provider" });
    expect((await webhookOf(c.consultationId, "consultation.completed")).json.data).toMatchObject({ completionReason: "timeout", noShow: "provider" });
  });

  it("both joined, however briefly → null", async () => {
    const c = await newCall(hoursAgo(1));
    made.bothCame = c.consultationId;
    await joinCall(test.db, c.patient, { ...JOIN, now: at(c.startsAt, MINUTE) });
    await leaveCall(test.db, c.patient, at(c.startsAt, MINUTE + 2000));
    await joinCall(test.db, c.provider, { ...JOIN, now: at(c.startsAt, 5 * MINUTE) });
    await endCall(test.db, c.provider, "ended_by_provider", at(c.startsAt, 6 * MINUTE));
    expect(await stored(c.consultationId)).toEqual({ status: "Completed", noShow: null });
    expect((await webhookOf(c.consultationId, "consultation.completed")).json.data).toMatchObject({ status: "Completed", noShow: null });
  });

  it("only a guest (an interpreter) joined and the clinic ended it: a guest is neither side → both", async () => {
    const c = await newCall(hoursAgo(1));
    made.guestOnly = c.consultationId;
    const interpreter = await c.guest();
    await joinCall(test.db, interpreter, { ...JOIN, now: at(c.startsAt, MINUTE) });
    await endConsultationByStaff(test.db, tenant.organization.id, c.consultationId, at(c.startsAt, 5 * MINUTE));
    expect(await stored(c.consultationId)).toEqual({ status: "Completed", noShow: "both" });
  });

  it("its time passed with nobody in it: Expired → both, in consultation.expired too", async () => {
    const c = await newCall(hoursAgo(72));
    made.expired = c.consultationId;
    expect(await expireConsultations(test.db, c.endsAt)).toBe(1);
    expect(await stored(c.consultationId)).toEqual({ status: "Expired", noShow: "both" });
    expect((await outboxed(c.consultationId, "consultation.expired")).payload).toMatchObject({ noShow: "both" });
    expect((await webhookOf(c.consultationId, "consultation.expired")).json.data).toMatchObject({ status: "Expired", expirationReason: "time_passed", noShow: "both" });
  });

  it("the clinic cancelled it: nobody's no-show → null; a consultation still live has none yet", async () => {
    const c = await newCall(hoursAgo(1));
    made.cancelled = c.consultationId;
    await cancelConsultation(test.db, tenant.organization.id, c.consultationId, at(c.startsAt, MINUTE));
    expect(await stored(c.consultationId)).toEqual({ status: "Expired", noShow: null });
    expect((await webhookOf(c.consultationId, "consultation.expired")).json.data).toMatchObject({ expirationReason: "cancelled", noShow: null });

    const live = await newCall(new Date(Math.floor(Date.now() / 1000) * 1000));
    made.live = live.consultationId;
    await joinCall(test.db, live.provider, { ...JOIN, now: live.startsAt });
    expect(await stored(live.consultationId)).toEqual({ status: "InProgress", noShow: null });
    expect((await getConsultation(test.db, ctxOf(tenant), live.consultationId)).noShow).toBeNull();
  });

  it("an end recorded before no-shows were (no noShow in the outbox) is sent with the consultation's", async () => {
    const row = await outboxed(made.patientMissing, "consultation.completed");
    const older = Object.fromEntries(Object.entries(row.payload).filter(([key]) => key !== "noShow"));
    const body = await webhookBody(
      test.db,
      { id: row.id, organizationId: tenant.organization.id, event: "consultation.completed", aggregateId: made.patientMissing, payload: older, occurredAt: new Date(row.occurred_at) },
      { timeZone: tenant.organization.timezone, appUrl: appUrl(), sealer: appSealer() },
    );
    expect(JSON.parse(body).data.noShow).toBe("patient");
  });

  it("the migration's backfill gives every ended consultation what the live rule recorded", async () => {
    const migration = readFileSync(path.join(process.cwd(), "db/migrations/0016_no_show.sql"), "utf8");
    const backfill = migration.split("--> statement-breakpoint").find((part) => /UPDATE "consultations"/.test(part))!;
    const before = await test.db.execute<{ id: string; no_show: string | null }>(sql`select id, no_show from consultations order by id`);
    await test.db.execute(sql`update consultations set no_show = null`);
    await test.db.execute(sql.raw(backfill));
    const after = await test.db.execute<{ id: string; no_show: string | null }>(sql`select id, no_show from consultations order by id`);
    expect(after).toEqual(before);
    expect(before.filter((r) => r.no_show !== null).length).toBeGreaterThanOrEqual(4);
  });
});

describe("finding no-shows", () => {
  const table = (t: Tenant, params: Record<string, string>) =>
    listConsultationTable(test.db, { organizationId: t.organization.id, timeZone: t.organization.timezone }, parseConsultationTableQuery(params).query);
  const ids = (page: { rows: { consultationId: string }[] }) => page.rows.map((r) => r.consultationId).sort();

  it("the dashboard table filters on who did not come, and each row says it", async () => {
    const patientMissing = await table(tenant, { noShow: "patient" });
    expect(ids(patientMissing)).toEqual([made.patientMissing]);
    expect(patientMissing.rows[0]).toMatchObject({ status: "Completed", noShow: "patient" });
    expect(ids(await table(tenant, { noShow: "provider" }))).toEqual([made.providerMissing]);
    expect(ids(await table(tenant, { noShow: "both" }))).toEqual([made.expired, made.guestOnly].sort());
    expect(ids(await table(tenant, { noShow: "any" }))).toEqual([made.patientMissing, made.providerMissing, made.expired, made.guestOnly].sort());
    // Combined with the other filters (AND), and every sort keeps it.
    expect(ids(await table(tenant, { noShow: "any", status: "Expired" }))).toEqual([made.expired]);
    for (const sort of ["patient", "provider", "type", "status", "duration"]) expect(ids(await table(tenant, { noShow: "patient", sort }))).toEqual([made.patientMissing]);
    // Unfiltered, the rows of those who came say nothing.
    const all = await table(tenant, { size: "100" });
    expect(all.rows.find((r) => r.consultationId === made.bothCame)!.noShow).toBeNull();
    expect(all.rows.find((r) => r.consultationId === made.cancelled)!.noShow).toBeNull();
  });

  it("a bad no-show filter is reported and dropped, not an error", () => {
    const { query, invalid } = parseConsultationTableQuery({ noShow: "nobody" });
    expect(query.noShow).toBeUndefined();
    expect(invalid).toEqual([{ param: "noShow", message: "must be one of any, patient, provider, both" }]);
  });

  it("another clinic's table, API and reads never see these", async () => {
    expect((await table(other, { noShow: "any" })).total).toBe(0);
    expect((await listConsultations(test.db, { organizationId: other.organization.id, timeZone: "America/Bogota" }, { limit: 100, noShow: "patient" })).items).toEqual([]);
    expect((await refusal(getConsultation(test.db, ctxOf(other), made.patientMissing))).status).toBe(404);
    const elsewhere = await call(getOneRoute, { path: `/api/consultations/${made.patientMissing}`, headers: other.headers, params: { consultationId: made.patientMissing } });
    expect(elsewhere.status).toBe(404);
  });

  it("the CSV export has a No-show column, last, with who did not come", async () => {
    const { csv } = await exportConsultations(test.db, { organizationId: tenant.organization.id, timeZone: tenant.organization.timezone }, consultationTableQuerySchema.parse({ size: 100 }));
    const lines = csv.replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines[0]!.split(",").at(-1)).toBe("No-show");
    const lineOf = (id: string) => lines.find((line) => line.includes(id))!;
    expect(lineOf(made.patientMissing).endsWith(`,${made.patientMissing},patient`)).toBe(true);
    expect(lineOf(made.providerMissing).endsWith(`,${made.providerMissing},provider`)).toBe(true);
    expect(lineOf(made.expired).endsWith(`,${made.expired},both`)).toBe(true);
    expect(lineOf(made.bothCame).endsWith(`,${made.bothCame},`)).toBe(true);
    const filtered = await exportConsultations(test.db, { organizationId: tenant.organization.id, timeZone: tenant.organization.timezone }, consultationTableQuerySchema.parse({ noShow: "provider" }));
    expect(filtered.rows).toBe(1);
  });

  it("the API: GET one and the list carry noShow, the list filters on it, and a bad value is a 400 naming the field", async () => {
    const one = await call(getOneRoute, { path: `/api/consultations/${made.patientMissing}`, headers: tenant.headers, params: { consultationId: made.patientMissing } });
    expect(one.status).toBe(200);
    expect(one.json.data).toMatchObject({ status: "Completed", noShow: "patient" });
    const live = await call(getOneRoute, { path: `/api/consultations/${made.live}`, headers: tenant.headers, params: { consultationId: made.live } });
    expect(live.json.data.noShow).toBeNull();

    const listed = await call(listRoute, { path: "/api/consultations?noShow=provider", headers: tenant.headers });
    expect(listed.status).toBe(200);
    expect(listed.json.data.map((c: { consultationId: string; noShow: string }) => [c.consultationId, c.noShow])).toEqual([[made.providerMissing, "provider"]]);
    const all = await call(listRoute, { path: "/api/consultations?limit=100", headers: tenant.headers });
    expect(all.json.data.find((c: { consultationId: string }) => c.consultationId === made.bothCame).noShow).toBeNull();

    const bad = await call(listRoute, { path: "/api/consultations?noShow=nobody", headers: tenant.headers });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("validation_error");
    expect(bad.json.error.details.map((d: { field: string }) => d.field)).toEqual(["noShow"]);
  });
});

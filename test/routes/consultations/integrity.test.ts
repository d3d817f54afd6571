import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getOne } from "@/app/api/consultations/[consultationId]/route";
import { GET as list, POST as create } from "@/app/api/consultations/route";
import { GET as listProviders } from "@/app/api/providers/route";
import { consultations, outboxEvents, patients, providers, roomParticipants, rooms } from "@/db/schema";
import { formatLocal } from "@/lib/time";
import { call, createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { immediateGeneralExample, scheduledSpecialistExample } from "@/test/fixtures/seed-examples";

const test = setupTestDatabase();
let tenant: Tenant;
let other: Tenant;

beforeAll(async () => {
  tenant = await createTenant(test.db, { name: "Clínica Norte" });
  other = await createTenant(test.db, { name: "Clínica Sur" });
});

const hoursAhead = (hours: number) => formatLocal(new Date(Date.now() + hours * 3_600_000), "America/Bogota");

function bodyFor(providerDoc: string, patientDoc: string, scheduledAt: string, durationMinutes = 30) {
  const body = scheduledSpecialistExample(scheduledAt);
  body.provider.documentNumber = providerDoc;
  body.patient.documentNumber = patientDoc;
  body.durationMinutes = durationMinutes;
  return body;
}

describe("double booking is refused by the database", () => {
  it("lets exactly one of 50 racing requests take the same provider slot", async () => {
    const slot = hoursAhead(30);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(create, { path: "/api/consultations", headers: tenant.headers, body: bodyFor("70000001", String(80_000_000 + i), slot) }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const conflict = results.find((r) => r.status === 409)!;
    expect(conflict.json.error.code).toBe("schedule_conflict");
    expect(conflict.json.error.details[0].field).toBe("provider");
    const [counted] = (await test.db.execute(sql`
      select count(*)::int as count from consultations c join providers p on p.id = c.provider_id
      where p.document_number = '70000001' and c.organization_id = ${tenant.organization.id}`)) as unknown as { count: number }[];
    expect(counted?.count).toBe(1);
  });

  it("refuses a patient who already has an overlapping consultation, with another provider", async () => {
    const start = hoursAhead(40);
    expect((await call(create, { path: "/api/consultations", headers: tenant.headers, body: bodyFor("70000010", "81000000", start) })).status).toBe(200);
    const clash = await call(create, { path: "/api/consultations", headers: tenant.headers, body: bodyFor("70000011", "81000000", start) });
    expect(clash.status).toBe(409);
    expect(clash.json.error.details[0].field).toBe("patient");
  });

  it("allows back-to-back consultations (the end is exclusive)", async () => {
    const first = new Date(Date.now() + 50 * 3_600_000);
    first.setUTCMinutes(0, 0, 0);
    const at = (d: Date) => formatLocal(d, "America/Bogota");
    expect((await call(create, { path: "/api/consultations", headers: tenant.headers, body: bodyFor("70000020", "82000000", at(first), 30) })).status).toBe(200);
    const next = new Date(first.getTime() + 30 * 60_000);
    const res = await call(create, { path: "/api/consultations", headers: tenant.headers, body: bodyFor("70000020", "82000001", at(next), 30) });
    expect(res.status, res.text).toBe(200);
    const overlapping = new Date(first.getTime() + 29 * 60_000);
    expect((await call(create, { path: "/api/consultations", headers: tenant.headers, body: bodyFor("70000020", "82000002", at(overlapping), 30) })).status).toBe(409);
  });

  it("does not block the same provider in another organization", async () => {
    const slot = hoursAhead(30);
    const res = await call(create, { path: "/api/consultations", headers: other.headers, body: bodyFor("70000001", "80000000", slot) });
    expect(res.status, res.text).toBe(200);
  });

  it("frees the slot once the consultation is no longer live", async () => {
    const slot = hoursAhead(60);
    const first = await call(create, { path: "/api/consultations", headers: tenant.headers, body: bodyFor("70000030", "83000000", slot) });
    expect(first.status).toBe(200);
    await test.db.update(consultations).set({ status: "Expired" }).where(eq(consultations.id, first.json.data.consultationId));
    expect((await call(create, { path: "/api/consultations", headers: tenant.headers, body: bodyFor("70000030", "83000001", slot) })).status).toBe(200);
  });
});

describe("what a created consultation stores", () => {
  it("writes the room, both participants, and consultation.created in the outbox, with secrets sealed", async () => {
    const res = await call(create, { path: "/api/consultations", headers: tenant.headers, body: bodyFor("70000040", "84000000", hoursAhead(70)) });
    expect(res.status).toBe(200);
    const id = res.json.data.consultationId;
    const [row] = await test.db.select().from(consultations).where(eq(consultations.id, id));
    expect(row!.accessPinSealed).not.toContain(res.json.data.accessPin);
    const [room] = await test.db.select().from(rooms).where(eq(rooms.consultationId, id));
    const participants = await test.db.select().from(roomParticipants).where(eq(roomParticipants.roomId, room!.id));
    expect(participants.map((p) => p.role).sort()).toEqual(["patient", "provider"]);
    const patientToken = new URL(res.json.data.participantAccess.patientUrl).pathname.split("/").pop()!;
    for (const p of participants) {
      expect(p.accessTokenSealed).not.toContain(patientToken);
      expect(p.accessTokenHash).toMatch(/^[0-9a-f]{64}$/);
    }
    const events = await test.db.select().from(outboxEvents).where(eq(outboxEvents.aggregateId, id));
    expect(events.map((e) => e.event)).toEqual(["consultation.created"]);
    expect(events[0]!.payload).toMatchObject({ consultationId: id, status: "Pending" });
  });

  it("writes nothing when the request is refused", async () => {
    const before = await test.db.$count(outboxEvents);
    const slot = hoursAhead(80);
    await call(create, { path: "/api/consultations", headers: tenant.headers, body: bodyFor("70000050", "85000000", slot) });
    const clash = await call(create, { path: "/api/consultations", headers: tenant.headers, body: bodyFor("70000050", "85000001", slot) });
    expect(clash.status).toBe(409);
    expect(await test.db.$count(outboxEvents)).toBe(before + 1);
    expect(await test.db.$count(patients, eq(patients.documentNumber, "85000001"))).toBe(0);
  });

  it("matches providers and patients by document, updating them", async () => {
    const body = bodyFor("70000060", "86000000", hoursAhead(90));
    expect((await call(create, { path: "/api/consultations", headers: tenant.headers, body })).status).toBe(200);
    const renamed = bodyFor("70000060", "86000000", hoursAhead(95));
    renamed.provider.name = "Dr. Juan Pérez Gómez";
    renamed.patient.email = "maria.nueva@example.com";
    const res = await call(create, { path: "/api/consultations", headers: tenant.headers, body: renamed });
    expect(res.status).toBe(200);
    expect(res.json.data.provider.name).toBe("Dr. Juan Pérez Gómez");
    const rows = await test.db.select().from(providers).where(eq(providers.documentNumber, "70000060"));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toBe("Dr. Juan Pérez Gómez");
    const pats = await test.db.select().from(patients).where(eq(patients.documentNumber, "86000000"));
    expect(pats.filter((p) => p.organizationId === tenant.organization.id)).toHaveLength(1);
    expect(pats[0]!.email).toBe("maria.nueva@example.com");
  });

  it("refuses a deactivated provider", async () => {
    await call(create, { path: "/api/consultations", headers: tenant.headers, body: bodyFor("70000070", "87000000", hoursAhead(100)) });
    await test.db.update(providers).set({ active: false }).where(eq(providers.documentNumber, "70000070"));
    const res = await call(create, { path: "/api/consultations", headers: tenant.headers, body: bodyFor("70000070", "87000001", hoursAhead(110)) });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("provider_inactive");
  });
});

describe("tenant isolation", () => {
  it("gives another organization 404 for a consultation, and none of its providers", async () => {
    const mine = await call(create, { path: "/api/consultations", headers: tenant.headers, body: bodyFor("70000080", "88000000", hoursAhead(120)) });
    const id = mine.json.data.consultationId;
    const theirs = await call(getOne, { path: `/api/consultations/${id}`, headers: other.headers, params: { consultationId: id } });
    expect(theirs.status).toBe(404);
    expect(theirs.json.error.code).toBe("not_found");
    expect(theirs.text).not.toContain("88000000");

    const theirList = await call(list, { path: "/api/consultations?limit=100", headers: other.headers });
    expect(theirList.json.data.map((c: { consultationId: string }) => c.consultationId)).not.toContain(id);

    const theirProviders = await call(listProviders, { path: "/api/providers?limit=100", headers: other.headers });
    expect(theirProviders.status).toBe(200);
    expect(theirProviders.json.data.map((p: { documentNumber: string }) => p.documentNumber)).not.toContain("70000080");
    const fresh = await createTenant(test.db);
    const none = await call(listProviders, { path: "/api/providers", headers: fresh.headers });
    expect(none.json.data).toEqual([]);
  });

  it("answers 404 for an unknown or malformed id", async () => {
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid", "' or 1=1 --"]) {
      const res = await call(getOne, { path: `/api/consultations/${encodeURIComponent(id)}`, headers: tenant.headers, params: { consultationId: id } });
      expect(res.status, id).toBe(404);
    }
  });
});

describe("listing", () => {
  it("filters by status, provider, patient and date range, and pages with a cursor", async () => {
    const t = await createTenant(test.db);
    const base = new Date(Date.now() + 7 * 24 * 3_600_000);
    base.setUTCHours(15, 0, 0, 0);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const at = formatLocal(new Date(base.getTime() + i * 24 * 3_600_000), "America/Bogota");
      const res = await call(create, { path: "/api/consultations", headers: t.headers, body: bodyFor(i < 3 ? "71000001" : "71000002", `8900000${i}`, at) });
      expect(res.status, res.text).toBe(200);
      ids.push(res.json.data.consultationId);
    }
    const get = (query: string) => call(list, { path: `/api/consultations?${query}`, headers: t.headers });
    const idsOf = (res: { json: { data: { consultationId: string }[] } }) => res.json.data.map((c) => c.consultationId);

    expect(idsOf(await get(""))).toEqual([...ids].reverse());
    expect(idsOf(await get("providerDocumentNumber=71000002"))).toEqual([ids[4], ids[3]]);
    expect(idsOf(await get("patientDocumentType=CC&patientDocumentNumber=89000002"))).toEqual([ids[2]]);
    expect(idsOf(await get("status=Completed"))).toEqual([]);
    expect(idsOf(await get("status=Pending"))).toHaveLength(5);
    const day = (i: number) => formatLocal(new Date(base.getTime() + i * 24 * 3_600_000), "America/Bogota").slice(0, 10);
    expect(idsOf(await get(`from=${day(1)}&to=${day(2)}`))).toEqual([ids[2], ids[1]]);

    const first = await get("limit=2");
    expect(idsOf(first)).toEqual([ids[4], ids[3]]);
    expect(first.json.pagination).toMatchObject({ limit: 2, hasMore: true });
    const second = await get(`limit=2&cursor=${first.json.pagination.nextCursor}`);
    expect(idsOf(second)).toEqual([ids[2], ids[1]]);
    const third = await get(`limit=2&cursor=${second.json.pagination.nextCursor}`);
    expect(idsOf(third)).toEqual([ids[0]]);
    expect(third.json.pagination).toMatchObject({ hasMore: false, nextCursor: null });
  });

  it("refuses bad filters with the field at fault", async () => {
    for (const [query, field] of [
      ["status=Done", "status"],
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["from=yesterday", "from"],
      ["cursor=garbage", "cursor"],
    ]) {
      const res = await call(list, { path: `/api/consultations?${query}`, headers: tenant.headers });
      expect(res.status, query).toBe(400);
      expect(res.json.error.details.map((d: { field: string }) => d.field), query).toContain(field);
    }
  });
});

describe("GET by id", () => {
  it("returns what POST returned", async () => {
    const created = await call(create, { path: "/api/consultations", headers: tenant.headers, body: immediateGeneralExample() });
    expect(created.status, created.text).toBe(200);
    const id = created.json.data.consultationId;
    const got = await call(getOne, { path: `/api/consultations/${id}`, headers: tenant.headers, params: { consultationId: id } });
    expect(got.json.data).toEqual(created.json.data);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { GET as notFound } from "@/app/api/[...path]/route";
import { GET as catalogs } from "@/app/api/catalogs/route";
import { POST as create } from "@/app/api/consultations/route";
import { GET as health } from "@/app/api/health/route";
import { GET as providersRoute } from "@/app/api/providers/route";
import { formatLocal } from "@/lib/time";
import { call, createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { scheduledSpecialistExample } from "@/test/fixtures/seed-examples";

const test = setupTestDatabase();
let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant(test.db);
});

const future = (days: number) => formatLocal(new Date(Date.now() + days * 86_400_000), "America/Bogota");

describe("malformed requests get a clear 400", () => {
  it("malformed JSON", async () => {
    const res = await call(create, { path: "/api/consultations", headers: tenant.headers, body: '{"provider": {' });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: "invalid_json", details: [{ field: "body" }] });
  });
  it("an empty body", async () => {
    const res = await call(create, { path: "/api/consultations", headers: { ...tenant.headers, "content-type": "application/json" }, body: "" });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("invalid_json");
  });
  it("a wrong content type", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const res = await call(create, { path: "/api/consultations", headers: { ...tenant.headers, "content-type": type }, body: JSON.stringify(scheduledSpecialistExample(future(5))) });
      expect(res.status, type).toBe(400);
      expect(res.json.error.code).toBe("unsupported_content_type");
      expect(res.json.error.details[0].field).toBe("Content-Type");
    }
  });
  it("accepts JSON with a charset parameter", async () => {
    const body = scheduledSpecialistExample(future(6));
    body.provider.documentNumber = "60000001";
    body.patient.documentNumber = "60000002";
    const res = await call(create, { path: "/api/consultations", headers: { ...tenant.headers, "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(body) });
    expect(res.status, res.text).toBe(200);
  });
  it("an oversized body, declared or not", async () => {
    const big = JSON.stringify({ ...scheduledSpecialistExample(future(5)), padding: "x".repeat(70_000) });
    const res = await call(create, { path: "/api/consultations", headers: tenant.headers, body: big });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("payload_too_large");
    // Without a Content-Length, the stream is cut at the limit.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode("x".repeat(10_000)));
        controller.close();
      },
    });
    const request = new Request("http://localhost/api/consultations", {
      method: "POST",
      headers: { ...tenant.headers, "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const streamed = await create(request, { params: Promise.resolve({}) });
    expect(streamed.status).toBe(400);
    expect((await streamed.json()).error.code).toBe("payload_too_large");
  });
});

describe("Idempotency-Key", () => {
  const body = () => {
    const b = scheduledSpecialistExample(future(9));
    b.provider.documentNumber = "61000001";
    b.patient.documentNumber = "61000002";
    return b;
  };

  it("returns the first response for the same key and body, without creating twice", async () => {
    const headers = { ...tenant.headers, "idempotency-key": "order-123" };
    const first = await call(create, { path: "/api/consultations", headers, body: body() });
    expect(first.status, first.text).toBe(200);
    expect(first.headers.get("idempotent-replayed")).toBe("false");
    // Same body with keys in another order and other white space is the same request.
    const { consultationType, durationMinutes, scheduledAt, patient, provider } = body();
    const second = await call(create, { path: "/api/consultations", headers, body: JSON.stringify({ durationMinutes, patient, provider, scheduledAt, consultationType }, null, 2) });
    expect(second.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.json).toEqual(first.json);
  });

  it("refuses the same key with a different body", async () => {
    const headers = { ...tenant.headers, "idempotency-key": "order-123" };
    const changed = body();
    changed.durationMinutes = 45;
    const res = await call(create, { path: "/api/consultations", headers, body: changed });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe("idempotency_key_reused");
  });

  it("answers concurrent duplicates once", async () => {
    const b = scheduledSpecialistExample(future(11));
    b.provider.documentNumber = "62000001";
    b.patient.documentNumber = "62000002";
    const headers = { ...tenant.headers, "idempotency-key": "concurrent-1" };
    const results = await Promise.all(Array.from({ length: 10 }, () => call(create, { path: "/api/consultations", headers, body: b })));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(results.map((r) => r.json.data.consultationId)).size).toBe(1);
  });

  it("keeps keys per organization, and lets a failed request be retried with its key", async () => {
    const otherTenant = await createTenant(test.db);
    const b = scheduledSpecialistExample(future(13));
    b.provider.documentNumber = "63000001";
    b.patient.documentNumber = "63000002";
    const res = await call(create, { path: "/api/consultations", headers: { ...otherTenant.headers, "idempotency-key": "order-123" }, body: b });
    expect(res.status).toBe(200);
    expect(res.headers.get("idempotent-replayed")).toBe("false");

    const bad = { ...b, durationMinutes: 7 };
    const headers = { ...tenant.headers, "idempotency-key": "retry-me" };
    expect((await call(create, { path: "/api/consultations", headers, body: bad })).status).toBe(400);
    const good = scheduledSpecialistExample(future(15));
    good.provider.documentNumber = "64000001";
    good.patient.documentNumber = "64000002";
    expect((await call(create, { path: "/api/consultations", headers, body: good })).status).toBe(200);
  });

  it("refuses a malformed key", async () => {
    const res = await call(create, { path: "/api/consultations", headers: { ...tenant.headers, "idempotency-key": "x".repeat(300) }, body: body() });
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].field).toBe("Idempotency-Key");
  });
});

describe("catalogs, providers, health, unknown routes", () => {
  it("lists the catalogs", async () => {
    const res = await call(catalogs, { path: "/api/catalogs", headers: tenant.headers });
    expect(res.status).toBe(200);
    expect(res.json.data.durations).toEqual([10, 15, 20, 25, 30, 35, 40, 45, 50, 60]);
    expect(res.json.data.consultationTypes.map((c: { code: string }) => c.code)).toEqual(expect.arrayContaining(["ConsultaGeneral", "ConsultaUrgencias"]));
    expect(res.json.data.professionalTypes).toContainEqual({ code: "MedicoEspecialista", name: "Médico Especialista", requiresSpecialty: true });
    expect(res.json.data.medicalSpecialties).toContainEqual(expect.objectContaining({ code: "CA003", name: "Cardiología" }));
  });

  it("filters providers by type, specialty, name and active, with pagination", async () => {
    const t = await createTenant(test.db);
    const mk = async (doc: string, name: string, type: string, specialty?: string) => {
      const b = scheduledSpecialistExample(future(20 + Number(doc.slice(-2))));
      b.provider = { ...b.provider, name, documentNumber: doc, professionalType: type, medicalSpecialtyCode: specialty as string };
      if (!specialty) delete (b.provider as { medicalSpecialtyCode?: string }).medicalSpecialtyCode;
      b.patient.documentNumber = `9${doc}`;
      const res = await call(create, { path: "/api/consultations", headers: t.headers, body: b });
      expect(res.status, res.text).toBe(200);
    };
    await mk("65000001", "Dra. Ana Cardona", "MedicoEspecialista", "CA003");
    await mk("65000002", "Dr. Bruno Pediatra", "MedicoEspecialista", "PE002");
    await mk("65000003", "Ps. Carla Mente", "Psicologo");
    const get = async (q: string) => (await call(providersRoute, { path: `/api/providers?${q}`, headers: t.headers })).json;
    expect((await get("")).data.map((p: { name: string }) => p.name)).toEqual(["Dr. Bruno Pediatra", "Dra. Ana Cardona", "Ps. Carla Mente"]);
    expect((await get("professionalType=Psicologo")).data.map((p: { name: string }) => p.name)).toEqual(["Ps. Carla Mente"]);
    const cardio = (await get("specialtyCode=CA003")).data;
    expect(cardio).toHaveLength(1);
    expect(cardio[0]).toMatchObject({ name: "Dra. Ana Cardona", professionalTypeName: "Médico Especialista", specialty: { specialtyCode: "CA003", specialtyName: "Cardiología" } });
    expect((await get("name=carla")).data.map((p: { name: string }) => p.name)).toEqual(["Ps. Carla Mente"]);
    expect((await get("name=%25")).data).toEqual([]);
    expect((await get("active=false")).data).toEqual([]);
    const page1 = await get("limit=2");
    expect(page1.data).toHaveLength(2);
    const page2 = await get(`limit=2&cursor=${page1.pagination.nextCursor}`);
    expect(page2.data.map((p: { name: string }) => p.name)).toEqual(["Ps. Carla Mente"]);
    expect(page2.pagination.hasMore).toBe(false);
    const bad = await call(providersRoute, { path: "/api/providers?active=maybe", headers: t.headers });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].field).toBe("active");
  });

  it("reports liveness and readiness", async () => {
    const res = await call(health, { path: "/api/health" });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ live: true, ready: true, checks: { database: { ok: true } } });
    const live = await call(health, { path: "/api/health?probe=live" });
    expect(live.json).toMatchObject({ probe: "live", live: true });
  });

  it("answers unknown API paths with a 404 envelope", async () => {
    const res = await call(notFound, { path: "/api/nothing-here" });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ success: false, error: { code: "not_found" } });
  });
});

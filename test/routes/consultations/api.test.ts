import { describe, expect, it } from "vitest";
import { GET as getOne } from "@/app/api/consultations/[consultationId]/route";
import { GET as list, POST as create } from "@/app/api/consultations/route";
import { formatLocal } from "@/lib/time";
import { call, createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { immediateGeneralExample, scheduledSpecialistExample } from "@/test/fixtures/seed-examples";

const test = setupTestDatabase();

function inBogota(minutesFromNow: number): string {
  return formatLocal(new Date(Date.now() + minutesFromNow * 60_000), "America/Bogota");
}

describe("POST /api/consultations with the seed's examples", () => {
  let tenant: Tenant;

  it("creates the scheduled specialist example", async () => {
    tenant = await createTenant(test.db);
    const scheduledAt = inBogota(3 * 24 * 60);
    const res = await call(create, { path: "/api/consultations", headers: tenant.headers, body: scheduledSpecialistExample(scheduledAt) });
    expect(res.status, res.text).toBe(200);
    const { success, data, metadata } = res.json;
    expect(success).toBe(true);
    expect(data.consultationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(data.accessPin).toMatch(/^\d{6}$/);
    expect(data.participantAccess.patientUrl).toMatch(/^https:\/\/portal\.test\/join\/[A-Za-z0-9_-]{43}\?type=patient$/);
    expect(data.participantAccess.providerUrl).toMatch(/^https:\/\/portal\.test\/join\/[A-Za-z0-9_-]{43}\?type=provider$/);
    expect(data.participantAccess.patientUrl.split("?")[0]).not.toBe(data.participantAccess.providerUrl.split("?")[0]);
    expect(data.scheduledAt).toBe(scheduledAt);
    expect(data.durationMinutes).toBe(30);
    expect(data.status).toBe("Pending");
    expect(data.provider).toMatchObject({
      name: "Dr. Juan Pérez",
      professionalType: "Médico Especialista",
      specialtyCode: "CA003",
      specialtyName: "Cardiología",
    });
    expect(data.provider.specialtyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(data.patient).toEqual({ documentType: "CC", documentNumber: "1234567890", name: "María García López" });
    expect(data.createdAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(metadata).toMatchObject({ version: "v1" });
    expect(metadata.requestId).toMatch(/^[0-9a-f]{16}$/);
    expect(metadata.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it("creates the immediate general-practitioner example, without specialty fields", async () => {
    const res = await call(create, { path: "/api/consultations", headers: tenant.headers, body: immediateGeneralExample() });
    expect(res.status, res.text).toBe(200);
    const { data } = res.json;
    expect(data.provider).toEqual({ name: "Dr. Ana Martínez", professionalType: "Médico General" });
    expect(data.immediate).toBe(true);
    expect(data.durationMinutes).toBe(20);
    // An immediate consultation starts now and expires after its duration.
    const start = new Date(`${data.scheduledAt.replace(" ", "T")}:00-05:00`).getTime();
    const end = new Date(`${data.expiredAt.replace(" ", "T")}:00-05:00`).getTime();
    expect(end - start).toBeGreaterThanOrEqual(19 * 60_000);
    expect(end - start).toBeLessThanOrEqual(21 * 60_000);
    expect(Math.abs(start - Date.now())).toBeLessThan(2 * 60_000);
  });

  it("gets it back by id with the same PIN and links, and lists it", async () => {
    const created = await call(create, { path: "/api/consultations", headers: tenant.headers, body: {
        ...immediateGeneralExample(),
        provider: { ...immediateGeneralExample().provider, documentNumber: "44444444" },
        patient: { ...immediateGeneralExample().patient, documentNumber: "55555555" },
      },
    });
    expect(created.status, created.text).toBe(200);
    const id = created.json.data.consultationId;
    const got = await call(getOne, { path: `/api/consultations/${id}`, headers: tenant.headers, params: { consultationId: id } });
    expect(got.status).toBe(200);
    expect(got.json.data).toEqual(created.json.data);
    const listed = await call(list, { path: "/api/consultations?patientDocumentNumber=55555555", headers: tenant.headers });
    expect(listed.status).toBe(200);
    expect(listed.json.data.map((c: { consultationId: string }) => c.consultationId)).toEqual([id]);
    expect(listed.json.data[0].accessPin).toBeUndefined();
  });
});

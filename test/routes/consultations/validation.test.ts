import { beforeAll, describe, expect, it } from "vitest";
import { POST as create } from "@/app/api/consultations/route";
import { loadCatalogs, type CatalogIndex } from "@/lib/catalogs";
import { AppError } from "@/lib/errors";
import { call, createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { checkCreateConsultation } from "@/lib/consultations/create";

const test = setupTestDatabase();
let tenant: Tenant;
let catalogs: CatalogIndex;
let serial = 10_000_000;

beforeAll(async () => {
  tenant = await createTenant(test.db);
  catalogs = await loadCatalogs(test.db);
});

/** A valid immediate body with fresh documents, so cases never collide with each other. */
function validBody(): Record<string, any> {
  serial += 1;
  return {
    provider: {
      name: "Dra. Carolina Ruiz",
      documentType: "CC",
      documentNumber: String(serial),
      professionalType: "MedicoGeneral",
      phone: "+573001112233",
      email: "carolina.ruiz@example.com",
    },
    patient: {
      documentType: "CC",
      documentNumber: String(serial + 50_000_000),
      name: "Pedro Gómez",
      phone: "+573004445566",
      email: "pedro.gomez@example.com",
    },
    consultationType: "ConsultaGeneral",
    durationMinutes: 15,
  };
}

function set(body: Record<string, any>, path: string, value: unknown) {
  const keys = path.split(".");
  let target = body;
  for (const key of keys.slice(0, -1)) target = target[key];
  if (value === undefined) delete target[keys.at(-1)!];
  else target[keys.at(-1)!] = value;
  return body;
}

async function post(body: unknown) {
  return call(create, { path: "/api/consultations", headers: tenant.headers, body });
}

async function expectAccepted(path: string, value: unknown) {
  const res = await post(set(validBody(), path, value));
  expect(res.status, `${path}=${JSON.stringify(value)} should be accepted: ${res.text}`).toBe(200);
  return res.json.data;
}

async function expectRefused(path: string, value: unknown, field = path) {
  const res = await post(set(validBody(), path, value));
  expect(res.status, `${path}=${JSON.stringify(value)} should be refused`).toBe(400);
  expect(res.json.success).toBe(false);
  expect(res.json.error.code).toBe("validation_error");
  expect(res.json.error.details.map((d: { field: string }) => d.field)).toContain(field);
  return res.json.error.details.find((d: { field: string }) => d.field === field);
}

describe("provider.name is 10 to 50 characters", () => {
  it("accepts 10 and 50", async () => {
    await expectAccepted("provider.name", "A".repeat(10));
    await expectAccepted("provider.name", "B".repeat(50));
  });
  it("refuses 9, 51, blank and missing", async () => {
    expect((await expectRefused("provider.name", "A".repeat(9))).message).toMatch(/at least 10/);
    expect((await expectRefused("provider.name", "A".repeat(51))).message).toMatch(/at most 50/);
    await expectRefused("provider.name", "          ");
    expect((await expectRefused("provider.name", undefined)).message).toBe("is required");
  });
});

describe("document types are CC, TI, CE, RC, PAS", () => {
  it("accepts each of them for provider and patient", async () => {
    for (const type of ["CC", "TI", "CE", "RC", "PAS"]) {
      await expectAccepted("provider.documentType", type);
      await expectAccepted("patient.documentType", type);
    }
  });
  it("refuses anything else, including lower case", async () => {
    await expectRefused("provider.documentType", "NIT");
    await expectRefused("patient.documentType", "cc");
    await expectRefused("patient.documentType", undefined);
  });
});

describe("document numbers are 8 to 20 characters", () => {
  it("accepts 8 and 20", async () => {
    await expectAccepted("provider.documentNumber", `${serial}`.slice(0, 8).padStart(8, "7"));
    await expectAccepted("patient.documentNumber", `9${serial}`.padEnd(20, "0"));
  });
  it("refuses 7 and 21, and symbols", async () => {
    await expectRefused("provider.documentNumber", "1234567");
    await expectRefused("patient.documentNumber", "1".repeat(21));
    await expectRefused("patient.documentNumber", "1234-5678");
  });
});

describe("professionalType and medicalSpecialtyCode", () => {
  it("refuses a professional type outside the catalog", async () => {
    const detail = await expectRefused("provider.professionalType", "Chaman");
    expect(detail.code).toBe("unknown_professional_type");
  });
  it("requires a specialty for MedicoEspecialista", async () => {
    const detail = await expectRefused("provider.professionalType", "MedicoEspecialista", "provider.medicalSpecialtyCode");
    expect(detail.code).toBe("specialty_required");
  });
  it("refuses an unknown specialty code", async () => {
    const body = validBody();
    body.provider.professionalType = "MedicoEspecialista";
    body.provider.medicalSpecialtyCode = "XX999";
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.json.error.details).toContainEqual(expect.objectContaining({ field: "provider.medicalSpecialtyCode", code: "unknown_specialty" }));
  });
  it("refuses a specialty for every other professional type", async () => {
    for (const type of ["MedicoGeneral", "Psicologo", "Nutricionista"]) {
      const body = validBody();
      body.provider.professionalType = type;
      body.provider.medicalSpecialtyCode = "CA003";
      const res = await post(body);
      expect(res.status, type).toBe(400);
      expect(res.json.error.details).toContainEqual(expect.objectContaining({ field: "provider.medicalSpecialtyCode", code: "specialty_not_allowed" }));
    }
  });
  it("accepts a specialist with a catalog specialty and returns its fields", async () => {
    const body = validBody();
    body.provider.professionalType = "MedicoEspecialista";
    body.provider.medicalSpecialtyCode = "PE002";
    const res = await post(body);
    expect(res.status, res.text).toBe(200);
    expect(res.json.data.provider).toMatchObject({ professionalType: "Médico Especialista", specialtyCode: "PE002", specialtyName: "Pediatría" });
  });
  it("accepts a psychologist with no specialty and returns no specialty fields", async () => {
    const data = await expectAccepted("provider.professionalType", "Psicologo");
    expect(data.provider).toEqual({ name: "Dra. Carolina Ruiz", professionalType: "Psicólogo" });
  });
});

describe("phones are international and emails valid", () => {
  it("accepts international numbers of several countries", async () => {
    await expectAccepted("provider.phone", "+573001234567");
    await expectAccepted("patient.phone", "+34612345678");
    await expectAccepted("patient.phone", "+1 415 555 2671");
  });
  it("refuses national format, letters and impossible numbers", async () => {
    await expectRefused("provider.phone", "3001234567");
    await expectRefused("patient.phone", "+57abc");
    await expectRefused("patient.phone", "+5730");
    await expectRefused("patient.phone", undefined);
  });
  it("validates emails", async () => {
    await expectAccepted("patient.email", "a.b+c@sub.example.co");
    await expectRefused("provider.email", "not-an-email");
    await expectRefused("patient.email", "[email protected]");
    await expectRefused("patient.email", undefined);
  });
});

describe("consultationType and durationMinutes", () => {
  it("refuses a consultation type outside the catalog", async () => {
    const detail = await expectRefused("consultationType", "ConsultaInventada");
    expect(detail.code).toBe("unknown_consultation_type");
  });
  it("accepts every allowed duration", async () => {
    for (const minutes of [10, 15, 20, 25, 30, 35, 40, 45, 50, 60]) await expectAccepted("durationMinutes", minutes);
  });
  it("refuses durations next to the allowed ones, strings and missing", async () => {
    for (const minutes of [5, 9, 11, 55, 61, 90, 0, -10, 15.5]) await expectRefused("durationMinutes", minutes);
    await expectRefused("durationMinutes", "30");
    await expectRefused("durationMinutes", undefined);
  });
});

describe("scheduledAt: yyyy-MM-dd HH:mm, organization timezone, at least 15 minutes ahead", () => {
  // 2026-03-10 12:00 in Bogota (UTC-5, no daylight saving) = 17:00Z.
  const now = new Date("2026-03-10T17:00:00Z");
  const check = (scheduledAt: string, timeZone = "America/Bogota") =>
    checkCreateConsultation({ ...validBody(), scheduledAt }, catalogs, timeZone, now);
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      return (error as AppError).details.find((d) => d.field === "scheduledAt");
    }
    throw new Error("expected a refusal");
  };

  it("accepts exactly 15 minutes ahead, in the organization's timezone", () => {
    expect(check("2026-03-10 12:15").startsAt.toISOString()).toBe("2026-03-10T17:15:00.000Z");
    expect(check("2026-03-10 12:15").immediate).toBe(false);
  });
  it("refuses 14 minutes ahead and the past", () => {
    expect(refusal(() => check("2026-03-10 12:14"))?.code).toBe("insufficient_notice");
    expect(refusal(() => check("2024-12-15 14:30"))?.code).toBe("insufficient_notice");
  });
  it("reads the same wall-clock time in another organization's timezone", () => {
    // Madrid is UTC+1 in March: 18:15 there is 17:15Z, 15 minutes after now.
    expect(check("2026-03-10 18:15", "Europe/Madrid").startsAt.toISOString()).toBe("2026-03-10T17:15:00.000Z");
    expect(refusal(() => check("2026-03-10 18:14", "Europe/Madrid"))?.code).toBe("insufficient_notice");
  });
  it("refuses other formats and impossible dates", () => {
    for (const value of ["2026-03-10T12:30", "2026-03-10 12:30:00", "10/03/2026 12:30", "2026-3-10 12:30", ""]) {
      expect(refusal(() => check(value)), value).toBeDefined();
    }
    expect(refusal(() => check("2026-02-30 12:30"))?.code).toBe("invalid_date");
    expect(refusal(() => check("2026-03-10 24:00"))?.code).toBe("invalid_date");
  });
  it("refuses a time that a daylight-saving change skips", () => {
    // New York springs forward on 2026-03-08: 02:30 does not exist.
    const early = new Date("2026-03-01T12:00:00Z");
    try {
      checkCreateConsultation({ ...validBody(), scheduledAt: "2026-03-08 02:30" }, catalogs, "America/New_York", early);
      throw new Error("expected a refusal");
    } catch (error) {
      expect((error as AppError).details).toContainEqual(expect.objectContaining({ field: "scheduledAt", code: "invalid_date" }));
    }
  });
  it("through the API: 16 minutes ahead is accepted, 14 refused, none means immediate", async () => {
    const { formatLocal } = await import("@/lib/time");
    const ahead = (m: number) => formatLocal(new Date(Date.now() + m * 60_000), "America/Bogota");
    const accepted = await expectAccepted("scheduledAt", ahead(16));
    expect(accepted.immediate).toBe(false);
    await expectRefused("scheduledAt", ahead(14));
    const immediate = await expectAccepted("scheduledAt", undefined);
    expect(immediate.immediate).toBe(true);
  });
});

describe("the error envelope", () => {
  it("names every bad field at once", async () => {
    const res = await post({ provider: { name: "short" }, patient: {}, durationMinutes: 7 });
    expect(res.status).toBe(400);
    const fields = res.json.error.details.map((d: { field: string }) => d.field);
    for (const field of [
      "provider.name",
      "provider.documentType",
      "provider.documentNumber",
      "provider.professionalType",
      "provider.phone",
      "provider.email",
      "patient.name",
      "patient.documentType",
      "consultationType",
      "durationMinutes",
    ]) {
      expect(fields).toContain(field);
    }
    expect(res.json.metadata.requestId).toMatch(/^[0-9a-f]{16}$/);
    expect(res.headers.get("x-request-id")).toBe(res.json.metadata.requestId);
  });
  it("refuses a body that is not an object", async () => {
    for (const body of ["[]", "42", "null", '"text"']) {
      const res = await post(body);
      expect(res.status, body).toBe(400);
      expect(res.json.error.code).toBe("validation_error");
    }
  });
});

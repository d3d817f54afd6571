import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as listConsultationsRoute, POST as createRoute } from "@/app/api/consultations/route";
import { GET as listProvidersRoute } from "@/app/api/providers/route";
import { POST as chatRoute } from "@/app/api/rooms/[roomId]/chat/route";
import { POST as reportRoute } from "@/app/api/rooms/[roomId]/issue-reports/route";
import { POST as signalsRoute } from "@/app/api/rooms/[roomId]/signals/route";
import { POST as createWebhookRoute } from "@/app/api/webhooks/route";
import { createApiCredential } from "@/lib/auth/api-credentials";
import { encodeCursor } from "@/lib/pagination/cursor";
import { createOrganization } from "@/lib/organizations";
import { createStaffMember } from "@/lib/staff";
import { formatLocal } from "@/lib/time";
import { call, createTenant, refusal, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { immediateGeneralExample, scheduledSpecialistExample } from "@/test/fixtures/seed-examples";
import { closeEventStreams, inCall, roomCall } from "@/test/rooms";

/**
 * Issue 13, items 4, 10 and 11: hostile text and dates sent to the routes are 400s that name the
 * field, never a 500 from PostgreSQL.
 */

const test = setupTestDatabase();
let tenant: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db);
});
afterEach(closeEventStreams);

const TZ = "America/Bogota";
let documents = 0;
/** The immediate example with fresh document numbers (so no double booking), and `change` applied. */
function body(change: (b: ReturnType<typeof immediateGeneralExample>) => void = () => {}) {
  const b = immediateGeneralExample();
  documents++;
  b.provider.documentNumber = String(70_000_000 + documents);
  b.patient.documentNumber = String(80_000_000 + documents);
  change(b);
  return b;
}
const create = (b: unknown) => call(createRoute, { path: "/api/consultations", headers: tenant.headers, body: b });
const fields = (res: { json: any }) => (res.json?.error?.details ?? []).map((d: { field: string }) => d.field);

describe("item 4: a NUL byte in any field is a 400 naming it, not a 500", () => {
  it("POST /api/consultations with patient.name \"Ana\\u0000López\" answers 400 naming patient.name", async () => {
    const res = await create(body((b) => (b.patient.name = "Ana\u0000López")));
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe("validation_error");
    expect(res.json.error.details).toContainEqual({
      field: "patient.name",
      code: "invalid_characters",
      message: "must not contain control or invisible formatting characters",
    });
  });

  it("POST /api/consultations answers 400 naming each string field that carries a NUL or an unpaired surrogate", async () => {
    const cases: [string, (b: any) => void][] = [
      ["provider.name", (b) => (b.provider.name = "Dr. Ana\u0000 Martínez")],
      ["provider.professionalLicense", (b) => (b.provider.professionalLicense = "12\u000045")],
      ["provider.documentNumber", (b) => (b.provider.documentNumber = "1234\u00005678")],
      ["provider.professionalType", (b) => (b.provider.professionalType = "MedicoGeneral\u0000")],
      ["provider.email", (b) => (b.provider.email = "ana\u0000@example.com")],
      ["provider.phone", (b) => (b.provider.phone = "+57300\u00009876543")],
      ["patient.name", (b) => (b.patient.name = "Ana \ud800 López")],
      ["patient.email", (b) => (b.patient.email = "maria\u0000@example.com")],
      ["consultationType", (b) => (b.consultationType = "ConsultaUrgencias\u0000")],
      ["scheduledAt", (b) => (b.scheduledAt = "2027-01-10\u000010:00")],
    ];
    for (const [field, change] of cases) {
      const res = await create(body(change));
      expect(res.status, `${field}: ${res.text}`).toBe(400);
      expect(fields(res), field).toContain(field);
    }
  });

  it("GET /api/consultations and /api/providers answer 400 for a NUL in a filter or a cursor", async () => {
    for (const query of ["providerDocumentNumber=1234%005678", "patientDocumentNumber=%00", "from=2026-01-01%00"]) {
      const res = await call(listConsultationsRoute, { path: `/api/consultations?${query}`, headers: tenant.headers });
      expect(res.status, `${query}: ${res.text}`).toBe(400);
      expect(fields(res)).toContain(query.split("=")[0]);
    }
    for (const query of ["name=Ana%00", "professionalType=%00", `cursor=${encodeCursor(["Ana\u0000", "0b6e3c61-2a8f-4d1e-9a44-6f1d2c3b4a59"])}`]) {
      const res = await call(listProvidersRoute, { path: `/api/providers?${query}`, headers: tenant.headers });
      expect(res.status, `${query}: ${res.text}`).toBe(400);
      expect(fields(res)).toContain(query.split("=")[0]);
    }
  });

  it("a signal with a NUL in its SDP is a 400 naming description.sdp (signals are stored in jsonb)", async () => {
    const { patient, provider } = await inCall(tenant);
    const res = await roomCall(signalsRoute, "signals", provider, {
      kind: "description",
      to: patient.id,
      connectionId: "0b6e3c61-2a8f-4d1e-9a44-6f1d2c3b4a59",
      description: { type: "offer", sdp: "v=0\r\n\u0000" },
    });
    expect(res.status, res.text).toBe(400);
    expect(fields(res)).toEqual(["description.sdp"]);
  });
});

describe("item 10: names and free text refuse control and bidi characters, with the field named", () => {
  const hostile: [string, string][] = [
    ["NUL", "\u0000"],
    ["BEL", "\u0007"],
    ["ESC", "\u001b"],
    ["U+202E RIGHT-TO-LEFT OVERRIDE", "\u202e"],
    ["U+200B ZERO WIDTH SPACE", "\u200b"],
    ["U+2066 LEFT-TO-RIGHT ISOLATE", "\u2066"],
    ["U+FEFF", "\ufeff"],
    ["U+2028 LINE SEPARATOR", "\u2028"],
  ];

  it.each(hostile)("POST /api/consultations refuses %s in patient.name and provider.name with 400 naming each", async (_, character) => {
    const res = await create(
      body((b) => {
        b.patient.name = `María${character} García`;
        b.provider.name = `Dr. Ana${character} Martínez`;
      }),
    );
    expect(res.status, res.text).toBe(400);
    expect(fields(res)).toEqual(expect.arrayContaining(["patient.name", "provider.name"]));
    const names = res.json.error.details.filter((d: { field: string }) => d.field.endsWith(".name"));
    for (const detail of names) expect(detail).toMatchObject({ code: "invalid_characters", message: "must not contain control or invisible formatting characters" });
  });

  it("POST /api/consultations keeps a name with accents, apostrophes, hyphens and ñ as sent", async () => {
    const res = await create(
      body((b) => {
        b.patient.name = "María-José O'Neil Ñúñez";
        b.provider.name = "Dra. Zoë D'Aubigné-Pérez";
      }),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json.data.patient.name).toBe("María-José O'Neil Ñúñez");
    expect(res.json.data.provider.name).toBe("Dra. Zoë D'Aubigné-Pérez");
  });

  it("chat keeps an emoji ZWJ sequence and line breaks, and refuses a bidi override or BEL naming text", async () => {
    const { patient } = await inCall(tenant);
    const ok = await roomCall(chatRoute, "chat", patient, { text: "Somos 👨‍👩‍👧 y 👍🏽\r\nGracias" });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json.data.text).toBe("Somos 👨‍👩‍👧 y 👍🏽\nGracias");
    for (const text of ["abc\u202Egnp.exe", "ding\u0007", "hola\u0000"]) {
      const res = await roomCall(chatRoute, "chat", patient, { text });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.details).toEqual([expect.objectContaining({ field: "text", code: "invalid_characters" })]);
    }
  });

  it("an issue report's description refuses ESC and keeps several lines", async () => {
    const { patient } = await inCall(tenant);
    const bad = await roomCall(reportRoute, "issue-reports", patient, { category: "audio", description: "no audio\u001b[2J" });
    expect(bad.status, bad.text).toBe(400);
    expect(fields(bad)).toEqual(["description"]);
    const ok = await roomCall(reportRoute, "issue-reports", patient, { category: "audio", description: "No oigo al médico.\nSe corta 🎧" });
    expect(ok.status, ok.text).toBe(201);
  });

  it("a webhook endpoint's description refuses U+202E naming description", async () => {
    const res = await call(createWebhookRoute, {
      path: "/api/webhooks",
      headers: tenant.headers,
      body: { url: "https://hooks.example.com/x", events: ["consultation.created"], description: "HIS \u202eetouq" },
    });
    expect(res.status, res.text).toBe(400);
    expect(fields(res)).toContain("description");
  });

  it("staff, organization and API credential names refuse them too, naming the field", async () => {
    const staff = await refusal(createStaffMember(test.db, tenant.organization.id, { email: "rosa@clinic.example", name: "Rosa\u200b Díaz", role: "scheduler" }));
    expect(staff.details).toEqual([expect.objectContaining({ field: "name", message: "must not contain control or invisible formatting characters" })]);
    const credential = await refusal(createApiCredential(test.db, tenant.organization.id, { name: "HIS\u001b[31m" }));
    expect(credential.details).toEqual([expect.objectContaining({ field: "name" })]);
    await expect(createOrganization(test.db, { name: "Clínica\u202e Norte" })).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["name"] })] });
  });
});

describe("item 11: out-of-range and impossible dates are 400s naming the field", () => {
  const scheduled = (scheduledAt: string) => {
    const b = scheduledSpecialistExample(scheduledAt);
    documents++;
    b.provider.documentNumber = String(90_000_000 + documents);
    b.patient.documentNumber = String(91_000_000 + documents);
    return create(b);
  };
  const inBogota = (days: number) => formatLocal(new Date(Date.now() + days * 86_400_000), TZ);

  it("POST /api/consultations with scheduledAt 9999-12-31 23:59 answers 400 naming scheduledAt", async () => {
    const res = await scheduled("9999-12-31 23:59");
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.details).toEqual([expect.objectContaining({ field: "scheduledAt", code: "too_far_ahead" })]);
  });

  it("refuses impossible dates and times, the far past and more than two years ahead; takes 729 days ahead", async () => {
    const cases: [string, string][] = [
      ["2026-02-30 10:00", "invalid_date"],
      ["2026-13-01 10:00", "invalid_date"],
      ["2026-05-01 24:00", "invalid_date"],
      ["2026-05-01 10:60", "invalid_date"],
      ["0001-01-01 10:00", "insufficient_notice"],
      ["1899-12-31 23:59", "insufficient_notice"],
      ["2101-01-01 00:00", "too_far_ahead"],
      [inBogota(731), "too_far_ahead"],
      ["99999-01-01 10:00", "invalid_format"],
    ];
    for (const [scheduledAt, code] of cases) {
      const res = await scheduled(scheduledAt);
      expect(res.status, `${scheduledAt}: ${res.text}`).toBe(400);
      expect(res.json.error.details, scheduledAt).toEqual([expect.objectContaining({ field: "scheduledAt", code })]);
    }
    const farthest = await scheduled(inBogota(729));
    expect(farthest.status, farthest.text).toBe(200);
  });

  it("GET /api/consultations answers 400 naming from or to for out-of-range or impossible dates", async () => {
    const cases: [string, string][] = [
      ["from=99999-01-01", "from"],
      ["from=9999-12-31", "from"],
      ["to=9999-12-31", "to"],
      ["from=1899-01-01", "from"],
      ["to=2026-02-30", "to"],
      ["from=2026-02-30 10:00", "from"],
      ["to=2026-01-01 24:00", "to"],
    ];
    for (const [query, field] of cases) {
      const res = await call(listConsultationsRoute, { path: `/api/consultations?${query.replace(" ", "%20")}`, headers: tenant.headers });
      expect(res.status, `${query}: ${res.text}`).toBe(400);
      expect(res.json.error.details, query).toEqual([expect.objectContaining({ field })]);
    }
    for (const query of ["from=2000-01-01&to=2100-12-31", "from=2026-01-01 08:00&to=2026-12-31"]) {
      const res = await call(listConsultationsRoute, { path: `/api/consultations?${query.replace(" ", "%20")}`, headers: tenant.headers });
      expect(res.status, `${query}: ${res.text}`).toBe(200);
    }
  });
});

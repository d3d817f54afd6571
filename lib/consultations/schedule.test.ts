import { describe, expect, test } from "vitest";
import { providers } from "@/db/schema";
import { Sealer } from "@/lib/crypto";
import { createTenant, refusal } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { scheduleConsultation, type NewConsultationForm } from "./schedule";

const ctx = setupTestDatabase();
const sealer = new Sealer("a test secret of at least thirty-two characters");

async function clinic() {
  const { organization } = await createTenant(ctx.db, { timezone: "America/Bogota" });
  const [general] = await ctx.db
    .insert(providers)
    .values({ organizationId: organization.id, name: "Dra. Ana Martínez", documentType: "CC", documentNumber: "9876543210", professionalType: "MedicoGeneral", phone: "+573009876543", email: "ana@x.example" })
    .returning();
  const [specialist] = await ctx.db
    .insert(providers)
    .values({ organizationId: organization.id, name: "Dr. Juan Pérez", documentType: "CC", documentNumber: "1234567890", professionalType: "MedicoEspecialista", phone: "+573001234567", email: "juan@x.example", professionalLicense: "12345" })
    .returning();
  const org = { organizationId: organization.id, timeZone: "America/Bogota", appUrl: "http://localhost:3000", sealer, now: new Date("2026-11-21T15:00:00Z") };
  return { org, general: general!, specialist: specialist! };
}

const patient = { documentType: "CC", documentNumber: "1122334455", name: "María García López", phone: "+573001112233", email: "maria@x.example" };
const form = (overrides: Partial<NewConsultationForm>): NewConsultationForm => ({
  providerId: "",
  patient,
  consultationType: "ConsultaGeneral",
  durationMinutes: "20",
  when: "now",
  ...overrides,
});

describe("scheduling from the dashboard", () => {
  test("goes through the API's rules, naming the form's fields", async () => {
    const { org, general, specialist } = await clinic();
    const empty = await refusal(
      scheduleConsultation(ctx.db, org, form({ providerId: specialist.id, patient: { ...patient, name: "", phone: "3001234" }, when: "scheduled", scheduledAt: "" })),
    );
    expect(empty.details).toEqual([expect.objectContaining({ field: "scheduledAt", message: "is required for a scheduled consultation" })]);
    const bad = await refusal(scheduleConsultation(ctx.db, org, form({ providerId: specialist.id, patient: { ...patient, name: "", phone: "3001234" } })));
    expect(Object.fromEntries(bad.details.map((d) => [d.field, d.message]))).toEqual({
      "patient.name": "is required",
      "patient.phone": "must be a valid phone number in international format, e.g. +573001234567",
      "provider.medicalSpecialtyCode": "is required when professionalType is MedicoEspecialista",
    });
    const noProvider = await refusal(scheduleConsultation(ctx.db, org, form({ providerId: "not-an-id" })));
    expect(noProvider.details[0]?.field).toBe("providerId");

    const made = await scheduleConsultation(ctx.db, org, form({ providerId: specialist.id, medicalSpecialtyCode: "CA003", when: "scheduled", scheduledAt: "2026-11-22T09:30" }));
    expect(made).toMatchObject({ scheduledAt: "2026-11-22 09:30", immediate: false, provider: { name: "Dr. Juan Pérez", specialtyCode: "CA003" } });
    expect(made.accessPin).toMatch(/^\d{6}$/);

    // The same patient at an overlapping time with another provider: the API's 409.
    const clash = await refusal(scheduleConsultation(ctx.db, org, form({ providerId: general.id, when: "scheduled", scheduledAt: "2026-11-22T09:40" })));
    expect([clash.status, clash.code, clash.details[0]?.field]).toEqual([409, "schedule_conflict", "patient"]);
  });

  test("never uses another organization's provider", async () => {
    const mine = await clinic();
    const theirs = await clinic();
    const refused = await refusal(scheduleConsultation(ctx.db, mine.org, form({ providerId: theirs.general.id })));
    expect([refused.status, refused.details[0]?.field]).toEqual([400, "providerId"]);
  });
});

import { describe, expect, test } from "vitest";
import { providers } from "@/db/schema";
import { appSealer } from "@/lib/config";
import { createTenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { consultationTableQuerySchema } from "./consultations-query";
import { csvField, exportConsultations } from "./export";
import { scheduleConsultation } from "./new-consultation";

const ctx = setupTestDatabase();
const TZ = "America/Bogota";
const NOW = new Date("2026-11-21T15:00:00Z");

describe("exporting the consultations table", () => {
  test("quotes what needs quoting and never lets a spreadsheet run a cell as a formula", () => {
    expect(csvField("María García")).toBe("María García");
    expect(csvField('Dr. "Pepe", MD')).toBe('"Dr. ""Pepe"", MD"');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    expect(csvField("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(csvField("+573001234567")).toBe("'+573001234567");
    expect(csvField("@sum")).toBe("'@sum");
  });

  test("has the table's rows for its filters, in the organization's time, and nothing of another clinic", async () => {
    const { organization } = await createTenant(ctx.db, { timezone: TZ });
    const [doctor] = await ctx.db
      .insert(providers)
      .values({ organizationId: organization.id, name: "Dra. Ana Martínez", documentType: "CC", documentNumber: "70001234", professionalType: "MedicoGeneral", phone: "+573009876543", email: "a@x.example" })
      .returning();
    const org = { organizationId: organization.id, timeZone: TZ, appUrl: "http://localhost:3000", sealer: appSealer(), now: NOW };
    const book = (name: string, documentNumber: string, scheduledAt: string) =>
      scheduleConsultation(ctx.db, org, {
        providerId: doctor!.id,
        patient: { documentType: "CC", documentNumber, name, phone: "+573001112233", email: "p@x.example" },
        consultationType: "ConsultaGeneral",
        durationMinutes: "20",
        when: "scheduled",
        scheduledAt,
      });
    const first = await book("José Pérez, hijo", "11112222", "2026-11-21T16:00");
    await book("Ana Gómez", "33334444", "2026-11-22T09:00");
    const other = await createTenant(ctx.db, { timezone: TZ });

    const all = await exportConsultations(ctx.db, { organizationId: organization.id, timeZone: TZ }, consultationTableQuerySchema.parse({ sort: "startsAt", dir: "asc" }));
    expect(all).toMatchObject({ rows: 2, total: 2, truncated: false });
    const lines = all.csv.replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines[0]).toBe("Time,Status,Provider,Patient,Document type,Document number,Type,Duration (min),Immediate,Created,Consultation id");
    expect(lines[1]).toBe(`2026-11-21 16:00,Pending,Dra. Ana Martínez,"José Pérez, hijo",CC,11112222,Consulta general,20,no,2026-11-21 10:00,${first.consultationId}`);
    expect(lines[2]).toContain("2026-11-22 09:00,Pending,Dra. Ana Martínez,Ana Gómez");

    const searched = await exportConsultations(ctx.db, { organizationId: organization.id, timeZone: TZ }, consultationTableQuerySchema.parse({ q: "3333" }));
    expect(searched.rows).toBe(1);
    expect(searched.csv).toContain("Ana Gómez");
    const elsewhere = await exportConsultations(ctx.db, { organizationId: other.organization.id, timeZone: TZ }, consultationTableQuerySchema.parse({}));
    expect(elsewhere.rows).toBe(0);
  });
});

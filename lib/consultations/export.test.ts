import { describe, expect, test } from "vitest";
import { and, eq } from "drizzle-orm";
import { patients, providers } from "@/db/schema";
import { appSealer } from "@/lib/config";
import { createTenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { consultationTableQuerySchema } from "./table-query";
import { csvField, exportConsultations } from "./export";
import { scheduleConsultation } from "./schedule";

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

  // Item 9 (issue 13): a field split by a reader that uses another separator must not become a formula either.
  test("neutralizes a formula start after any separator a locale uses (; , tab, line breaks), and full-width forms", () => {
    const cases: [string, string][] = [
      ["Juan;=1+1", `"Juan;'=1+1"`],
      ['=HYPERLINK("http://x";"y")', `"'=HYPERLINK(""http://x"";""y"")"`],
      ["  =1+1", "  '=1+1"],
      ['"=1"', `"""'=1"""`],
      ["-2+3", "'-2+3"],
      ["@SUM(A1)", "'@SUM(A1)"],
      ["\t=1", `"'\t'=1"`],
      ["Juan\n=1", `"Juan\n'=1"`],
      ["Juan\r\n+1", `"Juan\r\n'+1"`],
      ["Ana, -1", `"Ana, '-1"`],
      ["Ana;\u00a0\"@x", `"Ana;\u00a0""'@x"`],
      ["＝1+1", "'＝1+1"],
      ["Juan;＋1", `"Juan;'＋1"`],
      ["+573001234567", "'+573001234567"],
      // Legitimate data stays as it is.
      ["María-José O'Neil Ñúñez", "María-José O'Neil Ñúñez"],
      ["Dr. Juan Pérez", "Dr. Juan Pérez"],
      ["2026-11-21 16:00", "2026-11-21 16:00"],
      ["0b3c7a52-0d5e-4c1b-9a4f-2f6a3e1c9d10", "0b3c7a52-0d5e-4c1b-9a4f-2f6a3e1c9d10"],
    ];
    for (const [value, written] of cases) expect(csvField(value), JSON.stringify(value)).toBe(written);
  });

  test("read with ; or , or tab as the separator, no cell of an exported row starts a formula", async () => {
    const { organization } = await createTenant(ctx.db, { timezone: TZ });
    const [doctor] = await ctx.db
      .insert(providers)
      .values({ organizationId: organization.id, name: "Dr. =1+1;@SUM(A1)", documentType: "CC", documentNumber: "70005678", professionalType: "MedicoGeneral", phone: "+573009876543", email: "d@x.example" })
      .returning();
    const org = { organizationId: organization.id, timeZone: TZ, appUrl: "http://localhost:3000", sealer: appSealer(), now: NOW };
    const names = ["Juan;=1+1;", 'Ana,"=HYPERLINK(""http://x"")"', "Luz\t-2+3", "Eva\n@SUM(A1)", "Sol ＝1+1"];
    for (const [i, name] of names.entries()) {
      await scheduleConsultation(ctx.db, org, {
        providerId: doctor!.id,
        patient: { documentType: "CC", documentNumber: `5555000${i}`, name: `Paciente ${i}`, phone: "+573001112233", email: "p@x.example" },
        consultationType: "ConsultaGeneral",
        durationMinutes: "20",
        when: "scheduled",
        scheduledAt: `2026-11-2${2 + i}T09:00`,
      });
      // Names with tabs and line breaks are refused as input now, but may be stored from before.
      await ctx.db.update(patients).set({ name }).where(and(eq(patients.organizationId, organization.id), eq(patients.documentNumber, `5555000${i}`)));
    }
    const { csv, rows } = await exportConsultations(ctx.db, { organizationId: organization.id, timeZone: TZ }, consultationTableQuerySchema.parse({}));
    expect(rows).toBe(names.length);
    // A reader that knows no quoting: every line break ends a row, every separator ends a cell.
    for (const separator of [",", ";", "\t"]) {
      const cells = csv.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/).flatMap((line) => line.split(separator));
      const formulas = cells.filter((cell) => /^[\s"]*[=+\-@＝＋－＠]/u.test(cell));
      expect(formulas, `separator ${JSON.stringify(separator)}`).toEqual([]);
    }
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
    expect(lines[0]).toBe("Time,Status,Provider,Patient,Document type,Document number,Type,Duration (min),Immediate,Created,Consultation id,No-show");
    expect(lines[1]).toBe(`2026-11-21 16:00,Pending,Dra. Ana Martínez,"José Pérez, hijo",CC,11112222,Consulta general,20,no,2026-11-21 10:00,${first.consultationId},`);
    expect(lines[2]).toContain("2026-11-22 09:00,Pending,Dra. Ana Martínez,Ana Gómez");

    const searched = await exportConsultations(ctx.db, { organizationId: organization.id, timeZone: TZ }, consultationTableQuerySchema.parse({ q: "3333" }));
    expect(searched.rows).toBe(1);
    expect(searched.csv).toContain("Ana Gómez");
    const elsewhere = await exportConsultations(ctx.db, { organizationId: other.organization.id, timeZone: TZ }, consultationTableQuerySchema.parse({}));
    expect(elsewhere.rows).toBe(0);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { consultations, patients, providers } from "@/db/schema";
import { createOrganization } from "@/lib/organizations";
import { parseLocal } from "@/lib/time";
import { setupTestDatabase } from "@/test/db";
import { listConsultationTable, type ConsultationTableContext, type ConsultationTableRow } from "./table";
import { consultationTableSearch, parseConsultationTableQuery, type ConsultationTableQuery, type SearchParams } from "./table-query";

const test = setupTestDatabase();

const BOGOTA = "America/Bogota";
const STATUS_ORDER = ["Pending", "InProgress", "Completed", "Expired"];
const TYPE_NAMES: Record<string, string> = {
  ConsultaGeneral: "Consulta general",
  ConsultaUrgencias: "Consulta de urgencias",
  ConsultaControl: "Consulta de control",
  ConsultaPsicologia: "Consulta de psicología",
  ConsultaEspecialista: "Consulta con especialista",
};

type Status = "Pending" | "InProgress" | "Completed" | "Expired";
type Fixture = { id: string; provider: string; patient: string; status: Status; startsAt: Date; type: string; duration: number; createdAt: Date };

function local(value: string, timeZone = BOGOTA): Date {
  const parsed = parseLocal(value, timeZone);
  if (!parsed.ok) throw new Error(`bad local time ${value}`);
  return parsed.instant;
}

/** A URL search string as Next.js gives it to a page: a repeated param as an array. */
function searchParams(search: string): SearchParams {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    const seen = params[key];
    params[key] = seen === undefined ? value : [seen, value].flat();
  }
  return params;
}

/** `query` from a URL search string, failing the test on any invalid param. */
function q(search = ""): ConsultationTableQuery {
  const { query, invalid } = parseConsultationTableQuery(searchParams(search));
  expect(invalid).toEqual([]);
  return query;
}

async function organization(db: Database, timezone: string) {
  return createOrganization(db, { name: `Clinic ${Math.random().toString(36).slice(2, 8)}`, timezone });
}

let documents = 80_000_000;
async function provider(db: Database, organizationId: string, name: string): Promise<string> {
  const [row] = await db
    .insert(providers)
    .values({ organizationId, name, documentType: "CC", documentNumber: String(documents++), professionalType: "MedicoGeneral", phone: "+573001234567", email: "doc@clinic.example" })
    .returning({ id: providers.id });
  return row!.id;
}

async function patient(db: Database, organizationId: string, name: string, documentType: "CC" | "TI" | "CE" | "PAS", documentNumber: string): Promise<string> {
  const [row] = await db
    .insert(patients)
    .values({ organizationId, name, documentType, documentNumber, phone: "+573007654321", email: "patient@mail.example" })
    .returning({ id: patients.id });
  return row!.id;
}

async function consultation(
  db: Database,
  organizationId: string,
  c: { provider: string; patient: string; status: Status; startsAt: Date; type?: string; duration?: number; createdAt?: Date },
): Promise<Fixture> {
  const duration = c.duration ?? 30;
  const type = c.type ?? "ConsultaGeneral";
  const createdAt = c.createdAt ?? new Date(c.startsAt.getTime() - 86_400_000);
  const [row] = await db
    .insert(consultations)
    .values({
      organizationId,
      providerId: c.provider,
      patientId: c.patient,
      consultationType: type,
      status: c.status,
      immediate: false,
      startsAt: c.startsAt,
      endsAt: new Date(c.startsAt.getTime() + duration * 60_000),
      durationMinutes: duration,
      accessPinSealed: "sealed",
      createdAt,
    })
    .returning({ id: consultations.id });
  return { id: row!.id, provider: c.provider, patient: c.patient, status: c.status, startsAt: c.startsAt, type, duration, createdAt };
}

const collator = new Intl.Collator("und");

/** The order the table promises: the column, then the start, then the id, all in one direction. */
function expectedOrder(rows: Fixture[], sort: ConsultationTableQuery["sort"], dir: "asc" | "desc", names: Record<string, string>): string[] {
  const key = (f: Fixture): number | string => {
    switch (sort) {
      case "startsAt":
        return f.startsAt.getTime();
      case "status":
        return STATUS_ORDER.indexOf(f.status);
      case "provider":
        return names[f.provider]!;
      case "patient":
        return names[f.patient]!;
      case "type":
        return TYPE_NAMES[f.type]!;
      case "duration":
        return f.duration;
      case "createdAt":
        return f.createdAt.getTime();
    }
  };
  const compare = (a: number | string, b: number | string) => (typeof a === "string" ? collator.compare(a, b as string) : a - (b as number));
  const sign = dir === "asc" ? 1 : -1;
  return [...rows]
    .sort((a, b) => sign * (compare(key(a), key(b)) || a.startsAt.getTime() - b.startsAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
    .map((f) => f.id);
}

const ids = (rows: ConsultationTableRow[]) => rows.map((r) => r.consultationId);

describe("listConsultationTable", () => {
  let ctx: ConsultationTableContext;
  let otherCtx: ConsultationTableContext;
  let all: Fixture[];
  let others: Fixture[];
  const names: Record<string, string> = {};
  const p = {} as Record<"ana" | "alvaro" | "carlos" | "other", string>;
  const pa = {} as Record<"maria" | "jose" | "mariana" | "ursula" | "percent" | "otherMaria", string>;

  beforeAll(async () => {
    const db = test.db;
    const org = await organization(db, BOGOTA);
    const other = await organization(db, BOGOTA);
    ctx = { organizationId: org.id, timeZone: BOGOTA };
    otherCtx = { organizationId: other.id, timeZone: BOGOTA };

    // "Álvaro" sorts beside "Ana" (before it), not after "Zapata" as by code point.
    p.ana = await provider(db, org.id, "Dra. Ana Zapata");
    p.alvaro = await provider(db, org.id, "Dr. Álvaro Benítez");
    p.carlos = await provider(db, org.id, "Dr. Carlos Ruiz");
    p.other = await provider(db, other.id, "Dr. Otro Médico");
    pa.maria = await patient(db, org.id, "María García López", "CC", "1012345678");
    pa.jose = await patient(db, org.id, "José Muñoz Pérez", "CC", "52123456");
    pa.mariana = await patient(db, org.id, "Mariana Gómez", "TI", "1098765432");
    pa.ursula = await patient(db, org.id, "Úrsula Álvarez", "PAS", "AB123456");
    pa.percent = await patient(db, org.id, "Pedro 100% Real", "CE", "77777777");
    pa.otherMaria = await patient(db, other.id, "María Otra Clínica", "CC", "1012999999");
    Object.assign(names, {
      [p.ana]: "Dra. Ana Zapata",
      [p.alvaro]: "Dr. Álvaro Benítez",
      [p.carlos]: "Dr. Carlos Ruiz",
      [pa.maria]: "María García López",
      [pa.jose]: "José Muñoz Pérez",
      [pa.mariana]: "Mariana Gómez",
      [pa.ursula]: "Úrsula Álvarez",
      [pa.percent]: "Pedro 100% Real",
    });

    const at = (value: string) => local(value);
    const made = [
      // The `to` day's edge in Bogota (UTC-5): 23:30 local is 04:30 UTC the next day.
      { provider: p.ana, patient: pa.maria, status: "Completed", startsAt: at("2026-03-10 23:30"), type: "ConsultaControl", duration: 20 },
      { provider: p.alvaro, patient: pa.jose, status: "Completed", startsAt: at("2026-03-11 00:10"), type: "ConsultaGeneral", duration: 45 },
      // The `from` day's edge.
      { provider: p.carlos, patient: pa.mariana, status: "Expired", startsAt: at("2026-03-04 00:00"), type: "ConsultaUrgencias", duration: 10 },
      { provider: p.ana, patient: pa.jose, status: "Expired", startsAt: at("2026-03-03 23:59"), type: "ConsultaPsicologia", duration: 60 },
      // Two at the same instant: the id breaks the tie.
      { provider: p.alvaro, patient: pa.ursula, status: "Completed", startsAt: at("2026-03-07 10:00"), type: "ConsultaEspecialista", duration: 30 },
      { provider: p.carlos, patient: pa.maria, status: "Completed", startsAt: at("2026-03-07 10:00"), type: "ConsultaGeneral", duration: 30 },
      { provider: p.ana, patient: pa.percent, status: "Completed", startsAt: at("2026-02-20 08:00"), type: "ConsultaGeneral", duration: 15 },
      { provider: p.alvaro, patient: pa.mariana, status: "Expired", startsAt: at("2026-01-15 15:30"), type: "ConsultaControl", duration: 25 },
      { provider: p.carlos, patient: pa.ursula, status: "Completed", startsAt: at("2025-12-01 09:00"), type: "ConsultaUrgencias", duration: 50 },
      { provider: p.ana, patient: pa.mariana, status: "Completed", startsAt: at("2025-11-20 11:00"), type: "ConsultaEspecialista", duration: 40 },
      // Live ones, in the future.
      { provider: p.ana, patient: pa.ursula, status: "Pending", startsAt: at("2099-05-01 09:00"), type: "ConsultaGeneral", duration: 30 },
      { provider: p.alvaro, patient: pa.maria, status: "Pending", startsAt: at("2099-05-01 09:00"), type: "ConsultaControl", duration: 20 },
      { provider: p.carlos, patient: pa.jose, status: "InProgress", startsAt: new Date(Date.now() - 5 * 60_000), type: "ConsultaPsicologia", duration: 35 },
    ] as const;
    all = [];
    let created = Date.parse("2025-06-01T12:00:00Z");
    // createdAt deliberately out of step with startsAt, so the two sorts differ.
    for (const [i, c] of made.entries()) all.push(await consultation(db, org.id, { ...c, createdAt: new Date((created += ((i * 7) % 5) * 3_600_000 + 60_000)) }));
    // The other organization: same days, its own provider and patient, and one of ours' names.
    others = [
      await consultation(db, other.id, { provider: p.other, patient: pa.otherMaria, status: "Completed", startsAt: at("2026-03-10 12:00") }),
      await consultation(db, other.id, { provider: p.other, patient: pa.otherMaria, status: "Pending", startsAt: at("2099-05-01 09:00") }),
    ];
  });

  it("lists the organization's consultations, newest start first, with the row's fields", async () => {
    const page = await listConsultationTable(test.db, ctx, q());
    expect(page).toMatchObject({ total: all.length, page: 1, size: 25, pageCount: 1 });
    expect(ids(page.rows)).toEqual(expectedOrder(all, "startsAt", "desc", names));
    const edge = page.rows.find((r) => r.consultationId === all[0]!.id)!;
    expect(edge).toEqual({
      consultationId: all[0]!.id,
      status: "Completed",
      startsAt: local("2026-03-10 23:30"),
      startsAtLocal: "2026-03-10 23:30",
      durationMinutes: 20,
      immediate: false,
      provider: { id: p.ana, name: "Dra. Ana Zapata" },
      patient: { name: "María García López", documentType: "CC", documentNumber: "1012345678" },
      consultationType: { code: "ConsultaControl", name: "Consulta de control" },
      createdAt: all[0]!.createdAt,
      noShow: null,
      waitingSince: null,
    });
    expect(edge.startsAt.toISOString()).toBe("2026-03-11T04:30:00.000Z");
  });

  describe("sorts by every column, both ways, stably", () => {
    for (const sort of ["startsAt", "status", "provider", "patient", "type", "duration", "createdAt"] as const) {
      for (const dir of ["asc", "desc"] as const) {
        it(`${sort} ${dir}`, async () => {
          const page = await listConsultationTable(test.db, ctx, q(`sort=${sort}&dir=${dir}&size=100`));
          expect(ids(page.rows)).toEqual(expectedOrder(all, sort, dir, names));
          // Page by page (size 10) gives the same order, nothing twice, nothing lost.
          const first = await listConsultationTable(test.db, ctx, q(`sort=${sort}&dir=${dir}&size=10`));
          const second = await listConsultationTable(test.db, ctx, q(`sort=${sort}&dir=${dir}&size=10&page=2`));
          expect([...ids(first.rows), ...ids(second.rows)]).toEqual(ids(page.rows));
        });
      }
    }

    // Few rows here, so name sorts join and sort; a large organization's walk the names instead.
    describe("walking the names, as for a large organization", () => {
      const walk = { walkAbove: 0 };
      for (const sort of ["provider", "patient", "type"] as const) {
        for (const dir of ["asc", "desc"] as const) {
          it(`${sort} ${dir}`, async () => {
            const page = await listConsultationTable(test.db, ctx, q(`sort=${sort}&dir=${dir}&size=100`), walk);
            expect(ids(page.rows)).toEqual(expectedOrder(all, sort, dir, names));
            const pages = [];
            for (const n of [1, 2]) pages.push(...ids((await listConsultationTable(test.db, ctx, q(`sort=${sort}&dir=${dir}&size=10&page=${n}`), walk)).rows));
            expect(pages).toEqual(ids(page.rows));
            // With filters, and as a provider, still in order and still only what matches.
            const search = `sort=${sort}&dir=${dir}&size=100&status=Completed,Pending&q=mar&from=2026-01-01`;
            const expected = all.filter((f) => (f.status === "Completed" || f.status === "Pending") && (f.patient === pa.maria || f.patient === pa.mariana) && f.startsAt >= local("2026-01-01 00:00"));
            expect(ids((await listConsultationTable(test.db, ctx, q(search), walk)).rows)).toEqual(expectedOrder(expected, sort, dir, names));
            const mine = { ...ctx, providerId: p.ana };
            expect(ids((await listConsultationTable(test.db, mine, q(`sort=${sort}&dir=${dir}&size=100`), walk)).rows)).toEqual(
              expectedOrder(all.filter((f) => f.provider === p.ana), sort, dir, names),
            );
            expect((await listConsultationTable(test.db, mine, q(`sort=${sort}&provider=${p.alvaro}`), walk)).rows).toEqual([]);
            expect((await listConsultationTable(test.db, { ...ctx, providerId: p.other }, q(`sort=${sort}`), walk)).rows).toEqual([]);
          });
        }
      }
    });

    it("provider names by how people read them, accents folded in", async () => {
      const page = await listConsultationTable(test.db, ctx, q("sort=provider&dir=asc&size=100"));
      expect([...new Set(page.rows.map((r) => r.provider.name))]).toEqual(["Dr. Álvaro Benítez", "Dr. Carlos Ruiz", "Dra. Ana Zapata"]);
    });
  });

  it("paginates with an exact total and page count", async () => {
    const first = await listConsultationTable(test.db, ctx, q("size=10"));
    expect(first).toMatchObject({ total: 13, page: 1, size: 10, pageCount: 2 });
    expect(first.rows).toHaveLength(10);
    const second = await listConsultationTable(test.db, ctx, q("size=10&page=2"));
    expect(second).toMatchObject({ total: 13, page: 2, pageCount: 2 });
    expect(second.rows).toHaveLength(3);
    const beyond = await listConsultationTable(test.db, ctx, q("size=10&page=3"));
    expect(beyond).toMatchObject({ rows: [], total: 13, page: 3, pageCount: 2 });
    const filtered = await listConsultationTable(test.db, ctx, q("size=10&status=Expired"));
    expect(filtered).toMatchObject({ total: 3, pageCount: 1 });
  });

  it("an empty table is page 1 of 1", async () => {
    const page = await listConsultationTable(test.db, ctx, q("q=nobody-by-this-name"));
    expect(page).toEqual({ rows: [], total: 0, page: 1, size: 25, pageCount: 1 });
  });

  describe("filters", () => {
    const match = async (search: string, expected: Fixture[], context = ctx) => {
      const page = await listConsultationTable(test.db, context, q(`${search}&size=100`));
      expect(ids(page.rows).sort()).toEqual(expected.map((f) => f.id).sort());
      expect(page.total).toBe(expected.length);
    };

    it("by status, one or several (repeated or comma-separated)", async () => {
      await match("status=Expired", all.filter((f) => f.status === "Expired"));
      await match("status=Pending,InProgress", all.filter((f) => f.status === "Pending" || f.status === "InProgress"));
      await match("status=Pending&status=Expired", all.filter((f) => f.status === "Pending" || f.status === "Expired"));
    });

    it("by days in the organization's timezone: `to` includes all of its day, `from` starts at its midnight", async () => {
      const page = await listConsultationTable(test.db, ctx, q("from=2026-03-04&to=2026-03-10&size=100"));
      const got = ids(page.rows);
      expect(got).toContain(all[0]!.id); // 2026-03-10 23:30 local
      expect(got).not.toContain(all[1]!.id); // 2026-03-11 00:10 local
      expect(got).toContain(all[2]!.id); // 2026-03-04 00:00 local
      expect(got).not.toContain(all[3]!.id); // 2026-03-03 23:59 local
      await match("from=2026-03-04&to=2026-03-10", all.filter((f) => f.startsAt >= local("2026-03-04 00:00") && f.startsAt < local("2026-03-11 00:00")));
      await match("from=2026-03-11", all.filter((f) => f.startsAt >= local("2026-03-11 00:00")));
      await match("to=2026-01-15", all.filter((f) => f.startsAt < local("2026-01-16 00:00")));
      await match("from=2026-03-10&to=2026-03-10", [all[0]!]);
    });

    it("by provider", async () => {
      await match(`provider=${p.carlos}`, all.filter((f) => f.provider === p.carlos));
      await match(`provider=${p.carlos.toUpperCase()}`, all.filter((f) => f.provider === p.carlos));
    });

    it("by patient: part of the name in any case, accents or not, or the start of the document number", async () => {
      await match("q=GARC", all.filter((f) => f.patient === pa.maria));
      await match("q=  arIa ", all.filter((f) => f.patient === pa.maria || f.patient === pa.mariana));
      await match("q=alvarez", all.filter((f) => f.patient === pa.ursula));
      await match("q=munoz perez", all.filter((f) => f.patient === pa.jose));
      await match("q=MUÑOZ", all.filter((f) => f.patient === pa.jose));
      await match("q=jos%C3%A9 m", all.filter((f) => f.patient === pa.jose)); // "josé m"
      // Regular-expression characters are plain characters too.
      await match("q=j.s", []);
      await match("q=(jos", []);
      await match("q=jos[", []);
      await match("q=ÚRSULA", all.filter((f) => f.patient === pa.ursula));
      await match("q=1012", all.filter((f) => f.patient === pa.maria));
      await match("q=10", all.filter((f) => f.patient === pa.maria || f.patient === pa.mariana || f.patient === pa.percent)); // "100%" in a name
      await match("q=ab12", all.filter((f) => f.patient === pa.ursula));
      // Only a document's start counts; wildcards are plain characters.
      await match("q=2345678", []);
      await match("q=0%", all.filter((f) => f.patient === pa.percent));
      await match("q=%%", []);
      await match("q=__", []);
    });

    it("combined", async () => {
      await match(
        `status=Completed&from=2026-03-01&to=2026-03-31&provider=${p.ana}&q=mar`,
        all.filter((f) => f.status === "Completed" && f.provider === p.ana && f.patient === pa.maria && f.startsAt >= local("2026-03-01 00:00")),
      );
      await match(`status=Expired&provider=${p.carlos}&sort=patient&dir=asc`, [all[2]!]);
      await match(`status=Pending&from=2026-01-01&provider=${p.alvaro}&q=maría`, [all[11]!]);
    });
  });

  describe("the provider role", () => {
    it("sees only that provider's consultations, whatever the query asks", async () => {
      const mine = { ...ctx, providerId: p.alvaro };
      const page = await listConsultationTable(test.db, mine, q("size=100"));
      expect(ids(page.rows).sort()).toEqual(all.filter((f) => f.provider === p.alvaro).map((f) => f.id).sort());
      expect(page.total).toBe(all.filter((f) => f.provider === p.alvaro).length);
      expect((await listConsultationTable(test.db, mine, q(`provider=${p.alvaro}`))).total).toBe(page.total);
      expect(await listConsultationTable(test.db, mine, q(`provider=${p.ana}`))).toMatchObject({ rows: [], total: 0 });
      expect((await listConsultationTable(test.db, mine, q("sort=patient&status=Completed"))).rows.every((r) => r.provider.id === p.alvaro)).toBe(true);
    });
  });

  describe("organization scoping", () => {
    it("never shows another organization's consultations", async () => {
      const everything = ids((await listConsultationTable(test.db, ctx, q("size=100"))).rows);
      for (const other of others) expect(everything).not.toContain(other.id);
      for (const sort of ["provider", "patient", "type"]) {
        const sorted = ids((await listConsultationTable(test.db, ctx, q(`size=100&sort=${sort}`))).rows);
        expect(sorted.sort()).toEqual(all.map((f) => f.id).sort());
      }
      expect(ids((await listConsultationTable(test.db, otherCtx, q("size=100"))).rows).sort()).toEqual(others.map((f) => f.id).sort());
    });

    it("even when asked for its provider, its patient's name or document, or as its provider", async () => {
      const empty = { rows: [], total: 0 };
      expect(await listConsultationTable(test.db, ctx, q(`provider=${p.other}`))).toMatchObject(empty);
      expect(await listConsultationTable(test.db, ctx, q("q=Otra Clínica"))).toMatchObject(empty);
      expect(await listConsultationTable(test.db, ctx, q("q=1012999"))).toMatchObject(empty);
      expect(await listConsultationTable(test.db, { ...ctx, providerId: p.other }, q())).toMatchObject(empty);
      expect(await listConsultationTable(test.db, { ...ctx, providerId: p.other }, q(`provider=${p.other}&sort=provider`))).toMatchObject(empty);
    });
  });

  it("a day whose midnight a daylight-saving change skips starts at the end of the gap", async () => {
    // America/Santiago went from 2024-09-07 23:59 straight to 2024-09-08 01:00.
    const santiago = "America/Santiago";
    const org = await organization(test.db, santiago);
    const doctor = await provider(test.db, org.id, "Dr. Sergio Santiago");
    const someone = await patient(test.db, org.id, "Paciente Santiago", "CC", "99000001");
    const before = await consultation(test.db, org.id, { provider: doctor, patient: someone, status: "Completed", startsAt: local("2024-09-07 23:30", santiago) });
    const after = await consultation(test.db, org.id, { provider: doctor, patient: someone, status: "Completed", startsAt: local("2024-09-08 01:00", santiago) });
    const page = await listConsultationTable(test.db, { organizationId: org.id, timeZone: santiago }, q("from=2024-09-08&to=2024-09-08"));
    expect(ids(page.rows)).toEqual([after.id]);
    expect(page.rows[0]!.startsAtLocal).toBe("2024-09-08 01:00");
    const day = await listConsultationTable(test.db, { organizationId: org.id, timeZone: santiago }, q("to=2024-09-07"));
    expect(ids(day.rows)).toEqual([before.id]);
  });
});

describe("parseConsultationTableQuery", () => {
  const parse = (params: SearchParams) => parseConsultationTableQuery(params);
  const defaults = { page: 1, size: 25, sort: "startsAt", dir: "desc", status: [] };

  it("defaults: page 1 of 25, newest start first, no filters", () => {
    expect(parse({})).toEqual({ query: defaults, invalid: [] });
  });

  it("reads every param, coercing and normalizing", () => {
    const provider = "3F2504E0-4F89-41D3-9A0C-0305E82C3301";
    const { query, invalid } = parse({
      page: "3",
      size: "50",
      sort: "patient",
      dir: "asc",
      status: ["Pending,Expired", "Completed", "Pending"],
      from: "2026-02-01",
      to: "2026-02-28",
      provider,
      q: "  María  ",
    });
    expect(invalid).toEqual([]);
    expect(query).toEqual({
      page: 3,
      size: 50,
      sort: "patient",
      dir: "asc",
      status: ["Pending", "Expired", "Completed"],
      from: "2026-02-01",
      to: "2026-02-28",
      provider: provider.toLowerCase(),
      q: "María",
    });
  });

  // Issue 13, item 11: `to=9999-12-31` passed the day check, then its next day (year 10000) was no day and the page failed.
  it("reports and drops a day outside 2000-01-01..2100-12-31 and a NUL in the search, and the table still loads", async () => {
    const { query, invalid } = parse({ from: "1899-12-31", to: "9999-12-31", q: "ana\u0000" });
    expect(query).toEqual(defaults);
    expect(invalid).toEqual([
      { param: "from", message: "must be between 2000-01-01 and 2100-12-31" },
      { param: "to", message: "must be between 2000-01-01 and 2100-12-31" },
      { param: "q", message: "must not contain NUL characters or unpaired surrogates" },
    ]);
    const org = await organization(test.db, BOGOTA);
    const edges = await listConsultationTable(test.db, { organizationId: org.id, timeZone: BOGOTA }, q("from=2000-01-01&to=2100-12-31"));
    expect(edges.total).toBe(0);
  });

  it("drops invalid params to their defaults and reports them", () => {
    const { query, invalid } = parse({ page: "-1", size: "7", status: "Bogus", from: "2026-13-40", sort: "status", q: "garcía" });
    expect(query).toEqual({ ...defaults, sort: "status", q: "garcía" });
    expect(invalid.map((i) => i.param)).toEqual(["page", "size", "status", "from"]);
    for (const { message } of invalid) expect(message).toEqual(expect.any(String));
  });

  it.each([
    ["page", "0"],
    ["page", "1.5"],
    ["page", "abc"],
    ["page", "99999999999"],
    ["size", "1000"],
    ["sort", "name"],
    ["dir", "up"],
    ["status", "Pending,Bogus"],
    ["status", "pending"],
    ["from", "2026-02-30"],
    ["from", "01/02/2026"],
    ["to", "2026-2-3"],
    ["provider", "not-a-uuid"],
    ["q", "a"],
    ["q", "x".repeat(101)],
  ])("%s=%s is invalid", (param, value) => {
    const { query, invalid } = parse({ [param]: value });
    expect(invalid.map((i) => i.param)).toEqual([param]);
    expect(query).toEqual(defaults);
  });

  it("a `to` before `from` is dropped and reported", () => {
    const { query, invalid } = parse({ from: "2026-03-10", to: "2026-03-09" });
    expect(query).toEqual({ ...defaults, from: "2026-03-10" });
    expect(invalid).toEqual([{ param: "to", message: "must not be before from" }]);
  });

  it("empty values are absent, not invalid; a repeated param takes its first value", () => {
    expect(parse({ page: "", q: "   ", from: "", status: ["", " "], provider: "" })).toEqual({ query: defaults, invalid: [] });
    expect(parse({ page: ["2", "5"], sort: ["type", "bogus"] }).query).toMatchObject({ page: 2, sort: "type" });
  });

  it("unknown params are ignored", () => {
    expect(parse({ utm_source: "mail", foo: ["a", "b"] })).toEqual({ query: defaults, invalid: [] });
  });

  it("consultationTableSearch writes what it reads back, defaults left out", () => {
    expect(consultationTableSearch(defaults as ConsultationTableQuery)).toBe("");
    const query = q("page=2&size=100&sort=type&dir=asc&status=Pending,Completed&from=2026-01-01&to=2026-01-31&q=ana lu");
    const search = consultationTableSearch(query);
    expect(search).toBe("page=2&size=100&sort=type&dir=asc&status=Pending%2CCompleted&from=2026-01-01&to=2026-01-31&q=ana+lu");
    expect(q(search)).toEqual(query);
  });
});

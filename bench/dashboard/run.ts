/**
 * Dashboard benchmark: the query work of the clinic dashboard's consultations table
 * (listConsultationTable: one page and its exact total), in-process against a scratch database
 * seeded with one organization of 100,000 consultations over two years (40 providers, 20,000
 * patients) beside a second organization of 20,000. Prints p50/p95/max per scenario against the
 * target (p95 under 150 ms). Run by hand (`npm run bench:dashboard`), not in CI; see
 * bench/dashboard/README.md.
 */
import postgres from "postgres";
import { connect, type Database } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { parseConsultationTableQuery } from "@/lib/consultations/table-query";
import { countQuery, listConsultationTable, pageIdsQuery, type ConsultationTableContext } from "@/lib/consultations/table";
import { EXPORT_LIMIT, exportConsultations } from "@/lib/consultations/export";
import { providerDay } from "@/lib/consultations/agenda";
import { createOrganization } from "@/lib/organizations";
import { formatLocal } from "@/lib/time";
import { cleanUp, cleanUpOnSignals, intFromEnv, machineFacts, onCleanup, percentile, QUIET_PERCENT, quietMachine, scratchDatabase, table, timeCalls, wasInterrupted } from "../harness";
import { measurePages } from "./http";
import { createSeedTable, flushSeedTable, seedOrganization } from "./seed";

const TARGET_P95_MS = 150;
const TIME_ZONE = "America/Bogota";
const DAYS = 730;
const DAYS_AHEAD = 90;

/**
 * The table's sort indexes (migration 0007), which BENCH_INDEXES=none drops after migrating to
 * measure without them: the figures in bench/dashboard/README.md compare both.
 */
const SORT_INDEXES = ["patients_organization_name_sort_idx", "consultations_org_type_starts_idx", "consultations_org_duration_starts_idx", "consultations_org_created_idx"];

const settings = {
  adminUrl: process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres",
  providers: intFromEnv("BENCH_PROVIDERS", 40),
  patients: intFromEnv("BENCH_PATIENTS", 20_000),
  consultations: intFromEnv("BENCH_CONSULTATIONS", 100_000),
  otherConsultations: intFromEnv("BENCH_OTHER_CONSULTATIONS", 20_000),
  iterations: intFromEnv("BENCH_ITERATIONS", 200),
  warmup: intFromEnv("BENCH_WARMUP", 20, 0),
  /** The app's DATABASE_POOL_SIZE (its default is 10): the page and its count run on two connections at once. */
  poolSize: intFromEnv("BENCH_POOL_SIZE", 10),
  /** `all` (default): the migrations' indexes; `none`: without the table's sort indexes (SORT_INDEXES). */
  indexes: process.env.BENCH_INDEXES || "all",
  /** Scenario names (comma-separated substrings) to run; all when unset. */
  http: process.env.BENCH_HTTP === "1",
  httpDistDir: process.env.BENCH_NEXT_DIST_DIR || ".next",
  httpIterations: intFromEnv("BENCH_HTTP_ITERATIONS", 50),
  only: process.env.BENCH_SCENARIOS?.split(",").map((s) => s.trim()).filter(Boolean),
  /** Print EXPLAIN ANALYZE of the page and count queries of each scenario run. */
  explain: process.env.BENCH_EXPLAIN === "1" || process.env.BENCH_EXPLAIN === "true",
  /** Keep the scratch database afterwards (its name is printed), to look into a plan by hand. */
  keep: process.env.BENCH_KEEP_DATABASE === "1" || process.env.BENCH_KEEP_DATABASE === "true",
  quietWait: intFromEnv("BENCH_QUIET_WAIT", 30, 0),
};
if (settings.indexes !== "all" && settings.indexes !== "none") throw new Error(`BENCH_INDEXES must be all or none (got "${settings.indexes}")`);

cleanUpOnSignals("dropping the benchmark database");

type Scenario = { name: string; search: string; providerRole?: string };

const ms = (value: number) => value.toFixed(1);
const seconds = (from: number) => `${((performance.now() - from) / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const admin = postgres(settings.adminUrl, { max: 1, onnotice: () => {} });
  onCleanup("close the admin connection", () => admin.end({ timeout: 5 }));
  const lines = [...(await machineFacts(admin, settings.adminUrl))];
  for (const line of lines) console.log(line);

  // ------------------------------------------------------------------------------------
  // The scratch database.
  const { name, url: dbUrl } = await scratchDatabase(admin, settings.adminUrl, "dashboard", { keep: settings.keep });
  let started = performance.now();
  await migrateDatabase(dbUrl);
  const migrated = seconds(started);
  console.log(`Created database ${name}; migrated in ${migrated}. Seeding...`);

  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  onCleanup("close the seeding connection", () => sql.end({ timeout: 5 }));
  const db = connect(dbUrl, { max: settings.poolSize });
  onCleanup("close the pool", () => db.$client.end({ timeout: 5 }));

  started = performance.now();
  const clinic = await createOrganization(db, { name: "Bench Clinic", slug: "bench-clinic", timezone: TIME_ZONE });
  const other = await createOrganization(db, { name: "Other Clinic", slug: "other-clinic", timezone: TIME_ZONE });
  await createSeedTable(sql);
  const common = { days: DAYS, daysAhead: DAYS_AHEAD, timeZone: TIME_ZONE };
  await seedOrganization(sql, clinic.id, { ...common, providers: settings.providers, patients: settings.patients, consultations: settings.consultations, salt: 1 });
  const otherProviders = Math.max(1, Math.round(settings.providers / 4));
  await seedOrganization(sql, other.id, {
    ...common,
    providers: otherProviders,
    patients: Math.round(settings.patients / 4 / otherProviders) * otherProviders,
    consultations: Math.round(settings.otherConsultations / otherProviders) * otherProviders,
    salt: 2,
  });
  await flushSeedTable(sql);
  const seeded = seconds(started);
  started = performance.now();
  // What autovacuum does soon after a bulk load: statistics, and the visibility map for index-only scans.
  await sql`vacuum (analyze) consultations, patients, providers`;
  const vacuumed = seconds(started);
  started = performance.now();
  if (settings.indexes === "none") for (const name of SORT_INDEXES) await sql.unsafe(`drop index if exists ${name}`);
  const indexed = seconds(started);

  const counts = await sql<{ organization: string; providers: number; patients: number; consultations: number; statuses: string; first: Date; last: Date }[]>`
    select o.name as organization,
      (select count(*)::int from providers p where p.organization_id = o.id) as providers,
      (select count(*)::int from patients p where p.organization_id = o.id) as patients,
      (select count(*)::int from consultations c where c.organization_id = o.id) as consultations,
      (select string_agg(status || ' ' || n, ', ' order by status) from (select status, count(*) n from consultations c where c.organization_id = o.id group by status) s) as statuses,
      (select min(starts_at) from consultations c where c.organization_id = o.id) as first,
      (select max(starts_at) from consultations c where c.organization_id = o.id) as last
    from organizations o order by o.created_at`;
  const [sizes] = await sql<{ size: string }[]>`select pg_size_pretty(pg_total_relation_size('consultations')) as size`;
  const tableSize = sizes!.size;
  lines.push(
    `Seeded in ${seeded} (migrations ${migrated}; vacuum analyze ${vacuumed}${settings.indexes === "none" ? `; sort indexes dropped ${indexed}` : ""}); consultations table with its indexes: ${tableSize}`,
    table(
      [
        ["organization", "providers", "patients", "consultations", "first start", "last start", "statuses"],
        ...counts.map((c) => [c.organization, String(c.providers), String(c.patients), String(c.consultations), formatLocal(c.first, TIME_ZONE), formatLocal(c.last, TIME_ZONE), c.statuses]),
      ],
      1,
    ),
    `Indexes: ${settings.indexes === "none" ? `the migrations' without ${SORT_INDEXES.join(", ")} (BENCH_INDEXES=none)` : "the migrations'"}`,
  );
  console.log(lines.slice(-3).join("\n"));

  // ------------------------------------------------------------------------------------
  // The scenarios, with real ids and dates from the seed.
  const providerIds = await sql<{ id: string }[]>`select id from providers where organization_id = ${clinic.id} order by document_number`;
  const [otherProvider] = await sql<{ id: string }[]>`select id from providers where organization_id = ${other.id} order by document_number limit 1`;
  const provider = providerIds[3]!.id;
  const anotherProvider = providerIds[4]!.id;
  const today = formatLocal(new Date(), TIME_ZONE).slice(0, 10);
  const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  const lastPage = Math.ceil(settings.consultations / 25);

  const scenarios: Scenario[] = [
    { name: "default: page 1 (startsAt desc)", search: "" },
    { name: "page 200", search: "page=200" },
    { name: `last page (${lastPage})`, search: `page=${lastPage}` },
    ...(["startsAt", "status", "provider", "patient", "type", "duration", "createdAt"] as const).flatMap((sort) =>
      (["asc", "desc"] as const).filter((dir) => !(sort === "startsAt" && dir === "desc")).map((dir) => ({ name: `sort ${sort} ${dir}`, search: `sort=${sort}&dir=${dir}` })),
    ),
    { name: "sort provider asc, page 200", search: "sort=provider&dir=asc&page=200" },
    { name: "sort patient asc, page 200", search: "sort=patient&dir=asc&page=200" },
    { name: "sort type asc, page 200", search: "sort=type&dir=asc&page=200" },
    { name: "sort duration desc, page 200", search: "sort=duration&dir=desc&page=200" },
    { name: "status Pending", search: "status=Pending" },
    { name: "status Completed,Expired", search: "status=Completed,Expired" },
    { name: "status Pending, sort patient, page 200", search: "status=Pending&sort=patient&dir=asc&page=200" },
    { name: "status Expired, sort type desc, page 100", search: "status=Expired&sort=type&dir=desc&page=100" },
    { name: "one week (from/to)", search: `from=${day(-60)}&to=${day(-54)}` },
    { name: "provider filter", search: `provider=${provider}` },
    { name: "patient name q=rodr", search: "q=rodr" },
    { name: "patient name q=an (most match)", search: "q=an" },
    { name: "patient document prefix q=12", search: "q=12" },
    { name: "patient document prefix q=1234567", search: "q=1234567" },
    { name: "combined: status+3 months+provider+q, sort patient", search: `status=Completed&from=${day(-120)}&to=${day(-30)}&provider=${provider}&q=ma&sort=patient&dir=asc` },
    { name: "combined: status+month, sort provider, size 100", search: `status=Completed,Expired&from=${day(-60)}&to=${day(-31)}&sort=provider&dir=asc&size=100` },
    { name: "provider role: default", search: "", providerRole: provider },
    { name: "provider role: sort patient, page 20", search: "sort=patient&dir=asc&page=20", providerRole: provider },
    { name: "provider role + another provider's filter", search: `provider=${anotherProvider}`, providerRole: provider },
    { name: "other organization's provider as filter", search: `provider=${otherProvider!.id}` },
  ];
  const selected = settings.only ? scenarios.filter((s) => settings.only!.some((o) => s.name.includes(o))) : scenarios;

  const busy = settings.quietWait > 0 ? await quietMachine(settings.quietWait) : 0;
  console.log(`\nMeasuring ${selected.length} scenarios: ${settings.warmup} warm-up calls, then ${settings.iterations} timed calls each, one at a time...`);
  const results: string[][] = [["scenario", "rows", "total", "p50 ms", "p95 ms", "max ms", "target"]];
  let missed = 0;
  for (const scenario of selected) {
    const ctx: ConsultationTableContext = { organizationId: clinic.id, timeZone: TIME_ZONE, ...(scenario.providerRole ? { providerId: scenario.providerRole } : {}) };
    const { query, invalid } = parseConsultationTableQuery(Object.fromEntries(new URLSearchParams(scenario.search)));
    if (invalid.length > 0) throw new Error(`${scenario.name}: invalid params ${JSON.stringify(invalid)}`);
    const { times, last } = await timeCalls(() => listConsultationTable(db, ctx, query), settings.iterations, settings.warmup);
    const p95 = percentile(times, 95);
    if (p95 >= TARGET_P95_MS) missed++;
    results.push([scenario.name, String(last.rows.length), String(last.total), ms(percentile(times, 50)), ms(p95), ms(times.at(-1)!), p95 < TARGET_P95_MS ? "met" : "NOT met"]);
    console.log(`  ${scenario.name}: p50 ${ms(percentile(times, 50))} ms, p95 ${ms(p95)} ms (${last.total} matching)`);
    if (settings.explain) await explain(db, ctx, query, scenario.name);
  }

  lines.push(
    "",
    `listConsultationTable (page + exact total), ${settings.iterations} calls per scenario after ${settings.warmup} warm-up, pool of ${settings.poolSize}; target p95 < ${TARGET_P95_MS} ms:`,
    table(results, 1),
  );

  // The other reads of the dashboard over the same data: a provider's "my day" and the CSV export.
  const others: [string, number, () => Promise<number>][] = [
    ["my day (a provider, today and the next 7 days)", settings.iterations, async () => {
      const day = await providerDay(db, { organizationId: clinic.id, providerId: provider, timeZone: TIME_ZONE }, new Date(), 15);
      return day.now.length + day.later.length;
    }],
    [`export CSV, all consultations (first ${EXPORT_LIMIT})`, 10, async () => (await exportConsultations(db, { organizationId: clinic.id, timeZone: TIME_ZONE }, parseConsultationTableQuery({}).query)).rows],
    ["export CSV, one month of one provider", 50, async () =>
      (await exportConsultations(db, { organizationId: clinic.id, timeZone: TIME_ZONE }, parseConsultationTableQuery({ provider, from: day(-60), to: day(-31) }).query)).rows],
  ];
  const otherResults: string[][] = [["read", "rows", "calls", "p50 ms", "p95 ms", "max ms"]];
  for (const [name, calls, run] of others) {
    const { times, last: rows } = await timeCalls(run, calls);
    otherResults.push([name, String(rows), String(calls), ms(percentile(times, 50)), ms(percentile(times, 95)), ms(times.at(-1)!)]);
  }
  lines.push("", "Other dashboard reads (no target; the export is a download):", table(otherResults, 1));

  if (settings.http) {
    console.log(`\nThe consultations page over HTTP (${settings.httpDistDir}), ${settings.httpIterations} requests per scenario after 5 warm-up...`);
    const pages = await measurePages(db, dbUrl, clinic.id, selected, { distDir: settings.httpDistDir, iterations: settings.httpIterations, warmup: 5 });
    lines.push("", `GET /dashboard/consultations?<scenario> over HTTP, signed in, whole page (app server, ${settings.httpIterations} requests each, one at a time):`, table(pages, 1));
  }
  if (busy > QUIET_PERCENT) lines.push(`WARNING: other processes kept the CPUs ${busy.toFixed(0)}% busy before the measurement: the figures are high and noisy.`);
  console.log(`\n${lines.join("\n")}`);
  if (missed > 0) process.exitCode = 1;
}

async function explain(db: Database, ctx: ConsultationTableContext, query: ReturnType<typeof parseConsultationTableQuery>["query"], name: string): Promise<void> {
  const counting = countQuery(db, ctx, query);
  const [counted] = await counting;
  const page = pageIdsQuery(db, ctx, query, counted?.total ?? 0);
  for (const [what, built] of [["count", counting.toSQL()], [`page ids (${page.strategy})`, page.built.toSQL()]] as const) {
    const plan = await db.$client.unsafe<{ "QUERY PLAN": string }[]>(`explain (analyze, buffers) ${built.sql}`, built.params as postgres.ParameterOrJSON<never>[]);
    console.log(`\n--- ${name}: ${what}\n${plan.map((row) => row["QUERY PLAN"]).join("\n")}`);
  }
}

main()
  .catch((error: unknown) => {
    if (!wasInterrupted()) console.error("\nbench:dashboard failed:", error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanUp();
    process.exit();
  });

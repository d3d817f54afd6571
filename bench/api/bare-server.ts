/**
 * The benchmark's baseline: the same two consultation routes as the app, on bare `node:http`
 * and postgres.js, with no Next.js and no drizzle. It does the same work per request:
 *
 * - the same authentication statement as `authenticateApiRequest` (credential check, hourly
 *   usage counter, `last_used_at`), SQL copied verbatim, and the same rate-limit answer;
 * - the same body checks (`readJsonBody`'s rules, then `checkCreateConsultation` with the
 *   contract's zod schemas) against the catalogs, read once at start;
 * - the same writes in one transaction (provider upsert, patient upsert, consultation,
 *   room, both participants, outbox event), the statements lib/consultations/create.ts and
 *   lib/outbox issue (postgres.js templates there too, through drizzle's transaction);
 * - the same read for GET by id (one statement, as lib/consultations/read.ts);
 * - the same envelope, headers, sealing and formatting (`successBody`, `errorResponse`,
 *   `Sealer`, `consultationView`, ...), reused from lib/.
 *
 * Started by bench/api/run.ts as a child process: `node --conditions=react-server --import tsx bench/api/bare-server.ts`,
 * configured by the same environment variables as the app (DATABASE_URL, APP_SECRET, APP_URL,
 * PORT, DATABASE_POOL_SIZE, API_RATE_LIMIT_PER_HOUR, API_MAX_BODY_BYTES), plus
 * BENCH_BARE_PREPARE=false to use unnamed statements as drizzle does (default: postgres.js's
 * own default, named prepared statements).
 */
import http from "node:http";
import postgres from "postgres";
import { credentialsFrom, rateLimitHeaders, type ApiCaller } from "@/lib/auth/api-keys";
import { CONSULTATION_DURATIONS } from "@/db/schema";
import type { CatalogIndex } from "@/lib/catalogs";
import { appSealer, appUrl, env } from "@/lib/config";
import { checkCreateConsultation } from "@/lib/consultations/create";
import { consultationView, type ConsultationRecord } from "@/lib/consultations/present";
import type { ConsultationView } from "@/lib/consultations/schema";
import { randomPin, randomToken, sha256 } from "@/lib/crypto";
import { AppError, postgresErrorOf } from "@/lib/errors";
import { errorResponse, newRequestId, successBody } from "@/lib/http/envelope";

const config = env();
if (!config.DATABASE_URL) throw new Error("bare-server: DATABASE_URL is required");
const prepare = process.env.BENCH_BARE_PREPARE !== "false" && process.env.BENCH_BARE_PREPARE !== "0";

// The same client options as db/client.ts's connect(), minus drizzle.
const sql = postgres(config.DATABASE_URL, {
  max: config.DATABASE_POOL_SIZE,
  onnotice: () => {},
  types: { bigint: postgres.BigInt },
  prepare,
});
const sealer = appSealer();
const baseUrl = appUrl();

// ---------------------------------------------------------------------------------------
// Catalogs: read once (the app caches them per database handle for a minute).

async function readCatalogs(): Promise<CatalogIndex> {
  const [professional, consultation, specialties] = await Promise.all([
    sql<{ code: string; name: string; requires_specialty: boolean }[]>`
      select code, name, requires_specialty from professional_types order by sort_order`,
    sql<{ code: string; name: string }[]>`select code, name from consultation_types order by sort_order`,
    sql<{ id: string; code: string; name: string }[]>`select id, code, name from medical_specialties order by code`,
  ]);
  const professionalTypes = professional.map((p) => ({ code: p.code, name: p.name, requiresSpecialty: p.requires_specialty }));
  const consultationTypes = consultation.map((c) => ({ code: c.code, name: c.name }));
  const medicalSpecialties = specialties.map((s) => ({ id: s.id, code: s.code, name: s.name }));
  return {
    professionalTypes,
    consultationTypes,
    medicalSpecialties,
    durations: CONSULTATION_DURATIONS,
    professionalType: new Map(professionalTypes.map((p) => [p.code, p])),
    consultationType: new Map(consultationTypes.map((c) => [c.code, c])),
    specialtyByCode: new Map(medicalSpecialties.map((s) => [s.code, s])),
    specialtyById: new Map(medicalSpecialties.map((s) => [s.id, s])),
  };
}

// ---------------------------------------------------------------------------------------
// Authentication: authenticateApiRequest's statement, verbatim.

const KEY_ID = /^tk_[A-Za-z0-9_-]{8,64}$/;

type AuthRow = { id: string; organization_id: string; lim: number; timezone: string; count: number };

function headersOf(req: http.IncomingMessage): Headers {
  // credentialsFrom only calls get(); a whole Headers object per request is not needed.
  const get = (name: string): string | null => {
    const value = req.headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  };
  return { get } as unknown as Headers;
}

async function authenticate(req: http.IncomingMessage): Promise<ApiCaller> {
  const credentials = credentialsFrom(headersOf(req));
  if (!credentials) {
    throw AppError.unauthorized(
      "missing_credentials",
      "Authentication required: send X-API-Key and X-API-Secret, or Authorization: Bearer <keyId>.<secret>.",
    );
  }
  const invalid = AppError.unauthorized("invalid_credentials", "The API credential is not valid.");
  if (!KEY_ID.test(credentials.keyId) || credentials.secret.length > 200) throw invalid;

  const now = new Date();
  const rows = await sql<AuthRow[]>`
    with k as (
      select k.id, k.organization_id, coalesce(k.rate_limit_per_hour, ${config.API_RATE_LIMIT_PER_HOUR})::int as lim, o.timezone
      from api_keys k join organizations o on o.id = k.organization_id
      where k.key_id = ${credentials.keyId} and k.secret_hash = ${sha256(credentials.secret)} and k.revoked_at is null
    ),
    usage as (
      insert into api_key_usage (api_key_id, window_start, count)
      select id, date_trunc('hour', ${now.toISOString()}::timestamptz at time zone 'UTC') at time zone 'UTC', 1 from k
      on conflict (api_key_id, window_start) do update set count = api_key_usage.count + 1
      returning count
    ),
    touched as (
      update api_keys set last_used_at = ${now.toISOString()}::timestamptz
      where id = (select id from k)
        and (last_used_at is null or last_used_at < ${now.toISOString()}::timestamptz - interval '1 minute')
      returning 1
    )
    select k.id, k.organization_id, k.lim, k.timezone, usage.count from k, usage
  `;
  const row = rows[0];
  if (!row) throw invalid;

  const resetAt = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 + 3_600_000);
  const rateLimit = { limit: row.lim, remaining: Math.max(0, row.lim - row.count), resetAt };
  if (row.count > row.lim) {
    const retryAfter = Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000));
    throw new AppError("rate_limited", `Rate limit of ${row.lim} requests per hour exceeded. Retry after ${retryAfter} seconds.`, [], {
      "Retry-After": String(retryAfter),
      ...rateLimitHeaders(rateLimit),
    });
  }
  return { apiKeyId: row.id, organizationId: row.organization_id, timeZone: row.timezone, rateLimit };
}

// ---------------------------------------------------------------------------------------
// Body: readJsonBody's rules on a node:http request.

function tooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large", `The request body is larger than the ${maxBytes}-byte limit.`, [
    { field: "body", message: `must be at most ${maxBytes} bytes`, code: "payload_too_large" },
  ]);
}

async function readJson(req: http.IncomingMessage, maxBytes: number): Promise<unknown> {
  const mediaType = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType !== "application/json" && !/^application\/[\w.+-]+\+json$/.test(mediaType)) {
    throw new AppError("unsupported_content_type", `The body must be JSON sent with "Content-Type: application/json"${mediaType ? ` (got "${mediaType}")` : ""}.`,
      [{ field: "Content-Type", message: "must be application/json", code: "unsupported_content_type" }],
    );
  }
  const declared = Number(req.headers["content-length"] ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks).toString("utf8");
  if (raw.trim() === "") {
    throw new AppError("invalid_json", "The request body is empty; a JSON object is required.", [
      { field: "body", message: "is empty", code: "invalid_json" },
    ]);
  }
  try {
    return JSON.parse(raw);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : "unparseable";
    throw new AppError("invalid_json", `The request body is not valid JSON: ${reason}`, [
      { field: "body", message: "is not valid JSON", code: "invalid_json" },
    ]);
  }
}

// ---------------------------------------------------------------------------------------
// POST /api/consultations: createConsultation's work, in hand-written SQL.

async function createConsultation(caller: ApiCaller, catalogs: CatalogIndex, body: unknown): Promise<ConsultationView> {
  const now = new Date();
  const { input, startsAt, immediate, specialtyId } = checkCreateConsultation(body, catalogs, caller.timeZone, now);
  const endsAt = new Date(startsAt.getTime() + input.durationMinutes * 60_000);
  const pin = randomPin();
  const patientToken = randomToken(32);
  const providerToken = randomToken(32);
  const org = caller.organizationId;
  const p = input.provider;
  const q = input.patient;

  try {
    return await sql.begin(async (tx) => {
      const [provider] = await tx<{ id: string; active: boolean }[]>`
        insert into providers (organization_id, name, document_type, document_number, professional_type, medical_specialty_id,
                               phone, email, professional_license)
        values (${org}, ${p.name}, ${p.documentType}, ${p.documentNumber}, ${p.professionalType}, ${specialtyId},
                ${p.phone}, ${p.email}, ${p.professionalLicense ?? null})
        on conflict (organization_id, document_type, document_number) do update set
          name = excluded.name, professional_type = excluded.professional_type, medical_specialty_id = excluded.medical_specialty_id,
          phone = excluded.phone, email = excluded.email,
          professional_license = coalesce(excluded.professional_license, providers.professional_license), updated_at = ${now}
        returning id, active`;
      if (!provider!.active) {
        throw AppError.conflict("provider_inactive", "This provider is deactivated in the organization and cannot take consultations.", [
          { field: "provider.documentNumber", code: "provider_inactive", message: "belongs to a deactivated provider" },
        ]);
      }

      const [patient] = await tx<{ id: string }[]>`
        insert into patients (organization_id, name, document_type, document_number, phone, email)
        values (${org}, ${q.name}, ${q.documentType}, ${q.documentNumber}, ${q.phone}, ${q.email})
        on conflict (organization_id, document_type, document_number) do update set
          name = excluded.name, phone = excluded.phone, email = excluded.email, updated_at = ${now}
        returning id`;

      const [consultation] = await tx<{ id: string; status: ConsultationView["status"]; created_at: Date }[]>`
        insert into consultations (organization_id, provider_id, patient_id, consultation_type, medical_specialty_id, immediate,
                                   starts_at, ends_at, duration_minutes, access_pin_sealed, created_at, updated_at)
        values (${org}, ${provider!.id}, ${patient!.id}, ${input.consultationType}, ${specialtyId}, ${immediate},
                ${startsAt}, ${endsAt}, ${input.durationMinutes}, ${sealer.seal(pin)}, ${now}, ${now})
        returning id, status, created_at`;

      const [room] = await tx<{ id: string }[]>`
        insert into rooms (organization_id, consultation_id) values (${org}, ${consultation!.id}) returning id`;

      await tx`
        insert into room_participants (organization_id, room_id, role, privilege, display_name, provider_id, patient_id, access_token_hash, access_token_sealed)
        values (${org}, ${room!.id}, 'patient', default, ${q.name}, null, ${patient!.id}, ${sha256(patientToken)}, ${sealer.seal(patientToken)}),
               (${org}, ${room!.id}, 'provider', 'plus', ${p.name}, ${provider!.id}, null, ${sha256(providerToken)}, ${sealer.seal(providerToken)})`;

      const payload = {
        consultationId: consultation!.id,
        status: consultation!.status,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        immediate,
        providerId: provider!.id,
        patientId: patient!.id,
      };
      await tx`
        insert into outbox_events (organization_id, event, aggregate_type, aggregate_id, payload, occurred_at)
        values (${org}, 'consultation.created', 'consultation', ${consultation!.id}, ${tx.json(payload)}, ${now})`;

      return consultationView(
        {
          id: consultation!.id,
          status: consultation!.status,
          immediate,
          startsAt,
          endsAt,
          durationMinutes: input.durationMinutes,
          consultationType: input.consultationType,
          medicalSpecialtyId: specialtyId,
          createdAt: consultation!.created_at,
          providerName: p.name,
          providerProfessionalType: p.professionalType,
          patientName: q.name,
          patientDocumentType: q.documentType,
          patientDocumentNumber: q.documentNumber,
        },
        { pin, patientToken, providerToken, appUrl: baseUrl },
        catalogs,
        caller.timeZone,
      );
    });
  } catch (error) {
    const pg = postgresErrorOf(error);
    if (pg?.code !== "23P01") throw error;
    const who = pg.constraint_name === "consultations_patient_no_overlap" ? "patient" : "provider";
    throw AppError.conflict("schedule_conflict", `The ${who} already has a consultation at that time.`, [
      { field: who, code: "schedule_conflict", message: `already has a live consultation overlapping this time` },
    ]);
  }
}

// ---------------------------------------------------------------------------------------
// GET /api/consultations/{id}: getConsultation's statement.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type ConsultationRow = {
  id: string;
  status: ConsultationView["status"];
  immediate: boolean;
  starts_at: Date;
  ends_at: Date;
  duration_minutes: number;
  consultation_type: string;
  medical_specialty_id: string | null;
  created_at: Date;
  provider_name: string;
  provider_professional_type: string;
  patient_name: string;
  patient_document_type: ConsultationRecord["patientDocumentType"];
  patient_document_number: string;
  access_pin_sealed: string;
  patient_token: string;
  provider_token: string;
};

async function getConsultation(caller: ApiCaller, catalogs: CatalogIndex, consultationId: string): Promise<ConsultationView> {
  if (!UUID.test(consultationId)) throw AppError.notFound("Consultation");
  const [row] = await sql<ConsultationRow[]>`
    select c.id, c.status, c.immediate, c.starts_at, c.ends_at, c.duration_minutes, c.consultation_type, c.medical_specialty_id,
           c.created_at, pr.name as provider_name, pr.professional_type as provider_professional_type, pa.name as patient_name,
           pa.document_type as patient_document_type, pa.document_number as patient_document_number, c.access_pin_sealed,
           (select rp.access_token_sealed from room_participants rp join rooms r on r.id = rp.room_id
             where r.consultation_id = c.id and rp.role = ${"patient"} order by rp.created_at limit 1) as patient_token,
           (select rp.access_token_sealed from room_participants rp join rooms r on r.id = rp.room_id
             where r.consultation_id = c.id and rp.role = ${"provider"} order by rp.created_at limit 1) as provider_token
    from consultations c
    join providers pr on pr.id = c.provider_id
    join patients pa on pa.id = c.patient_id
    where c.id = ${consultationId} and c.organization_id = ${caller.organizationId}`;
  if (!row) throw AppError.notFound("Consultation");
  return consultationView(
    {
      id: row.id,
      status: row.status,
      immediate: row.immediate,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      durationMinutes: row.duration_minutes,
      consultationType: row.consultation_type,
      medicalSpecialtyId: row.medical_specialty_id,
      createdAt: row.created_at,
      providerName: row.provider_name,
      providerProfessionalType: row.provider_professional_type,
      patientName: row.patient_name,
      patientDocumentType: row.patient_document_type,
      patientDocumentNumber: row.patient_document_number,
    },
    {
      pin: sealer.open(row.access_pin_sealed),
      patientToken: sealer.open(row.patient_token),
      providerToken: sealer.open(row.provider_token),
      appUrl: baseUrl,
    },
    catalogs,
    caller.timeZone,
  );
}

// ---------------------------------------------------------------------------------------
// The server: routing, the envelope, headers.

function sendJson(res: http.ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

async function sendError(res: http.ServerResponse, error: unknown, requestId: string): Promise<void> {
  // The app's one error mapper, turned from a web Response into a node:http answer.
  const response = errorResponse(error, requestId);
  sendJson(res, response.status, await response.text(), Object.fromEntries(response.headers));
}

const CONSULTATION_PATH = /^\/api\/consultations\/([^/]+)$/;

async function handle(req: http.IncomingMessage, res: http.ServerResponse, catalogs: CatalogIndex): Promise<void> {
  const requestId = newRequestId();
  const [path = "/", query = ""] = (req.url ?? "/").split("?");
  try {
    if (path === "/api/health" && req.method === "GET") {
      // As lib/health: `?probe=live` answers without the database.
      const live = new URLSearchParams(query).get("probe") === "live";
      const started = performance.now();
      if (!live) await sql`select 1`;
      const health = live
        ? { probe: "live", live: true, ready: true, checks: { database: { ok: true } } }
        : { probe: "ready", live: true, ready: true, checks: { database: { ok: true, latencyMs: Math.round(performance.now() - started) } } };
      sendJson(res, 200, JSON.stringify(health), { "Cache-Control": "no-store", "X-Request-Id": requestId });
      return;
    }
    const byId = CONSULTATION_PATH.exec(path);
    const isCreate = path === "/api/consultations" && req.method === "POST";
    const isRead = byId !== null && req.method === "GET";
    if (!isCreate && !isRead) {
      throw new AppError("not_found", `No API route matches ${req.method} ${path}.`);
    }
    const caller = await authenticate(req);
    const data = isCreate
      ? await createConsultation(caller, catalogs, await readJson(req, config.API_MAX_BODY_BYTES))
      : await getConsultation(caller, catalogs, decodeURIComponent(byId![1]!));
    sendJson(res, 200, JSON.stringify(successBody(data, requestId)), {
      "Cache-Control": "no-store",
      "X-Request-Id": requestId,
      ...rateLimitHeaders(caller.rateLimit),
    });
  } catch (error) {
    await sendError(res, error, requestId);
  }
}

async function main(): Promise<void> {
  const catalogs = await readCatalogs();
  const server = http.createServer((req, res) => {
    handle(req, res, catalogs).catch((error: unknown) => {
      console.error("bare-server: could not answer", error);
      res.destroy();
    });
  });
  const host = process.env.BENCH_BARE_HOST ?? "127.0.0.1";
  server.listen(config.PORT, host, () => {
    console.log(`bare-server ready on http://${host}:${config.PORT} (pool ${config.DATABASE_POOL_SIZE}, prepared statements ${prepare})`);
  });
  const stop = () => {
    server.close();
    server.closeAllConnections();
    void sql.end({ timeout: 5 }).finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error("bare-server: start-up failed", error);
  process.exit(1);
});

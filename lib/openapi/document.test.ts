import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GET as serveDocument } from "@/app/api/openapi.json/route";
import { POST as createConsultationRoute } from "@/app/api/consultations/route";
import { CONSULTATION_DURATIONS } from "@/db/schema";
import { loadCatalogs } from "@/lib/catalogs";
import { checkCreateConsultation } from "@/lib/consultations/create";
import { consultationSchema, consultationSummarySchema } from "@/lib/consultations/schema";
import { organizationProfileSchema } from "@/lib/organizations";
import { providerSchema } from "@/lib/providers";
import { call, createTenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { buildOpenApiDocument, ERROR_CODES } from "./document";
import { catalogsSchema, errorBodySchema, healthSchema, SPECIALIST_PROFESSIONAL_TYPES } from "./schemas";
import { HTTP_METHODS, type JsonSchema, type MediaTypeObject, type OperationObject, type ResponseObject } from "./types";

const test = setupTestDatabase();
const NOW = new Date();
const doc = buildOpenApiDocument({ serverUrl: "https://portal.test/", now: NOW });
const API_DIR = path.resolve(__dirname, "../../app/api");
const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route handler file under app/api, as an OpenAPI path, except the catch-all 404. */
function routeFiles(): { file: string; apiPath: string }[] {
  return readdirSync(API_DIR, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "route.ts")
    .filter((file) => !file.split(path.sep).some((segment) => segment.startsWith("[...") || segment.startsWith("[[...")))
    .map((file) => {
      const segments = path.dirname(file).split(path.sep).filter((s) => s !== "." && !/^\(.*\)$/.test(s));
      const apiPath = ["/api", ...segments.map((s) => s.replace(/^\[(.+)\]$/, "{$1}"))].join("/");
      return { file: path.join(API_DIR, file), apiPath };
    });
}

function operations(): { apiPath: string; method: string; operation: OperationObject }[] {
  return Object.entries(doc.paths).flatMap(([apiPath, item]) =>
    HTTP_METHODS.filter((m) => item[m]).map((method) => ({ apiPath, method, operation: item[method]! })),
  );
}

function json(response: ResponseObject | { $ref: string } | undefined): MediaTypeObject {
  const content = response && "content" in response ? response.content?.["application/json"] : undefined;
  if (!content) throw new Error("no application/json content");
  return content;
}

function resolve(schema: JsonSchema): JsonSchema {
  return schema.$ref ? doc.components.schemas[schema.$ref.replace("#/components/schemas/", "")]! : schema;
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1.0 with the server URL given", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.version).toBe("v1");
    expect(doc.servers).toEqual([{ url: "https://portal.test", description: expect.any(String) }]);
  });

  it("documents every route handler under app/api, and nothing else", async () => {
    const routes = routeFiles();
    expect(routes.length).toBeGreaterThanOrEqual(7);
    const onDisk = new Set<string>();
    for (const { file, apiPath } of routes) {
      const handlers = (await import(file)) as Record<string, unknown>;
      for (const method of ROUTE_METHODS) {
        if (typeof handlers[method] !== "function") continue;
        onDisk.add(`${method} ${apiPath}`);
        expect(doc.paths[apiPath]?.[method.toLowerCase() as "get"], `${method} ${apiPath} is not in the document`).toBeDefined();
      }
    }
    const documented = operations().map(({ apiPath, method }) => `${method.toUpperCase()} ${apiPath}`);
    expect(documented.filter((op) => !onDisk.has(op))).toEqual([]);
  });

  it("is internally consistent: unique operation ids, declared path parameters, resolvable $refs", () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { apiPath, operation } of operations()) {
      const declared = (operation.parameters ?? []).flatMap((p) => ("in" in p && p.in === "path" ? [p.name] : []));
      const inPath = [...apiPath.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(declared.sort()).toEqual(inPath.sort());
      expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      const [, section, name] = /^#\/components\/(schemas|headers|parameters)\/(.+)$/.exec(ref) ?? [];
      expect(section && name && doc.components[section as "schemas"][name], ref).toBeTruthy();
    }
  });

  it("puts the create contract's rules in the request schema", () => {
    const body = resolve(json(doc.paths["/api/consultations"]!.post!.requestBody as never).schema);
    expect(body.required?.sort()).toEqual(["consultationType", "durationMinutes", "patient", "provider"]);
    const durations = body.properties!.durationMinutes!;
    expect(durations.enum).toEqual([10, 15, 20, 25, 30, 35, 40, 45, 50, 60]);
    expect(durations.enum).toEqual([...CONSULTATION_DURATIONS]);
    expect(body.properties!.scheduledAt!.anyOf?.[0]?.pattern).toBe("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}$");
    expect(body.properties!.scheduledAt!.description).toMatch(/15 minutes/);

    const provider = resolve(body.properties!.provider!);
    expect(provider.properties!.name).toMatchObject({ type: "string", minLength: 10, maxLength: 50 });
    expect(provider.properties!.documentType!.enum).toEqual(["CC", "TI", "CE", "RC", "PAS"]);
    expect(provider.properties!.documentNumber).toMatchObject({ minLength: 8, maxLength: 20 });
    expect(provider.properties!.email!.format).toBe("email");
    expect(provider.required).not.toContain("medicalSpecialtyCode");
    expect(provider.required).not.toContain("professionalLicense");
    expect(provider.if?.properties?.professionalType?.enum).toEqual(["MedicoEspecialista"]);
    expect(provider.then?.required).toEqual(["medicalSpecialtyCode"]);
    expect(provider.else?.properties?.medicalSpecialtyCode?.type).toBe("null");

    const patient = resolve(body.properties!.patient!);
    expect(patient.properties!.documentType!.enum).toEqual(["CC", "TI", "CE", "RC", "PAS"]);
    expect(patient.required?.sort()).toEqual(["documentNumber", "documentType", "email", "name", "phone"]);
  });

  it("names the specialist types the database catalog says need a specialty", async () => {
    const catalogs = await loadCatalogs(test.db);
    const needing = catalogs.professionalTypes.filter((t) => t.requiresSpecialty).map((t) => t.code);
    expect(needing.sort()).toEqual([...SPECIALIST_PROFESSIONAL_TYPES].sort());
  });

  it("declares both credential styles as security schemes, with public health and document", () => {
    const schemes = doc.components.securitySchemes;
    expect(schemes.ApiKey).toMatchObject({ type: "apiKey", in: "header", name: "X-API-Key" });
    expect(schemes.ApiSecret).toMatchObject({ type: "apiKey", in: "header", name: "X-API-Secret" });
    expect(schemes.BearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ ApiKey: [], ApiSecret: [] }, { BearerAuth: [] }]);
    expect(doc.paths["/api/health"]!.get!.security).toEqual([]);
    expect(doc.paths["/api/openapi.json"]!.get!.security).toEqual([]);
    for (const { apiPath, operation } of operations()) {
      // Public operations, and the video room's (a participant session, not a credential), have no rate limit.
      if (operation.security?.length === 0 || operation.security?.some((s) => "ParticipantSession" in s)) continue;
      expect(operation.responses["401"], `${apiPath} 401`).toBeDefined();
      expect(operation.responses["429"], `${apiPath} 429`).toBeDefined();
      const limited = operation.responses["429"] as ResponseObject;
      expect(Object.keys(limited.headers ?? {})).toEqual(expect.arrayContaining(["Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"]));
      expect(Object.keys((operation.responses["401"] as ResponseObject).headers ?? {})).toContain("WWW-Authenticate");
    }
  });

  it("documents idempotency on POST /api/consultations", () => {
    const post = doc.paths["/api/consultations"]!.post!;
    expect(post.parameters).toContainEqual({ $ref: "#/components/parameters/IdempotencyKey" });
    expect(doc.components.parameters.IdempotencyKey).toMatchObject({ name: "Idempotency-Key", in: "header" });
    expect((post.responses["200"] as ResponseObject).headers).toHaveProperty("Idempotent-Replayed");
    const codes = (status: string) => Object.keys(json(post.responses[status] as ResponseObject).examples ?? {});
    expect(codes("400").sort()).toEqual(
      ["invalid_idempotency_key", "invalid_json", "payload_too_large", "unsupported_content_type", "validation_error"].sort(),
    );
    expect(codes("409").sort()).toEqual(["idempotency_in_progress", "provider_inactive", "schedule_conflict"]);
    expect(codes("422")).toEqual(["idempotency_key_reused"]);
  });

  it("has error examples that match the error envelope and the codes' statuses", () => {
    for (const { operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!status.startsWith("4") && status !== "500") continue;
        for (const [code, example] of Object.entries(json(response as ResponseObject).examples ?? {})) {
          expect(ERROR_CODES[code as keyof typeof ERROR_CODES].status).toBe(Number(status));
          errorBodySchema.parse(example.value);
        }
      }
    }
  });

  it("has success examples that the response schemas accept", () => {
    const examples = (apiPath: string, method: "get" | "post", status = "200") =>
      Object.values(json(doc.paths[apiPath]![method]!.responses[status] as ResponseObject).examples ?? {}).map((e) => e.value as { data: unknown });
    for (const example of examples("/api/consultations", "post")) consultationSchema.parse(example.data);
    for (const example of examples("/api/consultations/{consultationId}", "get")) consultationSchema.parse(example.data);
    for (const example of examples("/api/consultations", "get")) consultationSummarySchema.array().parse(example.data);
    for (const example of examples("/api/providers", "get")) providerSchema.array().parse(example.data);
    for (const example of examples("/api/organizations/profile", "get")) organizationProfileSchema.parse(example.data);
    for (const example of examples("/api/catalogs", "get")) catalogsSchema.parse(example.data);
    for (const example of [...examples("/api/health", "get"), ...examples("/api/health", "get", "503")]) healthSchema.parse(example);
  });

  it("has request examples the create handler accepts, answering in the documented shape", async () => {
    const examples = json(doc.paths["/api/consultations"]!.post!.requestBody as never).examples!;
    expect(Object.keys(examples)).toEqual(["scheduledSpecialist", "immediateGeneralPractitioner"]);
    const catalogs = await loadCatalogs(test.db);
    for (const example of Object.values(examples)) {
      expect(() => checkCreateConsultation(example.value, catalogs, "America/Bogota", NOW)).not.toThrow();
    }

    // Through the real handler, today: the scheduled example is a year ahead, so it is accepted now too.
    const tenant = await createTenant(test.db);
    const documented = json(doc.paths["/api/consultations"]!.post!.responses["200"] as ResponseObject).examples!;
    for (const [name, example] of Object.entries(examples)) {
      const res = await call(createConsultationRoute, { path: "/api/consultations", headers: tenant.headers, body: example.value });
      expect(res.status, res.text).toBe(200);
      const answer = consultationSchema.parse(res.json.data);
      const shown = documented[name]!.value as { data: Record<string, unknown> };
      expect(Object.keys(answer).sort()).toEqual(Object.keys(shown.data).sort());
      expect(Object.keys(answer.provider).sort()).toEqual(Object.keys(shown.data.provider as object).sort());
      expect(answer.immediate).toBe(name === "immediateGeneralPractitioner");
      expect(Object.keys(res.json).sort()).toEqual(Object.keys(shown).sort());
    }
  });

  it("is served at GET /api/openapi.json without a credential", async () => {
    const res = await call(serveDocument, { path: "/api/openapi.json" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.json.openapi).toBe("3.1.0");
    expect(res.json.servers[0].url).toBe("https://portal.test");
    expect(Object.keys(res.json.paths)).toEqual(Object.keys(doc.paths));
  });
});

import { createHmac, timingSafeEqual } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { GET as serveDocument } from "@/app/api/openapi.json/route";
import { POST as createConsultationRoute } from "@/app/api/consultations/route";
import { CONSULTATION_DURATIONS } from "@/db/schema";
import { loadCatalogs } from "@/lib/catalogs";
import { appSealer, appUrl } from "@/lib/config";
import { checkCreateConsultation, createConsultation } from "@/lib/consultations/create";
import { consultationSchema, consultationSummarySchema } from "@/lib/consultations/schema";
import { organizationProfileSchema } from "@/lib/organizations";
import { DOMAIN_EVENTS } from "@/lib/outbox";
import { providerSchema } from "@/lib/providers";
import { webhookBody } from "@/lib/webhooks/payload";
import {
  createWebhookEndpointSchema,
  sendTestEventSchema,
  updateWebhookEndpointSchema,
  webhookDeliveryDetailSchema,
  webhookDeliverySchema,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
} from "@/lib/webhooks/schema";
import { newWebhookSecret, signedHeaders } from "@/lib/webhooks/signing";
import { call, createTenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { immediateGeneralExample } from "@/test/fixtures/seed-examples";
import { ERROR_CODES } from "@/lib/errors";
import { chatSessionSchema, createChatSessionSchema, updateChatSessionSchema } from "@/lib/chat-sessions/schema";
import { backgroundListSchema, companySettingsSchema, companySettingsUpdateSchema, uploadedBackgroundSchema } from "@/lib/settings/schema";
import { createdRoomSchema, createRoomSchema, credentialsSchema, roomErrorSchema, roomViewSchema, updateRoomSchema } from "@/lib/teleconsultation/schema";
import { CHAT_EVENTS, ROOM_WEBHOOK_BODIES, WEBHOOK_EVENT_BODIES, type ChatEvent, type ConsultationEvent, type RoomEvent } from "@/lib/webhooks/events";
import { WEBHOOK_NAMES, webhookOf } from "@/lib/openapi/webhook-events";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import { operationsByTag, pageDescription, webhookOperationsOf } from "@/lib/openapi/reference";
import { curlExample } from "@/lib/openapi/reference-curl";
import { fieldRows, jsonContent, parameterRows } from "@/lib/openapi/reference-fields";
import { catalogsSchema, errorBodySchema, healthSchema, SPECIALIST_PROFESSIONAL_TYPES } from "@/lib/openapi/schemas";
import { HTTP_METHODS, type JsonSchema, type MediaTypeObject, type OperationObject, type ParameterObject, type ResponseObject } from "@/lib/openapi/types";

const test = setupTestDatabase();
const NOW = new Date();
const doc = buildOpenApiDocument({ serverUrl: "https://portal.test/", now: NOW });
const API_DIR = path.resolve(__dirname, "../../../app/api");
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

/** The entries of the OpenAPI 3.1 `webhooks` object: one POST per event. */
function webhookOperations(): { event: string; operation: OperationObject }[] {
  return Object.entries(doc.webhooks).map(([event, item]) => ({ event, operation: item.post! }));
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
    const ids = [...operations(), ...webhookOperations()].map(({ operation }) => operation.operationId);
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
    expect(schemes.ContractApiKey).toMatchObject({ type: "apiKey", in: "header", name: "apikey" });
    expect(doc.security).toEqual([{ ApiKey: [], ApiSecret: [] }, { BearerAuth: [] }, { ContractApiKey: [] }]);
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
    for (const { apiPath, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!status.startsWith("4") && status !== "500") continue;
        for (const [code, example] of Object.entries(json(response as ResponseObject).examples ?? {})) {
          expect(ERROR_CODES[code as keyof typeof ERROR_CODES].status).toBe(Number(status));
          // The teleconsultation and chat-sessions contracts' routes answer in their own body, `{ error }`.
          if (operation.tags?.includes("Teleconsultation rooms") || apiPath.startsWith("/api/chat-sessions") || apiPath.startsWith("/api/settings")) roomErrorSchema.strict().parse(example.value);
          else errorBodySchema.parse(example.value);
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

    const webhookExamples = (apiPath: string, method: "get" | "post" | "patch" | "delete", status = "200") =>
      Object.values(json(doc.paths[apiPath]![method]!.responses[status] as ResponseObject).examples ?? {}).map((e) => e.value as { data: unknown });
    const endpointPath = "/api/webhooks/{endpointId}";
    const deliveryPath = `${endpointPath}/deliveries/{deliveryId}`;
    const checks: [z.ZodType, ReturnType<typeof webhookExamples>][] = [
      [webhookEndpointWithSecretSchema, webhookExamples("/api/webhooks", "post", "201")],
      [webhookEndpointSchema.array(), webhookExamples("/api/webhooks", "get")],
      [webhookEndpointSchema, webhookExamples(endpointPath, "get")],
      [webhookEndpointSchema, webhookExamples(endpointPath, "patch")],
      [z.strictObject({ id: z.uuid(), deleted: z.literal(true) }), webhookExamples(endpointPath, "delete")],
      [webhookEndpointWithSecretSchema, webhookExamples(`${endpointPath}/rotate-secret`, "post")],
      [webhookDeliveryDetailSchema, webhookExamples(`${endpointPath}/test`, "post")],
      [webhookDeliverySchema.array(), webhookExamples(`${endpointPath}/deliveries`, "get")],
      [webhookDeliveryDetailSchema, webhookExamples(deliveryPath, "get")],
      [webhookDeliverySchema, webhookExamples(`${deliveryPath}/redeliver`, "post", "202")],
    ];
    for (const [schema, values] of checks) {
      expect(values.length).toBeGreaterThan(0);
      for (const value of values) schema.parse(value.data);
    }
    for (const value of webhookExamples("/api/webhooks", "post", "201")) expect((value.data as { secret: string }).secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  });

  it("documents the teleconsultation contract with examples its schemas accept", () => {
    const room = doc.paths["/api/teleconsultation/{roomId}"]!;
    expect(Object.keys(room).sort()).toEqual(["delete", "get", "patch"]);
    const requests = json(doc.paths["/api/teleconsultation"]!.post!.requestBody as never).examples!;
    expect(Object.keys(requests)).toEqual(["knownByIds", "knownObjects", "someUnknown", "withDuration"]);
    for (const example of Object.values(requests)) createRoomSchema.parse(example.value);
    for (const example of Object.values(json(room.patch!.requestBody as never).examples!)) updateRoomSchema.parse(example.value);
    for (const example of Object.values(json(room.get!.responses["200"] as ResponseObject).examples!)) roomViewSchema.strict().parse(example.value);
    for (const example of Object.values(json(doc.paths["/api/teleconsultation"]!.post!.responses["201"] as ResponseObject).examples!)) createdRoomSchema.strict().parse(example.value);
    for (const example of Object.values(json(doc.paths["/api/credentials"]!.post!.responses["201"] as ResponseObject).examples!)) credentialsSchema.strict().parse(example.value);
    const noPlus = json(doc.paths["/api/teleconsultation"]!.post!.responses["400"] as ResponseObject).examples!.no_plus_user!.value;
    expect(noPlus).toEqual({ error: "Failed POST /teleconsultation: no plus user in room", code: "no_plus_user" });
    expect(room.get!.security).toContainEqual({ UserToken: [] });
    expect(room.delete!.security).not.toContainEqual({ UserToken: [] });
  });

  it("documents the chat-sessions contract with examples its schemas accept", () => {
    const list = doc.paths["/api/chat-sessions"]!;
    const one = doc.paths["/api/chat-sessions/{chatSessionId}"]!;
    expect(Object.keys(list).sort()).toEqual(["get", "post"]);
    expect(Object.keys(one).sort()).toEqual(["get", "patch"]);
    // The contract's two examples, verbatim.
    expect(json(list.post!.requestBody as never).examples!.contract!.value).toEqual({ participants: ["account-id1", "account-id2"], title: "Hello" });
    expect(json(one.patch!.requestBody as never).examples!.seen!.value).toEqual({ seen: true });
    for (const example of Object.values(json(list.post!.requestBody as never).examples!)) createChatSessionSchema.parse(example.value);
    for (const example of Object.values(json(one.patch!.requestBody as never).examples!)) updateChatSessionSchema.parse(example.value);
    for (const example of Object.values(json(list.get!.responses["200"] as ResponseObject).examples!)) chatSessionSchema.strict().array().parse(example.value);
    for (const response of [list.post!.responses["200"], one.get!.responses["200"], one.patch!.responses["200"]]) {
      for (const example of Object.values(json(response as ResponseObject).examples!)) chatSessionSchema.strict().parse(example.value);
    }
    // A bare array, paged by headers, and said so.
    expect(json(list.get!.responses["200"] as ResponseObject).schema).toEqual({ type: "array", items: { $ref: "#/components/schemas/ChatSession" } });
    expect(Object.keys((list.get!.responses["200"] as ResponseObject).headers!)).toEqual(expect.arrayContaining(["Link", "X-Next-Cursor"]));
    expect(list.get!.description).toMatch(/bare array/i);
    expect(parameterRows(doc, list.get!).map((p) => p.name)).toEqual(["participant", "room", "state", "limit", "cursor"]);
    expect(one.patch!.description).toContain("chat_session_state");
    expect(list.post!.description).toMatch(/history/i);
    for (const operation of [list.get!, list.post!, one.get!, one.patch!]) expect(operation.security).toContainEqual({ UserToken: [] });
  });

  it("documents the settings contract with examples its schemas accept, and its exact 401", () => {
    const upload = doc.paths["/api/settings/background-image"]!.post!;
    const update = doc.paths["/api/settings/update"]!.patch!;
    expect(Object.keys(upload.requestBody!.content)).toEqual(["multipart/form-data"]);
    expect(upload.requestBody!.content["multipart/form-data"]!.schema.required).toEqual(["virtual_background"]);
    // The contract's PATCH example, verbatim, as JSON and as curl's --data sends it.
    expect(Object.keys(update.requestBody!.content)).toEqual(["application/json", "application/x-www-form-urlencoded"]);
    expect(json(update.requestBody as never).examples!.contract!.value).toEqual({ background_alias: "3e4d0683d78be3a884b7a60028644f57" });
    for (const example of Object.values(json(update.requestBody as never).examples!)) companySettingsUpdateSchema.parse(example.value);
    for (const example of Object.values(json(upload.responses["200"] as ResponseObject).examples!)) uploadedBackgroundSchema.strict().parse(example.value);
    for (const example of Object.values(json(update.responses["200"] as ResponseObject).examples!)) companySettingsSchema.strict().parse(example.value);
    for (const example of Object.values(json(doc.paths["/api/settings"]!.get!.responses["200"] as ResponseObject).examples!)) companySettingsSchema.strict().parse(example.value);
    for (const example of Object.values(json(doc.paths["/api/settings/backgrounds"]!.get!.responses["200"] as ResponseObject).examples!)) backgroundListSchema.strict().parse(example.value);
    const settingsOperations = operations().filter(({ apiPath }) => apiPath.startsWith("/api/settings"));
    expect(settingsOperations).toHaveLength(5);
    for (const { operation } of settingsOperations) {
      expect(operation.tags).toEqual(["Settings"]);
      expect(operation.security).toContainEqual({ ContractApiKey: [] });
      expect(operation.security).not.toContainEqual({ UserToken: [] });
      for (const example of Object.values(json(operation.responses["401"] as ResponseObject).examples!)) expect((example.value as { error: string }).error).toBe("Unauthorized user");
    }
    const fields = resolve(json(update.requestBody as never).schema).properties!;
    expect(Object.keys(fields)).toEqual(["background_alias", "name", "default_language", "end_call_redirect_url", "user_details_provider_url", "end_call_redirect_timeout_ms"]);
    expect(fields.user_details_provider_url!.description).toMatch(/display name/);
    expect(fields.user_details_provider_url!.description).toMatch(/does not call it yet/);
    expect(fields.end_call_redirect_timeout_ms).toMatchObject({ type: "integer", minimum: 0, maximum: 60000 });
    expect(doc.paths["/api/backgrounds/{alias}"]!.get!.security).toEqual([]);
    expect(operationsByTag(doc).find((group) => group.tag === "Settings")?.operations).toHaveLength(6);
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

  it("documents the webhook endpoints under the Webhooks tag, with every error code they answer", () => {
    const webhookPaths = Object.keys(doc.paths).filter((p) => p.startsWith("/api/webhooks"));
    expect(webhookPaths.sort()).toEqual(
      [
        "/api/webhooks",
        "/api/webhooks/{endpointId}",
        "/api/webhooks/{endpointId}/rotate-secret",
        "/api/webhooks/{endpointId}/test",
        "/api/webhooks/{endpointId}/deliveries",
        "/api/webhooks/{endpointId}/deliveries/{deliveryId}",
        "/api/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver",
      ].sort(),
    );
    expect(doc.tags.map((t) => t.name)).toEqual(expect.arrayContaining(["Webhooks", "Webhook events"]));
    const codes = (operation: OperationObject, status: string) => Object.keys(json(operation.responses[status] as ResponseObject).examples ?? {}).sort();
    for (const { apiPath, operation } of operations().filter(({ apiPath }) => apiPath.startsWith("/api/webhooks"))) {
      expect(operation.tags, apiPath).toEqual(["Webhooks"]);
      expect(operation.security, apiPath).toBeUndefined(); // the document's default: an API credential
      if (apiPath.includes("{endpointId}")) expect(codes(operation, "404"), `${apiPath} 404`).toEqual(["not_found"]);
    }

    const ops = doc.paths;
    const create = ops["/api/webhooks"]!.post!;
    expect(Object.keys(create.responses).sort()).toEqual(["201", "400", "401", "409", "422", "429", "500"]);
    expect(codes(create, "409")).toEqual(["webhook_endpoint_limit"]);
    expect(codes(create, "422")).toEqual(["webhook_url_forbidden", "webhook_url_insecure", "webhook_url_invalid", "webhook_url_unresolvable"]);
    expect(codes(ops["/api/webhooks/{endpointId}"]!.patch!, "422")).toEqual(codes(create, "422"));
    expect(codes(ops["/api/webhooks/{endpointId}/test"]!.post!, "409")).toEqual(["webhook_endpoint_disabled"]);
    const redeliver = ops["/api/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver"]!.post!;
    expect(Object.keys(redeliver.responses)).toContain("202");
    expect(codes(redeliver, "409")).toEqual(["webhook_endpoint_disabled", "webhook_test_delivery"]);
    expect(codes(ops["/api/webhooks/{endpointId}/deliveries"]!.get!, "400")).toEqual(["invalid_cursor", "validation_error"]);
    expect(parameterRows(doc, ops["/api/webhooks/{endpointId}/deliveries"]!.get!).map((p) => `${p.in}:${p.name}`)).toEqual(["path:endpointId", "query:status", "query:limit", "query:cursor"]);

    // The request and answer schemas are the handlers' own.
    const body = resolve(json(create.requestBody as never).schema);
    expect(body.required?.sort()).toEqual(["events", "url"]);
    expect(resolve(body.properties!.events!.items!).enum ?? body.properties!.events!.items!.enum).toEqual([...DOMAIN_EVENTS]);
    expect(json(create.responses["201"] as ResponseObject).schema.properties!.data).toEqual({ $ref: "#/components/schemas/WebhookEndpointWithSecret" });
    expect(doc.components.schemas.WebhookEndpoint!.properties).not.toHaveProperty("secret");
    expect(doc.components.schemas.UpdateWebhookEndpoint!.properties).toHaveProperty("enabled");

    // Every webhook error code is in the list, with the status the code answers with.
    const webhookCodes = {
      webhook_url_invalid: 422,
      webhook_url_insecure: 422,
      webhook_url_unresolvable: 422,
      webhook_url_forbidden: 422,
      webhook_endpoint_limit: 409,
      webhook_endpoint_disabled: 409,
      webhook_test_delivery: 409,
    };
    for (const [code, status] of Object.entries(webhookCodes)) expect(ERROR_CODES[code as keyof typeof ERROR_CODES]?.status, code).toBe(status);
    const answered = new Set(
      operations().flatMap(({ operation }) => Object.values(operation.responses).flatMap((response) => Object.keys(jsonContent(response)?.examples ?? {}))),
    );
    for (const code of Object.keys(webhookCodes)) expect(answered.has(code), `${code} is answered by some operation`).toBe(true);
  });

  it("has webhook request examples the handlers' schemas accept", () => {
    const requestExamples = (operation: OperationObject) => Object.values(json(operation.requestBody as never).examples ?? {}).map((e) => e.value);
    for (const value of requestExamples(doc.paths["/api/webhooks"]!.post!)) createWebhookEndpointSchema.parse(value);
    for (const value of requestExamples(doc.paths["/api/webhooks/{endpointId}"]!.patch!)) updateWebhookEndpointSchema.parse(value);
    const testEvent = doc.paths["/api/webhooks/{endpointId}/test"]!.post!;
    expect(testEvent.requestBody?.required).toBe(false);
    for (const value of requestExamples(testEvent)) sendTestEventSchema.parse(value);
  });

  it("documents every outgoing event in the OpenAPI 3.1 webhooks object, with its body and signing headers", () => {
    // A consultation's events under their own names, then a standalone room's: room.ready and its session events' bodies; then a chat session's; then participant.waiting.
    const apart = [...CHAT_EVENTS, "participant.waiting"] as string[];
    expect(Object.keys(doc.webhooks)).toEqual([...DOMAIN_EVENTS.filter((e) => !apart.includes(e)), "session_started (room)", "session_ended (room)", ...CHAT_EVENTS, "participant.waiting"]);
    expect(Object.keys(doc.webhooks)).toEqual(WEBHOOK_NAMES);
    expect([...new Set(WEBHOOK_NAMES.map((name) => webhookOf(name).event))].sort()).toEqual([...DOMAIN_EVENTS].sort());
    for (const { event: name, operation } of webhookOperations()) {
      const { event, room, chat, waiting } = webhookOf(name);
      expect(Object.keys(doc.webhooks[event]!)).toEqual(["post"]);
      expect(operation.tags).toEqual(["Webhook events"]);
      expect(operation.summary).toBe(name);
      expect(operation.description).toMatch(/at least once and not ordered/);

      const headers = parameterRows(doc, operation);
      expect(headers.every((h) => h.in === "header")).toBe(true);
      expect(headers.filter((h) => h.required).map((h) => h.name).sort()).toEqual(
        ["User-Agent", "X-Telehealth-Delivery", "X-Telehealth-Event", "X-Telehealth-Signature", "webhook-id", "webhook-signature", "webhook-timestamp"].sort(),
      );
      expect(headers.find((h) => h.name === "X-Telehealth-Signature-Previous")?.required).toBe(false);
      const eventHeader = (operation.parameters ?? []).find((p): p is ParameterObject => "name" in p && p.name === "X-Telehealth-Event")!;
      expect(eventHeader.schema.const).toBe(event);

      const content = json(operation.requestBody as never);
      const body = resolve(content.schema);
      expect(body.required?.sort()).toEqual(["data", "event", "organizationId", "timestamp", "version"]);
      expect(body.properties!.event!.const).toBe(event);
      const data = resolve(body.properties!.data!);
      expect(data.properties!).not.toHaveProperty("accessPin");
      if (chat) {
        // A chat session's events carry ids and who: never a name, a message's text or a file's name.
        const added =
          event === "chat_message.created"
            ? ["chatSessionId", "messageId", "sender", "hasFile"]
            : ["chatSessionId", "state", "room", "participants", "actor", "at"];
        expect(data.required?.sort()).toEqual([...added].sort());
        expect(Object.keys(data.properties!).filter((key) => /name|text|body|file(?!$)/i.test(key) && key !== "hasFile")).toEqual([]);
      } else if (room) {
        // A room's events name people by ids and group only.
        expect(data.properties!).not.toHaveProperty("patient");
        expect(data.properties!).not.toHaveProperty("provider");
        const added = { session_started: ["roomId", "consultationId", "status", "participant", "joinedAt"], session_ended: ["roomId", "consultationId", "status", "participant", "leftAt", "reason"], "room.ready": ["roomId", "startsAt", "endsAt", "readyAt", "participants"] }[event as RoomEvent];
        expect(data.required?.sort()).toEqual([...added].sort());
        const person = resolve(event === "room.ready" ? data.properties!.participants!.items! : data.properties!.participant!);
        expect(Object.keys(person.properties!).sort()).toEqual(event === "room.ready" ? ["bandyerUserId", "group", "userExternalId"] : ["group", "participantId", "userExternalId"]);
      } else if (waiting) {
        // Ids and a time only: no consultation view, no patient, no provider.
        expect(data.required?.sort()).toEqual(["consultationId", "participant", "roomId", "waitingSince"]);
        expect(Object.keys(resolve(data.properties!.participant!).properties!).sort()).toEqual(["participantId", "role"]);
      } else {
        expect(Object.keys(resolve(data.properties!.patient!).properties!).sort()).toEqual(["documentLastDigits", "documentType", "nameInitials"]);
        const added = { "consultation.created": [], "consultation.expired": [], "consultation.completed": ["completedAt", "completionReason"], session_started: ["participant", "joinedAt"], session_ended: ["participant", "leftAt", "reason"], "consultation.access_reissued": ["reissued"] }[event as ConsultationEvent]!;
        expect(data.required).toEqual(expect.arrayContaining(["consultationId", "participantAccess", "provider", "patient", "scheduledAt", "expiredAt", "status", "createdAt", ...added]));
      }

      const examples = Object.values(content.examples ?? {});
      expect(examples).toHaveLength(1);
      for (const example of examples) {
        // Exactly the documented fields, nothing more.
        expect(webhookOf(name).body.parse(example.value)).toEqual(example.value);
        expect((example.value as { event: string }).event).toBe(event);
      }
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(["2XX", "410", "429", "5XX"]));
    }
  });

  it("describes each event body as the portal really sends it", async () => {
    const tenant = await createTenant(test.db);
    const ctx = { organizationId: tenant.organization.id, timeZone: tenant.organization.timezone, appUrl: appUrl(), sealer: appSealer() };
    const consultation = await createConsultation(test.db, ctx, immediateGeneralExample());
    const at = new Date();
    const participant = { participantId: crypto.randomUUID(), role: "patient" };
    // The payloads lib/rooms/ (join, attendance, completion) and lib/consultations/create.ts record in the outbox.
    const recorded: Record<ConsultationEvent, Record<string, unknown>> = {
      "consultation.created": { consultationId: consultation.consultationId, status: "Pending" },
      "consultation.expired": { consultationId: consultation.consultationId, status: "Expired", expiredAt: at.toISOString() },
      "consultation.completed": { consultationId: consultation.consultationId, status: "Completed", completedAt: at.toISOString(), reason: "timeout" },
      session_started: { consultationId: consultation.consultationId, participant, joinedAt: at.toISOString(), firstJoin: true },
      session_ended: { consultationId: consultation.consultationId, participant, leftAt: at.toISOString(), reason: "disconnected" },
      "consultation.access_reissued": { consultationId: consultation.consultationId, status: "Pending", reissued: { pin: true, links: false } },
    };
    for (const event of Object.keys(recorded) as ConsultationEvent[]) {
      const sent = JSON.parse(
        await webhookBody(test.db, { id: crypto.randomUUID(), organizationId: ctx.organizationId, event, aggregateId: consultation.consultationId, payload: recorded[event], occurredAt: at }, ctx),
      ) as { data: Record<string, unknown> };
      WEBHOOK_EVENT_BODIES[event].parse(sent);
      // Exactly the documented fields: nothing undocumented is sent, nothing documented as required is missing.
      const data = resolve(resolve(json(doc.webhooks[event]!.post!.requestBody as never).schema).properties!.data!);
      expect(Object.keys(sent.data).filter((key) => !(key in data.properties!)), event).toEqual([]);
      expect((data.required ?? []).filter((key) => !(key in sent.data)), event).toEqual([]);
    }

    // A standalone room's events (lib/rooms/attendance.ts, lib/rooms/ready-event.ts), built from the room.
    const [room] = await test.db.execute<{ id: string }>(sql`
      insert into rooms (organization_id, consultation_id, status, starts_at, ends_at)
      values (${ctx.organizationId}, null, 'InProgress', ${at.toISOString()}, null) returning id`);
    const member = { participantId: crypto.randomUUID(), role: "member", userExternalId: "user1", group: "doctor" };
    const roomRecorded: Record<RoomEvent, Record<string, unknown>> = {
      session_started: { consultationId: null, roomId: room!.id, participant: member, joinedAt: at.toISOString(), firstJoin: true },
      session_ended: { consultationId: null, roomId: room!.id, participant: member, leftAt: at.toISOString(), reason: "left" },
      "room.ready": { consultationId: null, roomId: room!.id, startsAt: at.toISOString(), endsAt: null, readyAt: at.toISOString(), participants: [{ bandyerUserId: crypto.randomUUID(), userExternalId: "user1", group: "doctor" }] },
    };
    for (const event of Object.keys(roomRecorded) as RoomEvent[]) {
      const name = event === "room.ready" ? event : `${event} (room)`;
      const sent = JSON.parse(
        await webhookBody(test.db, { id: crypto.randomUUID(), organizationId: ctx.organizationId, event, aggregateType: "room", aggregateId: room!.id, payload: roomRecorded[event], occurredAt: at }, ctx),
      ) as { data: Record<string, unknown> };
      expect(ROOM_WEBHOOK_BODIES[event].parse(sent)).toEqual(sent);
      const data = resolve(resolve(json(doc.webhooks[name]!.post!.requestBody as never).schema).properties!.data!);
      expect(Object.keys(sent.data).filter((key) => !(key in data.properties!)), name).toEqual([]);
      expect((data.required ?? []).filter((key) => !(key in sent.data)), name).toEqual([]);
    }

    // A chat session's events, from what lib/chat-sessions/sessions.ts (directives) and the messages' helper record.
    const sessionId = crypto.randomUUID();
    const directive = { state: "started", room: null, participants: ["user1", "user2"], actor: "user2", at: at.getTime() };
    const chatRecorded: Record<ChatEvent, Record<string, unknown>> = {
      "chat_session.started": directive,
      "chat_session.accepted": { ...directive, state: "accepted", actor: "user1", room: room!.id },
      "chat_session.rejected": { ...directive, state: "rejected", actor: "user1", reason: "Please come to the clinic." },
      "chat_session.finished": { ...directive, state: "finished", actor: "user1" },
      // Whatever else a payload might hold never reaches the body.
      "chat_message.created": { messageId: 7, sender: "user2", hasFile: true, text: "my symptoms are…", fileName: "lab-results.pdf" },
    };
    for (const event of CHAT_EVENTS) {
      const raw = await webhookBody(test.db, { id: crypto.randomUUID(), organizationId: ctx.organizationId, event, aggregateType: "chat_session", aggregateId: sessionId, payload: chatRecorded[event], occurredAt: at }, ctx);
      const sent = JSON.parse(raw) as { data: Record<string, unknown> };
      expect(WEBHOOK_EVENT_BODIES[event].parse(sent)).toEqual(sent);
      expect(sent.data.chatSessionId).toBe(sessionId);
      expect(raw).not.toContain("symptoms");
      expect(raw).not.toContain("lab-results");
      const data = resolve(resolve(json(doc.webhooks[event]!.post!.requestBody as never).schema).properties!.data!);
      expect(Object.keys(sent.data).filter((key) => !(key in data.properties!)), event).toEqual([]);
      expect((data.required ?? []).filter((key) => !(key in sent.data)), event).toEqual([]);
    }
  });

  it("explains delivery, retries and both signature schemes, with verification code that works", () => {
    const guide = doc.paths["/api/webhooks"]!.post!.description!;
    for (const phrase of [
      "at least once",
      "not ordered",
      "5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h",
      "±10%",
      "Retry-After",
      "410",
      "Redirects are not followed",
      "3 days",
      "raw body",
      "constant time",
      "5 minutes",
      "dedupe on `webhook-id`",
      "X-Telehealth-Signature-Previous",
      "24 hours",
      "standardwebhooks",
      "timingSafeEqual",
      "hmac.compare_digest",
    ]) {
      expect(guide, phrase).toContain(phrase);
    }
    expect(doc.info.description).toContain("POST /api/webhooks");

    // The Node examples, run against a request signed the way the portal signs one.
    const blocks = [...guide.matchAll(/```(\w+)\n([\s\S]*?)\n```/g)].map((m) => ({ language: m[1]!, code: m[2]! }));
    expect(blocks.map((b) => b.language)).toEqual(["js", "js", "python"]);
    const current = newWebhookSecret();
    const previous = newWebhookSecret();
    const rawBody = Buffer.from(JSON.stringify({ event: "consultation.created", data: { patient: { nameInitials: "Z. Ñ." } } }), "utf8");
    const sign = (secrets: { current: string; previous?: string }, sentAt = new Date()) => {
      const headers = signedHeaders({ deliveryId: crypto.randomUUID(), event: "consultation.created", body: rawBody.toString("utf8"), sentAt, secrets });
      // As Node hands them to a server: names in lower case.
      return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    };

    expect(blocks[0]!.code).toContain("webhook.verify(req.body, req.headers)");
    expect(new Webhook(current).verify(rawBody, sign({ current, previous }))).toMatchObject({ event: "consultation.created" });
    expect(new Webhook(previous).verify(rawBody, sign({ current, previous }))).toBeTruthy();
    expect(() => new Webhook(current).verify(rawBody, sign({ current }, new Date(Date.now() - 6 * 60_000)))).toThrow();

    const verify = new Function("createHmac", "timingSafeEqual", `${blocks[1]!.code.replace(/^import .*$/m, "")}\nreturn verifyTelehealthSignature;`)(createHmac, timingSafeEqual) as (
      raw: Buffer,
      headers: Record<string, string>,
      secret: string,
    ) => boolean;
    expect(verify(rawBody, sign({ current }), current)).toBe(true);
    expect(verify(rawBody, sign({ current, previous }), current)).toBe(true);
    expect(verify(rawBody, sign({ current, previous }), previous)).toBe(true);
    expect(verify(rawBody, sign({ current }), previous)).toBe(false);
    expect(verify(Buffer.concat([rawBody, Buffer.from(" ")]), sign({ current }), current)).toBe(false);
    expect(verify(rawBody, sign({ current }, new Date(Date.now() - 6 * 60_000)), current)).toBe(false);
    expect(blocks[2]!.code).toContain("hmac.compare_digest(expected, value)");
  });

  it("shows the webhook sections on the reference page, code examples included", () => {
    const groups = operationsByTag(doc);
    const group = (name: string) => groups.find((g) => g.tag === name)!;
    expect(group("Webhooks").operations.map((op) => op.id).sort()).toEqual(
      operations()
        .filter(({ apiPath }) => apiPath.startsWith("/api/webhooks"))
        .map(({ operation }) => operation.operationId)
        .sort(),
    );
    const events = group("Webhook events").operations;
    expect(events.map((op) => op.path)).toEqual(WEBHOOK_NAMES);
    expect(events.every((op) => op.isWebhook && op.method === "post")).toBe(true);
    expect(webhookOperationsOf(doc)).toHaveLength(WEBHOOK_NAMES.length);

    // The page's prose has no fenced blocks: each code line becomes an item, indentation kept.
    const create = group("Webhooks").operations.find((op) => op.id === "createWebhookEndpoint")!;
    expect(create.operation.description).not.toContain("```");
    expect(create.operation.description).toContain("- `import { Webhook } from \"standardwebhooks\";`");
    expect(create.operation.description).toContain("- `\u00a0\u00a0\u00a0\u00a0expected = hmac.new(");
    expect(pageDescription("a\n\n```sh\nls\n  -l\n```\n\nb")).toBe("a\n\n- `ls`\n- `\u00a0\u00a0-l`\n\nb");

    const rows = fieldRows(doc, json(doc.webhooks.session_ended!.post!.requestBody as never).schema);
    expect(rows.map((r) => r.path)).toEqual(expect.arrayContaining(["event", "data.patient.nameInitials", "data.participant.role", "data.leftAt", "data.reason"]));
    const roomRows = fieldRows(doc, json(doc.webhooks["session_ended (room)"]!.post!.requestBody as never).schema).map((r) => r.path);
    expect(roomRows).toEqual(expect.arrayContaining(["data.roomId", "data.consultationId", "data.status", "data.participant.userExternalId", "data.participant.group", "data.leftAt", "data.reason"]));
    expect(roomRows.filter((path) => /name/i.test(path))).toEqual([]);
    expect(fieldRows(doc, json(doc.webhooks["room.ready"]!.post!.requestBody as never).schema).map((r) => r.path)).toEqual(
      expect.arrayContaining(["data.roomId", "data.startsAt", "data.endsAt", "data.readyAt", "data.participants[].bandyerUserId", "data.participants[].userExternalId", "data.participants[].group"]),
    );
    // The room's variant is sent under the event's own name.
    expect(curlExample(doc, events.find((op) => op.path === "session_started (room)")!, { bodyFile: "request.json" })).toContain(`-H "X-Telehealth-Event: session_started"`);

    const curl = curlExample(doc, events[0]!, { bodyFile: "request.json" });
    expect(curl).toContain(`curl -X POST "$WEBHOOK_URL"`);
    expect(curl).toContain(`-H "X-Telehealth-Event: consultation.created"`);
    expect(curl).toContain(`-H "webhook-signature: $WEBHOOK_SIGNATURE"`);
    expect(curl).toContain(`-H "X-Telehealth-Signature: $X_TELEHEALTH_SIGNATURE"`);
    expect(curl).toContain(`-H "webhook-timestamp: $WEBHOOK_TIMESTAMP"`);
    expect(curl).toContain("-d @request.json");
    expect(curl).not.toContain("Authorization");
  });

  it("is served at GET /api/openapi.json without a credential", async () => {
    const res = await call(serveDocument, { path: "/api/openapi.json" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.json.openapi).toBe("3.1.0");
    expect(res.json.servers[0].url).toBe("https://portal.test");
    expect(Object.keys(res.json.paths)).toEqual(Object.keys(doc.paths));
    expect(Object.keys(res.json.webhooks)).toEqual(WEBHOOK_NAMES);
  });
});

import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./document";
import { errorCatalog, operationsOf, responsesOf } from "./reference";
import { curlExample } from "./reference-curl";
import { fieldRows, jsonContent, parameterRows } from "./reference-fields";

const doc = buildOpenApiDocument({ serverUrl: "https://portal.test" });
const op = (id: string) => operationsOf(doc).find((o) => o.id === id)!;

describe("the reference page's reading of the document", () => {
  it("lists the create call first and marks public endpoints", () => {
    expect(operationsOf(doc).map((o) => `${o.method} ${o.path}`)[0]).toBe("post /api/consultations");
    expect(operationsOf(doc).filter((o) => o.isPublic).map((o) => o.path)).toEqual(["/api/backgrounds/{alias}", "/api/health", "/api/openapi.json", "/api/background-effects/{version}/{file}", "/api/join/{token}/session", "/api/chat-files/{fileId}", "/api/livekit/webhook"]);
    expect(operationsOf(doc).filter((o) => o.isParticipant).map((o) => `${o.method} ${o.path}`)).toEqual([
      "put /api/v3/appointments/{appointmentId}/video-room",
      "put /api/rooms/{roomId}/video-room",
      "get /api/rooms/{roomId}/connection-check",
      "get /api/rooms/{roomId}/events",
      "post /api/rooms/{roomId}/signals",
      "post /api/rooms/{roomId}/leave",
      "post /api/rooms/{roomId}/end",
      "get /api/rooms/{roomId}/chat",
      "post /api/rooms/{roomId}/chat",
      "post /api/rooms/{roomId}/issue-reports",
      "post /api/rooms/{roomId}/chat/files",
    ]);
  });

  it("flattens the create body into rows with the contract's rules", () => {
    const rows = fieldRows(doc, jsonContent(op("createConsultation").operation.requestBody)!.schema);
    const row = (path: string) => rows.find((r) => r.path === path)!;
    expect(row("provider.name")).toMatchObject({ type: "string", required: "yes", depth: 1, rules: ["10 to 50 characters."] });
    expect(row("provider.medicalSpecialtyCode")).toMatchObject({ type: "string | null", required: "conditional" });
    expect(row("provider.professionalLicense").required).toBe("no");
    expect(row("provider.email").type).toBe("string (email)");
    expect(row("durationMinutes").rules[0]).toBe("One of: `10`, `15`, `20`, `25`, `30`, `35`, `40`, `45`, `50`, `60`.");
    expect(row("scheduledAt")).toMatchObject({ type: "string | null", required: "no" });
  });

  it("reads parameters, list responses and the error catalog", () => {
    const limit = parameterRows(doc, op("listConsultations").operation).find((p) => p.name === "limit")!;
    expect(limit).toMatchObject({ in: "query", type: "integer", required: false, rules: ["From 1 to 100.", "Default: `20`."] });
    const ok = responsesOf(doc, op("listProviders").operation).find((r) => r.status === "200")!;
    expect(ok).toMatchObject({ enveloped: true, list: true });
    expect(ok.fields.map((f) => f.path)).toContain("specialty.specialtyCode");
    const catalog = errorCatalog(doc);
    expect(catalog.find((e) => e.code === "rate_limited")?.status).toBe("429");
    expect(catalog.every((e) => /^[a-z_]+$/.test(e.code))).toBe(true);
  });

  it("writes curl commands in both credential styles", () => {
    expect(curlExample(doc, op("getOrganizationProfile"), { auth: "headers" })).toBe(
      `curl 'https://portal.test/api/organizations/profile' \\\n  -H "X-API-Key: $KEY_ID" \\\n  -H "X-API-Secret: $KEY_SECRET"`,
    );
    const create = curlExample(doc, op("createConsultation"), { bodyFile: "request.json" });
    expect(create).toContain("-X POST 'https://portal.test/api/consultations'");
    expect(create).toContain(`-H "Authorization: Bearer $KEY_ID.$KEY_SECRET"`);
    expect(create).toContain("Idempotency-Key");
    expect(create).toContain("-d @request.json");
    expect(curlExample(doc, op("getHealth"))).toBe("curl 'https://portal.test/api/health'");
    // A file upload sends a form, the file read from disk.
    expect(curlExample(doc, op("uploadCallChatFile"))).toBe(
      `curl -X POST 'https://portal.test/api/rooms/<roomId>/chat/files' \\\n  -b "tm_p_$PARTICIPANT_ID=$SESSION" \\\n  -F "file=@informe.pdf"`,
    );
    expect(curlExample(doc, op("getConsultation"))).toContain("/api/consultations/550e8400-e29b-41d4-a716-446655440001'");
  });
});

import type { DocumentContext } from "../context";
import { headerRef } from "../headers";
import { healthSchema } from "../schemas";
import type { OpenApiDocument, OperationObject } from "../types";

/** The public endpoints for operators and tools: the health check and this document. */
export function systemPaths({ schemas }: DocumentContext): OpenApiDocument["paths"] {
  const health = schemas.named("Health", healthSchema, "output");

  const getHealth: OperationObject = {
    operationId: "getHealth",
    summary: "Health check",
    tags: ["System"],
    security: [],
    description:
      "Liveness and readiness for load balancers and orchestrators. Answers the bare report below, not the envelope. Without `probe` it also checks the database and answers 503 when the database does not respond.",
    parameters: [
      {
        name: "probe",
        in: "query",
        description: "`live` answers as soon as the process is up, without touching the database.",
        schema: { type: "string", enum: ["live"] },
      },
    ],
    responses: {
      "200": {
        description: "Live (and, unless `probe=live`, ready).",
        headers: { "X-Request-Id": headerRef("X-Request-Id") },
        content: {
          "application/json": {
            schema: health,
            examples: { ready: { value: { probe: "ready", live: true, ready: true, checks: { database: { ok: true, latencyMs: 2 } } } } },
          },
        },
      },
      "503": {
        description: "Not ready: the database does not answer.",
        headers: { "X-Request-Id": headerRef("X-Request-Id") },
        content: {
          "application/json": {
            schema: health,
            examples: {
              notReady: { value: { probe: "ready", live: true, ready: false, checks: { database: { ok: false, error: "database unavailable" } } } },
            },
          },
        },
      },
    },
  };

  const getOpenApiDocument: OperationObject = {
    operationId: "getOpenApiDocument",
    summary: "This OpenAPI document",
    tags: ["System"],
    security: [],
    description: "This document, OpenAPI 3.1, generated from the same zod schemas the handlers validate with. A readable version is at `/docs/api`.",
    responses: {
      "200": {
        description: "The OpenAPI 3.1 document (the bare JSON, not the envelope).",
        headers: { "X-Request-Id": headerRef("X-Request-Id") },
        content: { "application/json": { schema: { type: "object", description: "An OpenAPI 3.1.0 document." } } },
      },
    },
  };
  return {
    "/api/health": { get: getHealth },
    "/api/openapi.json": { get: getOpenApiDocument },
  };
}

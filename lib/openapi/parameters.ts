import type { z } from "zod";
import { COMPONENTS, type SchemaCollector } from "./json-schema";
import type { ParameterObject } from "./types";

/** The header parameter of `POST /api/consultations` that makes a retry safe. */
export const IDEMPOTENCY_KEY: ParameterObject = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "Makes the request safe to retry. Any 1 to 255 visible ASCII characters; a fresh UUID per consultation is a good choice. A retry with the same key and the same body gets the first answer again, with `Idempotent-Replayed: true`, instead of creating a second consultation. The same key with a different body is 422 `idempotency_key_reused`; while the first request is still running, 409 `idempotency_in_progress`. Failed requests are not stored, so they can be retried with the same key. Keys are remembered for at least 24 hours, per organization.",
  schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[!-~]{1,255}$" },
  example: "3c1e9f2a-7b4d-4c8e-9a6f-0d2b5e8c1f47",
};

/** One query parameter per property of a query schema, read as input (what the client sends). */
export function queryParameters(schemas: SchemaCollector, query: z.ZodType, descriptions: Record<string, string>): ParameterObject[] {
  const root = schemas.convert(query, "input");
  const object = schemas.resolve(root);
  if (root.$ref) schemas.drop(root.$ref.slice(COMPONENTS.length));
  const required = new Set(object.required ?? []);
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...schema } = property;
    return {
      name,
      in: "query" as const,
      required: required.has(name),
      description: description ?? descriptions[name],
      schema,
    };
  });
}

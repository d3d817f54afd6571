import { z } from "zod";
import { CONSULTATION_DURATIONS } from "@/db/schema";
import { durationSchema, emailSchema, phoneSchema } from "@/lib/consultations/schema";
import type { JsonSchema } from "./types";

const DEFS = "#/$defs/";
export const COMPONENTS = "#/components/schemas/";

export const ref = (name: string): JsonSchema => ({ $ref: `${COMPONENTS}${name}` });

/**
 * What a refinement says in code but JSON Schema cannot infer: added to the generated schema
 * so the document states the same rules the handler enforces.
 */
function addRefinedRules(ctx: { zodSchema: unknown; jsonSchema: Record<string, unknown> }): void {
  // `z.number().int()` bounds itself to the safe integers; JSON has no such limit worth stating.
  if (ctx.jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete ctx.jsonSchema.minimum;
  if (ctx.jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete ctx.jsonSchema.maximum;
  if (ctx.zodSchema === durationSchema) {
    ctx.jsonSchema.type = "integer";
    ctx.jsonSchema.enum = [...CONSULTATION_DURATIONS];
  } else if (ctx.zodSchema === emailSchema) {
    ctx.jsonSchema.format = "email";
  } else if (ctx.zodSchema === phoneSchema) {
    ctx.jsonSchema.pattern = "^\\+[1-9]";
    ctx.jsonSchema.examples = ["+573001234567"];
  }
}

/**
 * Converts zod schemas to JSON Schema 2020-12 with zod's own `z.toJSONSchema`, and collects
 * every schema that carries a `.meta({ id })` into one `components.schemas` map, referenced
 * with `$ref`. A name converted twice must convert to the same thing (a request schema read
 * as output, say, would differ), or the build fails loudly.
 */
export class SchemaCollector {
  readonly schemas: Record<string, JsonSchema> = {};

  /** The JSON Schema of `schema` (a `$ref` when it has an id); its named parts land in `schemas`. */
  convert(schema: z.ZodType, io: "input" | "output"): JsonSchema {
    const generated = z.toJSONSchema(schema, { target: "draft-2020-12", io, override: addRefinedRules });
    const root = pointRefsAtComponents(structuredClone(generated)) as JsonSchema & { $schema?: string; $defs?: Record<string, JsonSchema> };
    for (const [name, definition] of Object.entries(root.$defs ?? {})) this.add(name, definition);
    // The dialect is the document's (`jsonSchemaDialect`); definitions now live in components.
    delete root.$schema;
    delete root.$defs;
    return root;
  }

  /** Converts a schema without an id and files it under `name`; returns the `$ref`. */
  named(name: string, schema: z.ZodType, io: "input" | "output"): JsonSchema {
    const root = this.convert(schema, io);
    if (root.$ref) throw new Error(`${name}: the schema already has an id (${root.$ref}); use convert()`);
    this.add(name, root);
    return ref(name);
  }

  /** The object schema behind a `$ref` (or the schema itself). */
  resolve(schema: JsonSchema): JsonSchema {
    if (!schema.$ref) return schema;
    const found = this.schemas[schema.$ref.slice(COMPONENTS.length)];
    if (!found) throw new Error(`Unknown schema ${schema.$ref}`);
    return found;
  }

  /** Adds prose to the properties of named components (see describeProperties): `{ Consultation: { status: "…" } }`. */
  describe(descriptions: Record<string, Record<string, string>>): void {
    for (const [name, fields] of Object.entries(descriptions)) {
      const target = this.schemas[name];
      if (!target) throw new Error(`No schema named ${name} to describe`);
      describeProperties(target, fields);
    }
  }

  /** Removes a component (e.g. a query schema spread into parameters) that nothing references. */
  drop(name: string): void {
    delete this.schemas[name];
  }

  private add(name: string, definition: JsonSchema): void {
    const existing = this.schemas[name];
    if (existing && JSON.stringify(existing) !== JSON.stringify(definition)) {
      throw new Error(`Schema ${name} converts differently in two places (input and output?); give one of them its own id`);
    }
    this.schemas[name] = definition;
  }
}

function pointRefsAtComponents(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pointRefsAtComponents);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = key === "$ref" && typeof inner === "string" && inner.startsWith(DEFS) ? COMPONENTS + inner.slice(DEFS.length) : pointRefsAtComponents(inner);
    }
    return out;
  }
  return value;
}

/**
 * Adds a description to each named property of an object schema, unless the zod schema
 * already gave one. A name that is not a property fails the build, so prose cannot drift
 * from a renamed field.
 */
export function describeProperties(schema: JsonSchema, descriptions: Record<string, string>): void {
  for (const [path, description] of Object.entries(descriptions)) {
    // A dotted path reaches into nested objects: `participantAccess.patientUrl`.
    let property: JsonSchema | undefined = { properties: schema.properties };
    for (const name of path.split(".")) property = property?.properties?.[name];
    if (!property) throw new Error(`describeProperties: no property "${path}"`);
    property.description ??= description;
  }
}

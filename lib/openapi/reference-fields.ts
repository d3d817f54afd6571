import type { HeaderObject, JsonSchema, MediaTypeObject, OpenApiDocument, OperationObject, ParameterObject, RequestBodyObject, ResponseObject } from "./types";

/**
 * Reads the schemas of an OpenAPI document as the reference page shows them: one row per
 * field or parameter, with its type and its rules in words.
 */

export type FieldRow = {
  /** Dotted path, `[]` for array items: `provider.name`, `data[].provider.specialtyCode`. */
  path: string;
  depth: number;
  type: string;
  required: "yes" | "no" | "conditional";
  rules: string[];
  description?: string;
};

export type ParameterRow = { name: string; in: ParameterObject["in"]; type: string; required: boolean; rules: string[]; description?: string };

export function schemaName(ref: string): string {
  return ref.slice(ref.lastIndexOf("/") + 1);
}

export function resolveSchema(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let depth = 0; current.$ref && depth < 10; depth++) {
    const found = doc.components.schemas[schemaName(current.$ref)];
    if (!found) throw new Error(`Unknown schema ${current.$ref}`);
    // Sibling keywords of a $ref (a description, say) win over the target's.
    const siblings: JsonSchema = { ...current };
    delete siblings.$ref;
    current = { ...found, ...siblings };
  }
  return current;
}

export function resolveParameter(doc: OpenApiDocument, parameter: ParameterObject | { $ref: string }): ParameterObject {
  if (!("$ref" in parameter)) return parameter;
  const found = doc.components.parameters[schemaName(parameter.$ref)];
  if (!found) throw new Error(`Unknown parameter ${parameter.$ref}`);
  return found;
}

export function resolveHeader(doc: OpenApiDocument, header: HeaderObject): { description?: string; schema: JsonSchema } {
  if (!("$ref" in header)) return header;
  const found = doc.components.headers[schemaName(header.$ref)];
  if (!found || "$ref" in found) throw new Error(`Unknown header ${header.$ref}`);
  return found;
}

/** The schema without its `null` alternative, and whether there was one. */
export function withoutNull(doc: OpenApiDocument, schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  const resolved = resolveSchema(doc, schema);
  const options = resolved.anyOf ?? resolved.oneOf;
  if (options) {
    const others = options.filter((option) => option.type !== "null");
    if (others.length === 1 && others.length < options.length) {
      const rest: JsonSchema = { ...resolved };
      delete rest.anyOf;
      delete rest.oneOf;
      return { schema: { ...resolveSchema(doc, others[0]!), ...rest }, nullable: true };
    }
  }
  return { schema: resolved, nullable: false };
}

function baseType(doc: OpenApiDocument, schema: JsonSchema): string {
  const { schema: inner, nullable } = withoutNull(doc, schema);
  let label: string;
  if (inner.const !== undefined) label = typeof inner.const;
  else if (Array.isArray(inner.type)) label = inner.type.join(" | ");
  else if (inner.type === "array") label = `array of ${inner.items ? baseType(doc, inner.items) : "any"}`;
  else if (inner.type) label = inner.type;
  else if (inner.enum) label = typeof inner.enum[0];
  else if (inner.allOf?.length) label = baseType(doc, inner.allOf[0]!);
  else label = "any";
  if (inner.format) label += ` (${inner.format})`;
  return nullable ? `${label} | null` : label;
}

const code = (value: unknown) => `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;

/** The schema's constraints in words, e.g. `10 to 50 characters`, `One of: CC, TI`. */
export function rulesOf(doc: OpenApiDocument, schema: JsonSchema): string[] {
  const { schema: s } = withoutNull(doc, schema);
  const rules: string[] = [];
  if (s.const !== undefined) rules.push(`Always ${code(s.const)}.`);
  if (s.enum) rules.push(`One of: ${s.enum.map(code).join(", ")}.`);
  if (s.minLength !== undefined && s.maxLength !== undefined) rules.push(`${s.minLength} to ${s.maxLength} characters.`);
  else if (s.minLength !== undefined && s.minLength > 1) rules.push(`At least ${s.minLength} characters.`);
  else if (s.minLength === 1) rules.push("Not empty.");
  else if (s.maxLength !== undefined) rules.push(`At most ${s.maxLength} characters.`);
  if (s.minimum !== undefined && s.maximum !== undefined) rules.push(`From ${s.minimum} to ${s.maximum}.`);
  else if (s.minimum !== undefined) rules.push(`At least ${s.minimum}.`);
  else if (s.maximum !== undefined) rules.push(`At most ${s.maximum}.`);
  // A format says it better than the long regular expression behind it.
  if (s.pattern && !s.format) rules.push(`Pattern: ${code(s.pattern)}.`);
  if (s.default !== undefined) rules.push(`Default: ${code(s.default)}.`);
  if (s.examples?.length) rules.push(`Example: ${code(s.examples[0])}.`);
  return rules;
}

function conditionallyRequired(schema: JsonSchema): Set<string> {
  const names = new Set<string>();
  for (const branch of [schema, ...(schema.allOf ?? [])]) {
    for (const name of branch.then?.required ?? []) names.add(name);
    for (const name of branch.else?.required ?? []) names.add(name);
  }
  return names;
}

/** One row per field of an object schema, nested objects and arrays of objects flattened. */
export function fieldRows(doc: OpenApiDocument, schema: JsonSchema, prefix = "", depth = 0): FieldRow[] {
  const object = withoutNull(doc, schema).schema;
  const required = new Set(object.required ?? []);
  const conditional = conditionallyRequired(object);
  const rows: FieldRow[] = [];
  for (const [name, property] of Object.entries(object.properties ?? {})) {
    const path = `${prefix}${name}`;
    const inner = withoutNull(doc, property).schema;
    rows.push({
      path,
      depth,
      type: baseType(doc, property),
      required: required.has(name) ? "yes" : conditional.has(name) ? "conditional" : "no",
      rules: rulesOf(doc, property),
      description: property.description ?? inner.description,
    });
    if (inner.properties) rows.push(...fieldRows(doc, inner, `${path}.`, depth + 1));
    else if (inner.type === "array" && inner.items) {
      const item = withoutNull(doc, inner.items).schema;
      if (item.properties) rows.push(...fieldRows(doc, item, `${path}[].`, depth + 1));
    }
  }
  return rows;
}

export function parameterRows(doc: OpenApiDocument, operation: OperationObject): ParameterRow[] {
  return (operation.parameters ?? []).map((p) => {
    const parameter = resolveParameter(doc, p);
    return {
      name: parameter.name,
      in: parameter.in,
      type: baseType(doc, parameter.schema),
      required: parameter.required === true,
      rules: rulesOf(doc, parameter.schema),
      description: parameter.description,
    };
  });
}

export function jsonContent(target: RequestBodyObject | ResponseObject | { $ref: string } | undefined): MediaTypeObject | undefined {
  if (!target || !("content" in target)) return undefined;
  return target.content?.["application/json"];
}


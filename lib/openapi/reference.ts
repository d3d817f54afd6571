import type {
  ExampleObject,
  HeaderObject,
  JsonSchema,
  MediaTypeObject,
  OpenApiDocument,
  OperationObject,
  ParameterObject,
  PathItemObject,
  RequestBodyObject,
  ResponseObject,
} from "./types";
import { HTTP_METHODS, type HttpMethod } from "./types";

/**
 * Reads an OpenAPI document for the reference page: plain data (rows, labels, examples) that
 * components render without knowing JSON Schema. Pure functions, so the page and its tests
 * see the same thing.
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

export type ReferenceOperation = {
  id: string;
  method: HttpMethod;
  path: string;
  operation: OperationObject;
  isPublic: boolean;
  /** Authenticated by a participant's session cookie (the video room), not an API credential. */
  isParticipant: boolean;
  /**
   * A request the portal sends to the integrator's endpoint (an entry of the document's
   * `webhooks`); its `path` is the event's name. It carries no credential: its signatures
   * authenticate it.
   */
  isWebhook: boolean;
};

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

function resolveParameter(doc: OpenApiDocument, parameter: ParameterObject | { $ref: string }): ParameterObject {
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
function withoutNull(doc: OpenApiDocument, schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
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

/**
 * Descriptions are CommonMark; the page's prose shows paragraphs, "- " lists, `code` and
 * **bold**, but not fenced code blocks. Until it does, a fenced block is handed to it as a
 * list with one line of code per item, indentation kept (non-breaking spaces), so the
 * verification examples stay readable on the page. The document itself keeps the fences.
 */
export function pageDescription(text: string | undefined): string | undefined {
  if (!text?.includes("```")) return text;
  return text.replace(/```[\w-]*\n([\s\S]*?)\n```/g, (block, code: string) => {
    const lines = code.split("\n").filter((line) => line.trim() !== "");
    // A backtick inside would end the inline code early: leave such a block as it is.
    if (lines.some((line) => line.includes("`"))) return block;
    return lines.map((line) => `- \`${line.replace(/^ +/, (indent) => "\u00a0".repeat(indent.length))}\``).join("\n");
  });
}

function referenceOperations(doc: OpenApiDocument, items: Record<string, PathItemObject>, isWebhook: boolean): ReferenceOperation[] {
  // In the order the document lists them (the create call before the list, say).
  return Object.entries(items).flatMap(([path, item]) =>
    Object.keys(item).flatMap((key) => {
      const method = HTTP_METHODS.find((m) => m === key);
      const found = method ? item[method] : undefined;
      if (!method || !found) return [];
      const security = found.security ?? doc.security;
      const operation = { ...found, description: pageDescription(found.description) };
      return [{ id: found.operationId, method, path, operation, isPublic: security.length === 0, isParticipant: security.some((r) => "ParticipantSession" in r), isWebhook }];
    }),
  );
}

/** The API's operations (the document's `paths`). */
export function operationsOf(doc: OpenApiDocument): ReferenceOperation[] {
  return referenceOperations(doc, doc.paths, false);
}

/** The requests the portal sends to integrators' endpoints (the document's OpenAPI 3.1 `webhooks`), one per event. */
export function webhookOperationsOf(doc: OpenApiDocument & { webhooks?: Record<string, PathItemObject> }): ReferenceOperation[] {
  return referenceOperations(doc, doc.webhooks ?? {}, true);
}

/** Operations and webhook events grouped under the document's tags, in the tags' order. */
export function operationsByTag(doc: OpenApiDocument): { tag: string; description?: string; operations: ReferenceOperation[] }[] {
  const all = [...operationsOf(doc), ...webhookOperationsOf(doc)];
  return doc.tags
    .map((tag) => ({ tag: tag.name, description: tag.description, operations: all.filter((op) => op.operation.tags?.[0] === tag.name) }))
    .filter((group) => group.operations.length > 0);
}

export function jsonContent(target: RequestBodyObject | ResponseObject | { $ref: string } | undefined): MediaTypeObject | undefined {
  if (!target || !("content" in target)) return undefined;
  return target.content?.["application/json"];
}

export type ResponseSummary = {
  status: string;
  description: string;
  codes: { code: string; meaning?: string }[];
  headers: { name: string; description?: string }[];
  /** The rows of `data` for an enveloped success answer, or of the whole body otherwise. */
  fields: FieldRow[];
  enveloped: boolean;
  /** Whether the fields are those of each item of a list. */
  list: boolean;
  examples: [string, ExampleObject][];
};

export function responsesOf(doc: OpenApiDocument, operation: OperationObject): ResponseSummary[] {
  return Object.entries(operation.responses).map(([status, response]) => {
    if ("$ref" in response) throw new Error("response $refs are not used in this document");
    const content = jsonContent(response);
    const examples = Object.entries(content?.examples ?? {});
    const isError = !status.startsWith("2");
    const schema = content ? resolveSchema(doc, content.schema) : undefined;
    const enveloped = schema?.properties?.success?.const === true;
    const body = enveloped ? schema!.properties!.data! : schema;
    const bodyResolved = body ? withoutNull(doc, body).schema : undefined;
    const list = bodyResolved?.type === "array" && bodyResolved.items !== undefined;
    const fields = isError || !body || !bodyResolved ? [] : fieldRows(doc, list ? bodyResolved.items! : body);
    return {
      status,
      description: response.description,
      codes: examples
        .filter(([, example]) => isErrorEnvelope(example.value))
        .map(([name, example]) => ({ code: name, meaning: example.description })),
      headers: Object.entries(response.headers ?? {}).map(([name, header]) => ({ name, description: resolveHeader(doc, header).description })),
      fields,
      enveloped,
      list,
      examples,
    };
  });
}

function isErrorEnvelope(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { success?: unknown }).success === false;
}

/** Every error code any operation answers with: its status and meaning, by status. */
export function errorCatalog(doc: OpenApiDocument): { code: string; status: string; meaning?: string }[] {
  const seen = new Map<string, { code: string; status: string; meaning?: string }>();
  for (const { operation } of operationsOf(doc)) {
    for (const response of responsesOf(doc, operation)) {
      for (const { code, meaning } of response.codes) if (!seen.has(code)) seen.set(code, { code, status: response.status, meaning });
    }
  }
  return [...seen.values()].sort((a, b) => Number(a.status) - Number(b.status));
}

/** The example value to fill a path parameter with in a sample request. */
function pathWithExamples(doc: OpenApiDocument, op: ReferenceOperation): string {
  const parameters = (op.operation.parameters ?? []).map((p) => resolveParameter(doc, p));
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const example = parameters.find((p) => p.name === name && p.in === "path")?.example;
    return typeof example === "string" ? example : `<${name}>`;
  });
}

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * A curl command for the operation, with the credential in the style asked for. A JSON body
 * is read from `bodyFile` (one of the request examples, saved), or inlined when none is given.
 */
export function curlExample(
  doc: OpenApiDocument,
  op: ReferenceOperation,
  options: { auth?: "bearer" | "headers"; bodyFile?: string } = {},
): string {
  if (op.isWebhook) return webhookCurlExample(doc, op, options.bodyFile);
  const auth = options.auth ?? "bearer";
  const url = `${doc.servers[0]?.url ?? ""}${pathWithExamples(doc, op)}`;
  const lines = [`curl${op.method === "get" ? "" : ` -X ${op.method.toUpperCase()}`} ${shellQuote(url)}`];
  if (op.isParticipant) {
    lines.push(`-b "tm_p_$PARTICIPANT_ID=$SESSION"`);
  } else if (!op.isPublic) {
    if (auth === "bearer") lines.push(`-H "Authorization: Bearer $KEY_ID.$KEY_SECRET"`);
    else lines.push(`-H "X-API-Key: $KEY_ID"`, `-H "X-API-Secret: $KEY_SECRET"`);
  }
  const body = jsonContent(op.operation.requestBody);
  const example = body ? Object.values(body.examples ?? {})[0] : undefined;
  if (example) {
    if (op.operation.parameters?.some((p) => "$ref" in p && p.$ref.endsWith("/IdempotencyKey"))) {
      lines.push(`-H "Idempotency-Key: $(uuidgen)"`);
    }
    lines.push(`-H "Content-Type: application/json"`, options.bodyFile ? `-d @${options.bodyFile}` : `-d ${shellQuote(JSON.stringify(example.value, null, 2))}`);
  }
  return lines.join(" \\\n  ");
}

export const formatJson = (value: unknown) => JSON.stringify(value, null, 2);

/**
 * A webhook event as the portal sends it, to try a receiver by hand: the headers with their
 * examples, and what must be computed for each request (the time, the signatures over the
 * body sent) as shell variables.
 */
function webhookCurlExample(doc: OpenApiDocument, op: ReferenceOperation, bodyFile?: string): string {
  const headers = (op.operation.parameters ?? [])
    .map((p) => resolveParameter(doc, p))
    .filter((p) => p.in === "header" && p.required)
    .map((p) => {
      const variable = `$${p.name.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}`;
      const value = /signature/i.test(p.name) || typeof p.example !== "string" ? variable : p.example;
      return `-H "${p.name}: ${value}"`;
    });
  const body = jsonContent(op.operation.requestBody);
  const example = body ? Object.values(body.examples ?? {})[0] : undefined;
  const lines = [
    `# What the portal sends for ${op.path}; POST /api/webhooks/{endpointId}/test sends a real, signed one.`,
    `curl -X ${op.method.toUpperCase()} "$WEBHOOK_URL"`,
    `-H "Content-Type: application/json"`,
    ...headers,
    ...(example ? [bodyFile ? `-d @${bodyFile}` : `-d ${shellQuote(JSON.stringify(example.value, null, 2))}`] : []),
  ];
  return `${lines[0]}\n${lines.slice(1).join(" \\\n  ")}`;
}

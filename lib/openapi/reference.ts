import { fieldRows, jsonContent, resolveHeader, resolveSchema, withoutNull, type FieldRow } from "./reference-fields";
import type { ExampleObject, OpenApiDocument, OperationObject, PathItemObject } from "./types";
import { HTTP_METHODS, type HttpMethod } from "./types";

/**
 * Reads an OpenAPI document for the reference page: plain data (rows, labels, examples) that
 * components render without knowing JSON Schema. Pure functions, so the page and its tests
 * see the same thing.
 */

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


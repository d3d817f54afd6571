import type { ReferenceOperation } from "./reference";
import { jsonContent, resolveParameter } from "./reference-fields";
import type { OpenApiDocument } from "./types";

/** The reference page's code samples: curl commands for an operation, and JSON as shown. */

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
  // A file upload: the form's fields, each file read from disk (a binary field's example is a file name).
  const form = op.operation.requestBody?.content["multipart/form-data"]?.schema.properties;
  for (const [name, field] of Object.entries(form ?? {})) {
    const fileName = typeof field.examples?.[0] === "string" ? field.examples[0] : "informe.pdf";
    lines.push(field.format === "binary" ? `-F "${name}=@${fileName}"` : `-F "${name}=…"`);
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

import { AppError } from "@/lib/errors";

/**
 * Reads a JSON request body with a size cap, refusing a wrong content type, an oversized
 * body or malformed JSON with a 400 that says which. `formEncodedJson`: a body sent as
 * `application/x-www-form-urlencoded` is read as JSON too (and refused as JSON when it is not),
 * for a route whose contract shows `curl --data '{…}'` without a type, which curl sends so.
 */
export async function readJsonBody(request: Request, maxBytes: number, options: { formEncodedJson?: boolean } = {}): Promise<{ value: unknown; raw: string }> {
  const type = request.headers.get("content-type") ?? "";
  const mediaType = type.split(";")[0]!.trim().toLowerCase();
  const formEncoded = options.formEncodedJson === true && mediaType === "application/x-www-form-urlencoded";
  if (!formEncoded && mediaType !== "application/json" && !/^application\/[\w.+-]+\+json$/.test(mediaType)) {
    throw new AppError("unsupported_content_type", `The body must be JSON sent with "Content-Type: application/json"${mediaType ? ` (got "${mediaType}")` : ""}.`,
      [{ field: "Content-Type", message: "must be application/json", code: "unsupported_content_type" }],
    );
  }
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);

  const raw = (await readBodyCapped(request, maxBytes, () => tooLarge(maxBytes))).toString("utf8");
  if (raw.trim() === "") {
    throw new AppError("invalid_json", "The request body is empty; a JSON object is required.", [
      { field: "body", message: "is empty", code: "invalid_json" },
    ]);
  }
  try {
    return { value: JSON.parse(raw), raw };
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : "unparseable";
    throw new AppError("invalid_json", `The request body is not valid JSON: ${reason}`, [
      { field: "body", message: "is not valid JSON", code: "invalid_json" },
    ]);
  }
}

/** Like readJsonBody, for a body the route may go without: a request with none (no Content-Type, no length) gives undefined. */
export async function readOptionalJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const length = request.headers.get("content-length");
  const sent = length === null ? request.headers.has("content-type") || request.headers.has("transfer-encoding") : Number(length) > 0;
  return sent ? (await readJsonBody(request, maxBytes)).value : undefined;
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large", `The request body is larger than the ${maxBytes}-byte limit.`, [
    { field: "body", message: `must be at most ${maxBytes} bytes`, code: "payload_too_large" },
  ]);
}

/**
 * A request's body as bytes, read with a running count and dropped the moment it passes
 * `maxBytes` (`tooLarge` is thrown then), whatever Content-Length claimed.
 */
export async function readBodyCapped(request: Request, maxBytes: number, tooLarge: () => AppError): Promise<Buffer<ArrayBuffer>> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

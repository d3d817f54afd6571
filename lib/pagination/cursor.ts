import { AppError } from "@/lib/errors";
import { isStorable } from "@/lib/validation/text";

/** Opaque keyset cursors: the sort key of the last row, base64url-encoded. */
export function encodeCursor(values: string[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor(cursor: string, length: number): string[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(values) && values.length === length && values.every((v) => typeof v === "string" && isStorable(v))) return values;
  } catch {
    // fall through
  }
  throw AppError.badRequest("invalid_cursor", "The cursor is not valid.", "cursor");
}

/**
 * The headers that point a bare-array list at its next page: `Link: <path?…&cursor=…>;
 * rel="next"` (RFC 8288, relative to the request) and `X-Next-Cursor`; none on the last page.
 */
export function nextPageHeaders(requestUrl: string, nextCursor: string | null): Record<string, string> {
  if (nextCursor === null) return {};
  const url = new URL(requestUrl);
  url.searchParams.set("cursor", nextCursor);
  return { Link: `<${url.pathname}${url.search}>; rel="next"`, "X-Next-Cursor": nextCursor };
}

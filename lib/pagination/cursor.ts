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

import { AppError } from "@/lib/errors";
import { readBodyCapped } from "@/lib/http/body";
import { CHAT_FILE_MAX_BYTES } from "@/lib/limits";
import { fileTooLarge } from "./accept";

/** Room for the multipart framing (boundaries, part headers, a long file name) around the largest file. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export type UploadedFile = { bytes: Uint8Array; name: string };

/**
 * The file in a `multipart/form-data` body's `file` field. The body is read with a running
 * count and dropped the moment it passes the largest file plus its framing (413 before anything
 * is kept, whatever Content-Length claimed), so a huge or endless upload costs at most ~10 MB.
 */
export async function readUploadedFile(request: Request, maxBytes = CHAT_FILE_MAX_BYTES): Promise<UploadedFile> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;.*boundary=/i.test(contentType)) {
    throw new AppError("unsupported_content_type", 'A file is sent as "multipart/form-data" with the file in the field "file".', [
      { field: "Content-Type", code: "unsupported_content_type", message: "must be multipart/form-data" },
    ]);
  }
  const cap = maxBytes + MULTIPART_OVERHEAD_BYTES;
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > cap) throw fileTooLarge();
  const body = await readBodyCapped(request, cap, fileTooLarge);

  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw AppError.validation([{ field: "body", code: "invalid_multipart", message: "is not a valid multipart/form-data body" }]);
  }
  const file = form.get("file");
  if (!(file instanceof File)) throw AppError.validation([{ field: "file", code: "required", message: "is required: send the file in the form field `file`" }]);
  if (file.size > maxBytes) throw fileTooLarge();
  return { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name };
}

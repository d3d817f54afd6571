import { AppError } from "@/lib/errors";
import { readBodyCapped } from "@/lib/http/body";
import { CHAT_FILE_MAX_BYTES } from "@/lib/limits";

/** Room for the multipart framing (boundaries, part headers, a long file name) around the largest file. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export type UploadedFile = { bytes: Uint8Array; name: string };

/** How a route takes its file: the form field it comes in, and the most bytes it may have. */
export type UploadRules = { field: string; maxBytes: number };

const CHAT_UPLOAD: UploadRules = { field: "file", maxBytes: CHAT_FILE_MAX_BYTES };

/** A file over the route's limit, named by its field: nothing of it was kept. */
export function fileTooLarge(rules: UploadRules = CHAT_UPLOAD): AppError {
  const megabytes = Math.round((rules.maxBytes / (1024 * 1024)) * 10) / 10;
  return new AppError("file_too_large", `The file is larger than ${megabytes} MB (${rules.maxBytes} bytes). Send a smaller one.`, [
    { field: rules.field, code: "file_too_large", message: `must be at most ${rules.maxBytes} bytes` },
  ]);
}

/**
 * The file in a `multipart/form-data` body's field (`file` for a chat). The body is read with a
 * running count and dropped the moment it passes the largest file plus its framing (413 before
 * anything is kept, whatever Content-Length claimed), so a huge or endless upload costs at most
 * the limit.
 */
export async function readUploadedFile(request: Request, rules: UploadRules = CHAT_UPLOAD): Promise<UploadedFile> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;.*boundary=/i.test(contentType)) {
    throw new AppError("unsupported_content_type", `A file is sent as "multipart/form-data" with the file in the field "${rules.field}".`, [
      { field: "Content-Type", code: "unsupported_content_type", message: "must be multipart/form-data" },
    ]);
  }
  const tooLarge = () => fileTooLarge(rules);
  const cap = rules.maxBytes + MULTIPART_OVERHEAD_BYTES;
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > cap) throw tooLarge();
  const body = await readBodyCapped(request, cap, tooLarge);

  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw AppError.validation([{ field: "body", code: "invalid_multipart", message: "is not a valid multipart/form-data body" }]);
  }
  const file = form.get(rules.field);
  if (typeof file === "string") {
    // `curl --form field=path` sends the path as text; `--form field=@path` sends the file.
    throw AppError.validation([{ field: rules.field, code: "required", message: `is text, not a file: send the file itself (with curl, \`--form ${rules.field}=@path/to/file\`)` }]);
  }
  if (!(file instanceof File)) throw AppError.validation([{ field: rules.field, code: "required", message: `is required: send the file in the form field \`${rules.field}\`` }]);
  if (file.size > rules.maxBytes) throw tooLarge();
  return { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name };
}

import { AppError } from "@/lib/errors";
import { CHAT_FILE_MAX_BYTES } from "@/lib/limits";
import { reencodeImage, typeOfBytes } from "./image";
import { fileTooLarge } from "./read-upload";
import { CHAT_FILE_TYPES, type ChatFileType } from "./schema";

/** A file fit to store: its bytes as they will be served, its type from its content, its cleaned name. */
export type AcceptedFile = { bytes: Uint8Array; contentType: ChatFileType; fileName: string };

const EXTENSIONS: Record<ChatFileType, string[]> = {
  "image/jpeg": ["jpg", "jpeg"],
  "image/png": ["png"],
  "image/webp": ["webp"],
  "application/pdf": ["pdf"],
};

export const FILE_NAME_MAX_LENGTH = 120;

function typeNotAllowed(found: string | undefined): AppError {
  const what = found ? ` (this file is ${found})` : "";
  return new AppError("file_type_not_allowed", `Only JPEG, PNG and WebP images and PDF documents can be shared${what}.`, [
    { field: "file", code: "file_type_not_allowed", message: "must be a JPEG, PNG or WebP image or a PDF" },
  ]);
}

/**
 * Checks an uploaded file and makes it safe to hand to others: its type comes from its bytes
 * (a renamed program, an HTML page or an SVG called `.png` is refused), an image is decoded and
 * encoded again (upright, per its orientation tag) without its metadata, so no EXIF location or
 * camera serial leaves with it; a PDF is kept byte for byte. The name keeps no path.
 */
export async function acceptChatFile(bytes: Uint8Array, uploadedName: string): Promise<AcceptedFile> {
  if (bytes.byteLength > CHAT_FILE_MAX_BYTES) throw fileTooLarge();
  if (bytes.byteLength === 0) throw AppError.validation([{ field: "file", code: "empty", message: "is empty" }]);
  const detected = await typeOfBytes(bytes);
  const contentType = CHAT_FILE_TYPES.find((type) => type === detected);
  if (!contentType) throw typeNotAllowed(detected);
  const stored = contentType === "application/pdf" ? bytes : (await reencodeImage(bytes, contentType, { field: "file" })).bytes;
  return { bytes: stored, contentType, fileName: cleanFileName(uploadedName, contentType) };
}

/** Extensions that say a type the content is not: replaced rather than kept before the right one (`a.exe` that is a PDF is `a.pdf`). */
const REPLACED_EXTENSIONS = new Set(
  "jpg jpeg jfif png webp gif bmp tif tiff heic heif avif svg svgz pdf htm html xhtml xml js mjs exe msi dll com scr bat cmd ps1 sh bin elf app apk jar doc docx txt rtf zip".split(" "),
);

// Control (Cc), formatting (Cf: bidi overrides, zero-width), separators and lone surrogates: never in a header or a list.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/gu;

/**
 * The name a file is offered under: the last part of whatever path was sent, without control or
 * invisible characters (a U+202E could make `exe.pdf` read `fdp.exe`), spaces folded, at most
 * 120 characters, ending in the extension its content calls for (`photo.png` that is a JPEG
 * becomes `photo.jpg`).
 */
export function cleanFileName(uploaded: string, type: ChatFileType): string {
  const base = uploaded.split(/[/\\]/).pop() ?? "";
  // Line breaks and tabs part words: a space; every other control or invisible character goes.
  let name = base
    .normalize("NFC")
    .replace(/[\t\n\v\f\r\u2028\u2029]+/g, " ")
    .replace(INVISIBLE, "")
    .replace(/\s+/g, " ")
    .trim();
  name = name.replace(/^[.\s]+/, ""); // no hidden files, no "..": a name, not a path
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
  const allowed = EXTENSIONS[type];
  let stem = dot > 0 && (allowed.includes(extension) || REPLACED_EXTENSIONS.has(extension)) ? name.slice(0, dot) : name;
  stem = stem.replace(/[.\s]+$/, "");
  if (!stem) stem = type === "application/pdf" ? "document" : "image";
  const suffix = `.${allowed.includes(extension) ? extension : allowed[0]}`;
  const room = FILE_NAME_MAX_LENGTH - suffix.length;
  // Cut by code points, never inside a surrogate pair.
  const chars = Array.from(stem);
  if (chars.length > room) stem = chars.slice(0, room).join("").trimEnd();
  return stem + suffix;
}

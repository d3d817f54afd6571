import { fileTypeFromBuffer } from "file-type";
import sharp from "sharp";
import { AppError } from "@/lib/errors";
import { CHAT_IMAGE_MAX_PIXELS } from "@/lib/limits";

/** The image types an upload may be (a chat's photo, a clinic's call background), judged by content. */
export const IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** The type the bytes themselves say (their signature), whatever name or Content-Type came with them; undefined when they say none. */
export async function typeOfBytes(bytes: Uint8Array): Promise<string | undefined> {
  return (await fileTypeFromBuffer(bytes))?.mime;
}

export function isImageType(type: string | undefined): type is ImageType {
  return IMAGE_TYPES.some((known) => known === type);
}

export type ReencodedImage = { bytes: Uint8Array; width: number; height: number };

/**
 * The image again, upright (per its orientation tag), in its own format, with no metadata (sharp
 * keeps none unless asked: no EXIF location, no camera serial, no XMP or IPTC). `fitInside`
 * shrinks a larger picture to fit, keeping its proportions, and never enlarges a smaller one.
 * Refusals name `field`, the form field the file came in.
 */
export async function reencodeImage(bytes: Uint8Array, type: ImageType, options: { field: string; fitInside?: { width: number; height: number } }): Promise<ReencodedImage> {
  // The first frame of an animation only; decoding stops at the pixel limit (a small file can hide a huge image).
  let image = sharp(bytes, { limitInputPixels: CHAT_IMAGE_MAX_PIXELS, failOn: "error", animated: false }).autoOrient();
  if (options.fitInside) image = image.resize({ ...options.fitInside, fit: "inside", withoutEnlargement: true });
  const encoded = type === "image/jpeg" ? image.jpeg({ quality: 90 }) : type === "image/png" ? image.png() : image.webp({ quality: 90 });
  try {
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height };
  } catch (error) {
    const message = error instanceof Error ? error.message : "";
    if (/pixel limit/i.test(message)) {
      throw new AppError("file_too_large", `The image is larger than ${CHAT_IMAGE_MAX_PIXELS / 1_000_000} megapixels. Send a smaller one.`, [
        { field: options.field, code: "file_too_large", message: `must be at most ${CHAT_IMAGE_MAX_PIXELS} pixels` },
      ]);
    }
    throw new AppError("file_type_not_allowed", "The image could not be read: it may be damaged. Send it again or as another file.", [
      { field: options.field, code: "file_type_not_allowed", message: "is not a readable image" },
    ]);
  }
}

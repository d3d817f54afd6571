/** Files for upload tests, made here (no fixtures to trust): real images, PDFs and programs, and the calls that send them. */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";

/** A JPEG 64×32 as stored, taken with the camera on its side (EXIF orientation 6), with a camera serial and a GPS position in its EXIF. */
export function jpegWithLocation(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 32, channels: 3, background: { r: 200, g: 10, b: 10 } } })
    .withExif({
      IFD0: { Make: "TestCam", Model: "Serial-12345" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "4/1 39/1 0/1", GPSLongitudeRef: "W", GPSLongitude: "74/1 3/1 0/1" },
    })
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toBuffer();
}

export function png(width = 8, height = 8): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 0, g: 120, b: 200, alpha: 1 } } })
    .png()
    .toBuffer();
}

/** A small but well-formed PDF, padded with a comment to `size` bytes when asked. */
export function pdf(size?: number): Buffer {
  const head = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n";
  const tail = "%%EOF\n";
  if (size === undefined) return Buffer.from(head + tail, "latin1");
  const padding = size - head.length - tail.length - 2;
  return Buffer.concat([Buffer.from(head + "%", "latin1"), Buffer.alloc(padding, 0x41), Buffer.from("\n" + tail, "latin1")]);
}

/** The start of a Linux program (ELF, 64-bit) and of a Windows one (MZ with its PE header). */
export function elfProgram(): Buffer {
  const bytes = Buffer.alloc(512);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]).copy(bytes);
  return bytes;
}

export function windowsProgram(): Buffer {
  const bytes = Buffer.alloc(512);
  bytes.write("MZ", 0, "latin1");
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write("PE\0\0", 0x80, "latin1");
  return bytes;
}

export type FileToSend = { bytes: Uint8Array; name: string; type?: string };
export type Answer = { status: number; headers: Headers; json: any; text: string };
type Handler = (request: Request, segment: { params: Promise<any> }) => Promise<Response>;

/** POSTs a multipart form with the file in `file` (or `field`) to a route handler, as a browser would. */
export async function sendFile(handler: Handler, options: { path: string; params: Record<string, string>; headers?: Record<string, string>; file: FileToSend; field?: string }): Promise<Answer> {
  const form = new FormData();
  form.set(options.field ?? "file", new File([options.file.bytes as Uint8Array<ArrayBuffer>], options.file.name, { type: options.file.type ?? "application/octet-stream" }));
  const request = new Request(`http://localhost${options.path}`, { method: "POST", headers: options.headers, body: form });
  const response = await handler(request, { params: Promise.resolve(options.params) });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** Every file under a directory (temporary files of a write included). */
export function filesUnder(directory: string): string[] {
  try {
    return readdirSync(directory, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/**
 * Makes a stored file impossible to delete, for real. As root (who ignores permissions): the
 * immutable attribute, or where the file system has none (tmpfs), a non-empty directory in the
 * file's place, which unlink refuses too. Otherwise: its directory's write permission taken
 * away. Returns the undo.
 */
export function makeUndeletable(file: string): () => void {
  if (process.getuid?.() !== 0) {
    const directory = path.dirname(file);
    chmodSync(directory, 0o555);
    return () => chmodSync(directory, 0o700);
  }
  try {
    execFileSync("chattr", ["+i", file], { stdio: "ignore" });
    return () => execFileSync("chattr", ["-i", file]);
  } catch {
    const aside = `${file}.aside`;
    renameSync(file, aside);
    mkdirSync(file);
    writeFileSync(path.join(file, "keep"), "");
    return () => {
      rmSync(file, { recursive: true });
      renameSync(aside, file);
    };
  }
}

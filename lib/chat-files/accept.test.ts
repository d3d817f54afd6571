import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { CHAT_FILE_MAX_BYTES } from "@/lib/limits";
import { elfProgram, jpegWithLocation, pdf, png, windowsProgram } from "@/test/chat-files";
import { refusal } from "@/test/api";
import { acceptChatFile, cleanFileName, FILE_NAME_MAX_LENGTH } from "./accept";

describe("accepting a chat file", () => {
  it("judges the type by the bytes: programs, HTML and SVG under an image's name are refused", async () => {
    const cases: [Uint8Array, string][] = [
      [elfProgram(), "photo.jpg"],
      [windowsProgram(), "scan.pdf"],
      [Buffer.from("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"), "image.png"],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'), "logo.svg"],
      [Buffer.from("just some text"), "notes.pdf"],
      [
        await sharp({ create: { width: 4, height: 4, channels: 3, background: "white" } })
          .gif()
          .toBuffer(),
        "anim.gif",
      ],
    ];
    for (const [bytes, name] of cases) {
      const error = await refusal(acceptChatFile(bytes, name));
      expect(error.code, name).toBe("file_type_not_allowed");
      expect(error.status).toBe(415);
      expect(error.details).toEqual([expect.objectContaining({ field: "file", code: "file_type_not_allowed" })]);
    }
    expect((await refusal(acceptChatFile(elfProgram(), "a.jpg"))).message).toContain("application/x-elf");
  });

  it("re-encodes a JPEG upright and without its EXIF (no GPS position, no camera serial)", async () => {
    const original = await jpegWithLocation();
    const before = await sharp(original).metadata();
    expect(before.exif?.toString("latin1")).toContain("Serial-12345");
    expect([before.width, before.height, before.orientation]).toEqual([64, 32, 6]);

    const accepted = await acceptChatFile(original, "IMG_0001.JPG");
    expect(accepted.contentType).toBe("image/jpeg");
    expect(accepted.fileName).toBe("IMG_0001.jpg");
    const after = await sharp(accepted.bytes).metadata();
    expect(after.format).toBe("jpeg");
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    // Orientation 6 is a quarter turn: the picture as seen is 32 wide and 64 high.
    expect([after.width, after.height]).toEqual([32, 64]);
    expect(Buffer.from(accepted.bytes).toString("latin1")).not.toContain("Serial-12345");
  });

  it("re-encodes PNG and WebP in their own format, and keeps a PDF byte for byte", async () => {
    const image = await acceptChatFile(await png(), "x-ray.png");
    expect([image.contentType, (await sharp(image.bytes).metadata()).format]).toEqual(["image/png", "png"]);
    const webp = await acceptChatFile(
      await sharp(await png())
        .webp()
        .toBuffer(),
      "photo.webp",
    );
    expect([webp.contentType, (await sharp(webp.bytes).metadata()).format]).toEqual(["image/webp", "webp"]);
    const document = pdf();
    const kept = await acceptChatFile(document, "report.pdf");
    expect(kept.contentType).toBe("application/pdf");
    expect(Buffer.from(kept.bytes).equals(document)).toBe(true);
  });

  it("refuses what is too large, empty, or not a readable image", async () => {
    expect((await refusal(acceptChatFile(new Uint8Array(CHAT_FILE_MAX_BYTES + 1), "big.pdf"))).code).toBe("file_too_large");
    const empty = await refusal(acceptChatFile(new Uint8Array(), "empty.pdf"));
    expect([empty.code, empty.details[0]?.field]).toEqual(["validation_error", "file"]);
    // A JPEG's first bytes and then nothing.
    const broken = await refusal(acceptChatFile((await jpegWithLocation()).subarray(0, 400), "cut.jpg"));
    expect(broken).toBeInstanceOf(AppError);
    expect(broken.code).toBe("file_type_not_allowed");
  });
});

describe("a file's name", () => {
  it("keeps no path, no control or invisible characters, at most 120 characters", () => {
    expect(cleanFileName("../../etc/passwd.pdf", "application/pdf")).toBe("passwd.pdf");
    expect(cleanFileName("C:\\Users\\ana\\Desktop\\informe.pdf", "application/pdf")).toBe("informe.pdf");
    expect(cleanFileName("evil\u202Efdp.exe", "application/pdf")).toBe("evilfdp.pdf");
    expect(cleanFileName("line\r\nbreak\u0000.png", "image/png")).toBe("line break.png");
    expect(cleanFileName("...", "image/jpeg")).toBe("image.jpg");
    expect(cleanFileName("", "application/pdf")).toBe("document.pdf");
    expect(cleanFileName(".bashrc", "application/pdf")).toBe("bashrc.pdf");
    const long = cleanFileName(`${"ñ".repeat(300)}.pdf`, "application/pdf");
    expect(Array.from(long)).toHaveLength(FILE_NAME_MAX_LENGTH);
    expect(long.endsWith(".pdf")).toBe(true);
    expect(Array.from(cleanFileName(`${"👨‍👩‍👧".repeat(100)}.png`, "image/png")).length).toBeLessThanOrEqual(FILE_NAME_MAX_LENGTH);
  });

  it("ends in the extension the content calls for", () => {
    expect(cleanFileName("photo.png", "image/jpeg")).toBe("photo.jpg");
    expect(cleanFileName("photo.JPEG", "image/jpeg")).toBe("photo.jpeg");
    expect(cleanFileName("setup.exe", "application/pdf")).toBe("setup.pdf");
    expect(cleanFileName("Scan 2024.03.01", "application/pdf")).toBe("Scan 2024.03.01.pdf");
    expect(cleanFileName("receta médica", "application/pdf")).toBe("receta médica.pdf");
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { BACKGROUND_MAX_BYTES } from "@/lib/limits";
import { LocalDiskStorage, type FileStorage } from "@/lib/storage";
import { createTenant, refusal, type Tenant } from "@/test/api";
import { elfProgram, filesUnder, jpegWithLocation, png } from "@/test/chat-files";
import { setupTestDatabase } from "@/test/db";
import { acceptBackgroundImage, deleteBackground, uploadBackground } from "./backgrounds";

const test = setupTestDatabase();
const directory = mkdtempSync(path.join(tmpdir(), "telemed-backgrounds-lib-"));
const storage = new LocalDiskStorage(directory);
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let clinic: Tenant;
beforeAll(async () => {
  clinic = await createTenant(test.db);
});

const rows = () => test.db.execute<{ alias: string; storage_key: string }>(sql`select alias, storage_key from organization_backgrounds where organization_id = ${clinic.organization.id}`);

describe("accepting a background image", () => {
  it("re-encodes in its own format, upright, without metadata", async () => {
    const accepted = await acceptBackgroundImage(await jpegWithLocation());
    const after = await sharp(accepted.bytes).metadata();
    expect([accepted.contentType, after.format, after.exif, after.orientation]).toEqual(["image/jpeg", "jpeg", undefined, undefined]);
    expect([accepted.width, accepted.height]).toEqual([32, 64]);
    const webp = await acceptBackgroundImage(await sharp(await png(30, 20)).webp().toBuffer());
    expect([webp.contentType, webp.width, webp.height]).toEqual(["image/webp", 30, 20]);
  });

  it("refuses by content, by size, and an empty file, naming the contract's field", async () => {
    for (const bytes of [elfProgram(), Buffer.from("plain text"), Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>")]) {
      const error = await refusal(acceptBackgroundImage(bytes));
      expect([error.code, error.status, error.details[0]?.field]).toEqual(["file_type_not_allowed", 415, "virtual_background"]);
    }
    expect((await refusal(acceptBackgroundImage(new Uint8Array(BACKGROUND_MAX_BYTES + 1)))).code).toBe("file_too_large");
    expect((await refusal(acceptBackgroundImage(new Uint8Array()))).details[0]).toMatchObject({ field: "virtual_background", code: "empty" });
    const cut = await refusal(acceptBackgroundImage((await png(200, 200)).subarray(0, 60)));
    expect(cut.code).toBe("file_type_not_allowed");
  });
});

describe("keeping a background", () => {
  it("removes the bytes again when the row is not written", async () => {
    const before = filesUnder(directory);
    const failing = await refusal(
      uploadBackground(test.db, storage, clinic.organization.id, async () => ({ bytes: await png(), name: "a.png" }), {
        now: new Date(),
        record: async () => {
          throw new AppError("forbidden", "refused as the row was written");
        },
      }),
    );
    expect(failing.code).toBe("forbidden");
    expect(filesUnder(directory)).toEqual(before);
    expect(await rows()).toEqual([]);
  });

  it("keeps nothing for an organization that is not there", async () => {
    const before = filesUnder(directory);
    const error = await refusal(uploadBackground(test.db, storage, "00000000-0000-4000-8000-000000000000", async () => ({ bytes: await png(), name: "a.png" }), { now: new Date() }));
    expect(error.code).toBe("not_found");
    expect(filesUnder(directory)).toEqual(before);
  });

  it("deletes the row even when the storage fails to delete the bytes (they are unreachable then)", async () => {
    const kept = await uploadBackground(test.db, storage, clinic.organization.id, async () => ({ bytes: await png(), name: "a.png" }), { now: new Date() });
    const broken: FileStorage = { ...storage, put: storage.put.bind(storage), get: storage.get.bind(storage), exists: storage.exists.bind(storage), delete: async () => Promise.reject(Object.assign(new Error("disk"), { code: "EIO" })) };
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    await deleteBackground(test.db, broken, clinic.organization.id, kept.alias);
    expect(log).toHaveBeenCalledWith(expect.stringContaining("EIO"));
    log.mockRestore();
    expect(await rows()).toEqual([]);
  });
});

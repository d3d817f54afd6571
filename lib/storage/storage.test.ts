import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filesUnder, makeUndeletable } from "@/test/chat-files";
import { startLocalS3, type LocalS3 } from "@/test/s3";
import { isStorageKey, LocalDiskStorage, randomStorageKey, type FileStorage } from "./index";

const bytesOf = async (storage: FileStorage, key: string) => {
  const object = await storage.get(key);
  return object && { size: object.size, bytes: Buffer.from(await new Response(object.body).arrayBuffer()) };
};

/** What every storage must do, run against each real one. */
function behavesAsStorage(name: string, make: () => FileStorage) {
  describe(`${name}: the storage interface`, () => {
    it("stores, reads back, tells it exists, and deletes", async () => {
      const storage = make();
      const key = randomStorageKey("chat-files");
      const bytes = Buffer.from("%PDF-1.4 a report\n%%EOF\n");
      expect(await storage.exists(key)).toBe(false);
      expect(await storage.get(key)).toBeUndefined();
      await storage.put(key, bytes, "application/pdf");
      expect(await storage.exists(key)).toBe(true);
      expect(await bytesOf(storage, key)).toEqual({ size: bytes.length, bytes });
      await storage.delete(key);
      expect(await storage.exists(key)).toBe(false);
      expect(await storage.get(key)).toBeUndefined();
      // Deleting what is not there succeeds: a retried deletion finishes.
      await expect(storage.delete(key)).resolves.toBeUndefined();
    });

    it("replaces an object whole", async () => {
      const storage = make();
      const key = randomStorageKey("chat-files");
      await storage.put(key, Buffer.alloc(3000, 1), "image/png");
      await storage.put(key, Buffer.from("second"), "image/png");
      expect((await bytesOf(storage, key))?.bytes.toString()).toBe("second");
    });

    it("refuses keys that are not ours, before touching anything", async () => {
      const storage = make();
      for (const key of ["../outside", "a/../../b", "/etc/passwd", "", ".hidden", "a//b", "a/./b", "a\\b", "a/b\u0000"]) {
        await expect(storage.put(key, Buffer.from("x"), "text/plain"), key).rejects.toThrow(/storage key/);
        await expect(storage.get(key), key).rejects.toThrow(/storage key/);
        await expect(storage.delete(key), key).rejects.toThrow(/storage key/);
      }
    });
  });
}

describe("storage keys", () => {
  it("are random, under their prefix, and pass their own rule", () => {
    const a = randomStorageKey("chat-files");
    expect(a).toMatch(/^chat-files\/[0-9a-f]{2}\/[0-9a-f]{32}$/);
    expect(a.split("/")[1]).toBe(a.split("/")[2]!.slice(0, 2));
    expect(randomStorageKey("chat-files")).not.toBe(a);
    expect(isStorageKey(a)).toBe(true);
    expect(isStorageKey("..")).toBe(false);
  });
});

describe("the local disk", () => {
  const root = mkdtempSync(path.join(tmpdir(), "telemed-disk-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  behavesAsStorage("local disk", () => new LocalDiskStorage(root));

  it("keeps files inside its directory, owner-only, with no temporary file left behind", async () => {
    const storage = new LocalDiskStorage(path.join(root, "inside"));
    const key = randomStorageKey("chat-files");
    await storage.put(key, Buffer.from("hello"));
    const files = filesUnder(path.join(root, "inside"));
    expect(files).toEqual([storage.pathOf(key)]);
    expect(readFileSync(files[0]!, "utf8")).toBe("hello");
    expect(statSync(files[0]!).mode & 0o077).toBe(0);
    expect(() => storage.pathOf("../inside-not")).toThrow();
  });

  it("says so when a file cannot be deleted, and deletes it once it can", async () => {
    const storage = new LocalDiskStorage(root);
    const key = randomStorageKey("chat-files");
    await storage.put(key, Buffer.from("kept"));
    const undo = makeUndeletable(storage.pathOf(key));
    try {
      await expect(storage.delete(key)).rejects.toThrow(/EPERM|EACCES|EISDIR/);
    } finally {
      undo();
    }
    // Nothing was lost by the failed attempt.
    expect((await bytesOf(storage, key))?.bytes.toString()).toBe("kept");
    await storage.delete(key);
    expect(await storage.exists(key)).toBe(false);
  });
});

describe("an S3-compatible store (a real one on this machine: s3rver, through the AWS SDK)", () => {
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startLocalS3();
  });
  afterAll(async () => {
    await s3?.close();
  });

  behavesAsStorage("S3", () => s3.storage());

  it("fails loudly when the bucket is missing or the store is down, and works again when it is back", async () => {
    const key = randomStorageKey("chat-files");
    await expect(s3.storage("no-such-bucket").put(key, Buffer.from("x"), "application/pdf")).rejects.toThrow(/bucket/i);
    await expect(s3.storage("no-such-bucket").get(key)).rejects.toThrow(/bucket/i);
    await expect(s3.storage("no-such-bucket").delete(key)).rejects.toThrow(/bucket/i);

    const storage = s3.storage();
    await storage.put(key, Buffer.from("round trip"), "application/pdf");
    await s3.stop();
    try {
      await expect(storage.delete(key)).rejects.toThrow();
    } finally {
      await s3.restart();
    }
    expect((await bytesOf(storage, key))?.bytes.toString()).toBe("round trip");
    await storage.delete(key);
    expect(await storage.exists(key)).toBe(false);
  });
});

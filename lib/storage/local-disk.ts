import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { assertStorageKey } from "./keys";
import type { FileStorage, StoredObject } from "./types";

/**
 * Files on the local disk under one directory (DATA_DIR/files by default). A write goes to a
 * temporary file beside its target and is renamed over it once flushed, so a crash or a reader
 * never meets half a file; a key can never leave the directory.
 */
export class LocalDiskStorage implements FileStorage {
  readonly root: string;

  constructor(directory: string) {
    this.root = path.resolve(directory);
  }

  /** The file a key is stored in: checked twice, by the key's rule and by where it resolves. */
  pathOf(key: string): string {
    assertStorageKey(key);
    const full = path.resolve(this.root, key);
    if (!full.startsWith(this.root + path.sep)) throw new Error("Not a storage key");
    return full;
  }

  /** The disk keeps no content type: whoever stores a file keeps its type (chat_files.content_type). */
  async put(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(key);
    const directory = path.dirname(target);
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const temporary = path.join(directory, `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
    const file = await open(temporary, "wx", 0o600);
    try {
      await file.writeFile(bytes);
      await file.datasync();
    } catch (error) {
      await file.close();
      await rm(temporary, { force: true });
      throw error;
    }
    await file.close();
    try {
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    // The rename is durable once the directory is flushed too.
    const dir = await open(directory, "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const file = await open(this.pathOf(key), "r").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (!file) return undefined;
    try {
      const { size } = await file.stat();
      // The stream closes the file when it ends or is cancelled.
      const body = Readable.toWeb(file.createReadStream({ autoClose: true })) as ReadableStream<Uint8Array>;
      return { body, size };
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
  }
}

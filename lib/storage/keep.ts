import { AppError } from "@/lib/errors";
import { randomStorageKey } from "./keys";
import { storageErrorCode, type FileStorage } from "./types";

/**
 * Keeps a file's bytes under a new random key under `prefix`, then runs `record`, which writes
 * the row that points at them (in a transaction of its own, with whatever checks must hold as it
 * is written). If the row is not written the bytes are removed again, so a refused upload leaves
 * nothing behind. (A crash between the two leaves only unreachable bytes under a random key,
 * never a row without its file.) `log` names the feature in the server's log.
 */
export async function keepThenRecord<T>(
  storage: FileStorage,
  file: { prefix: string; bytes: Uint8Array; contentType: string; log: string },
  record: (storageKey: string) => Promise<T>,
): Promise<T> {
  const storageKey = randomStorageKey(file.prefix);
  try {
    await storage.put(storageKey, file.bytes, file.contentType);
  } catch (error) {
    console.error(`[${file.log}] storing a file failed: ${storageErrorCode(error)}`);
    throw new AppError("storage_unavailable", "The file could not be stored just now. Please try again in a moment.");
  }
  try {
    return await record(storageKey);
  } catch (error) {
    await storage.delete(storageKey).catch((cleanup: unknown) => console.error(`[${file.log}] removing an unrecorded file failed: ${storageErrorCode(cleanup)}`));
    throw error;
  }
}

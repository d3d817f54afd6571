/** What a stored file reads back as: its bytes as a stream, and how many there are. */
export type StoredObject = { body: ReadableStream<Uint8Array>; size: number };

/**
 * The one storage interface for files (chat uploads): the local disk by default, any
 * S3-compatible store when configured. Keys are ours (lib/storage/keys.ts), never a name a
 * person chose. Every method throws when the store fails; a missing object is not a failure.
 */
export interface FileStorage {
  /** Stores `bytes` under `key`, whole or not at all (a reader never sees half a file). */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The object under `key`, or undefined when there is none. */
  get(key: string): Promise<StoredObject | undefined>;
  /** Removes the object; removing one that is not there succeeds (so a retried deletion finishes). Throws on failure. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

/** A storage failure for the log: its code (EPERM, ECONNREFUSED, NoSuchBucket…), never a path or a body. */
export function storageErrorCode(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown; Code?: unknown };
  return String((typeof e.code === "string" && e.code) || (typeof e.Code === "string" && e.Code) || (typeof e.name === "string" && e.name) || "unknown");
}

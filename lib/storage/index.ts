import { storageConfig } from "@/lib/config";
import { LocalDiskStorage } from "./local-disk";
import { S3Storage } from "./s3";
import type { FileStorage } from "./types";

export { storageErrorCode, type FileStorage, type StoredObject } from "./types";
export { LocalDiskStorage } from "./local-disk";
export { S3Storage, type S3StorageOptions } from "./s3";
export { isStorageKey, randomStorageKey } from "./keys";
export { keepThenRecord } from "./keep";

const holder = globalThis as typeof globalThis & { __telemedFileStorage?: FileStorage };

/** The process's file storage, as configured (STORAGE_S3_* or DATA_DIR), made once. */
export function fileStorage(): FileStorage {
  if (!holder.__telemedFileStorage) {
    const config = storageConfig();
    holder.__telemedFileStorage = config.kind === "s3" ? new S3Storage(config) : new LocalDiskStorage(config.directory);
  }
  return holder.__telemedFileStorage;
}

/** Tests hand the process a storage of their own. */
export function setFileStorage(storage: FileStorage): void {
  holder.__telemedFileStorage = storage;
}

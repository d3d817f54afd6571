import path from "node:path";
import type { Env } from "./env";

/** Where files (chat uploads) are kept: an S3-compatible bucket when one is named, else the local disk under DATA_DIR. */
export type StorageConfig =
  | { kind: "disk"; directory: string }
  | {
      kind: "s3";
      bucket: string;
      endpoint: string | undefined;
      region: string;
      forcePathStyle: boolean;
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    };

export function storageConfigOf(e: Env): StorageConfig {
  if (!e.STORAGE_S3_BUCKET) return { kind: "disk", directory: path.resolve(e.DATA_DIR, "files") };
  return {
    kind: "s3",
    bucket: e.STORAGE_S3_BUCKET,
    endpoint: e.STORAGE_S3_ENDPOINT,
    region: e.STORAGE_S3_REGION ?? "us-east-1",
    forcePathStyle: e.STORAGE_S3_FORCE_PATH_STYLE,
    credentials: e.STORAGE_S3_ACCESS_KEY_ID && e.STORAGE_S3_SECRET_ACCESS_KEY ? { accessKeyId: e.STORAGE_S3_ACCESS_KEY_ID, secretAccessKey: e.STORAGE_S3_SECRET_ACCESS_KEY } : undefined,
  };
}

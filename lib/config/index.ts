import "server-only";
import { parseEnv, type Env } from "./env";
import { Sealer } from "@/lib/crypto";
import { resolveAppSecret } from "./secret";
import { storageConfigOf, type StorageConfig } from "./storage";

export type { Env } from "./env";
export { ConfigError, parseEnv, splitList } from "./env";
export type { StorageConfig } from "./storage";

const holder = globalThis as typeof globalThis & { __telemedEnv?: Env };

/** The validated environment, read once per process. */
export function env(): Env {
  holder.__telemedEnv ??= parseEnv(process.env);
  return holder.__telemedEnv;
}

/** Base URL participants' links point to. */
export function appUrl(): string {
  const e = env();
  return (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
}

/** LiveKit's URL and credentials when all three are set; null means rooms are peer-to-peer. */
export function livekitConfig(): { url: string; apiKey: string; apiSecret: string; tokenTtlSeconds: number } | null {
  const e = env();
  if (!e.LIVEKIT_URL || !e.LIVEKIT_API_KEY || !e.LIVEKIT_API_SECRET) return null;
  return { url: e.LIVEKIT_URL, apiKey: e.LIVEKIT_API_KEY, apiSecret: e.LIVEKIT_API_SECRET, tokenTtlSeconds: e.LIVEKIT_TOKEN_TTL_SECONDS };
}

export const API_VERSION = "v1";
export const PRODUCT_NAME = "telemed-portal";

const secretHolder = globalThis as typeof globalThis & { __telemedAppSecret?: string };

/** The app secret (APP_SECRET, or the embedded default's generated one). */
export function appSecret(): string {
  secretHolder.__telemedAppSecret ??= resolveAppSecret(env());
  return secretHolder.__telemedAppSecret;
}

const sealerHolder = globalThis as typeof globalThis & { __telemedSealer?: Sealer };

/** Seals PINs and link tokens under the app secret. */
export function appSealer(): Sealer {
  sealerHolder.__telemedSealer ??= new Sealer(appSecret());
  return sealerHolder.__telemedSealer;
}

/** The teleconsultation rooms' settings (UNLIMITED_TELECONSULTATION, LIVE_TELECONSULTATION, IMMUTABLE_PERIOD_MS). */
export function roomSettings(): { unlimited: boolean; live: boolean; immutableMs: number } {
  const e = env();
  return { unlimited: e.UNLIMITED_TELECONSULTATION, live: e.LIVE_TELECONSULTATION, immutableMs: e.IMMUTABLE_PERIOD_MS };
}

/** Where files (chat uploads) are kept: an S3-compatible bucket when one is named, else the local disk under DATA_DIR. */
export function storageConfig(): StorageConfig {
  return storageConfigOf(env());
}

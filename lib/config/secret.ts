import "server-only";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { ConfigError, type Env } from "./env";

/**
 * The app secret seals PINs and link tokens. A deployment sets APP_SECRET (every instance
 * the same); the embedded default makes one on first start and keeps it in DATA_DIR.
 */
export function resolveAppSecret(e: Env): string {
  if (e.APP_SECRET) return e.APP_SECRET;
  if (e.DATABASE_URL && e.NODE_ENV === "production") {
    throw new ConfigError("Invalid environment configuration:\n  APP_SECRET: required when DATABASE_URL is set in production");
  }
  const dir = path.resolve(e.DATA_DIR);
  const file = path.join(dir, "app-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8").trim();
    throw error;
  }
  chmodSync(file, 0o600);
  return secret;
}

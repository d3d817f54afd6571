import "server-only";
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, randomInt, timingSafeEqual } from "node:crypto";

/** Hex SHA-256: for high-entropy secrets (API secrets, link tokens), where a slow hash adds nothing. */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** An unguessable URL-safe token with `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** A uniformly random 6-digit PIN, leading zeros kept. */
export function randomPin(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, "0");
}

/**
 * Seals short secrets (PINs, link tokens) with AES-256-GCM under a key derived from the
 * app secret, so the database alone never reveals them. Format: v1.<iv>.<tag>.<ciphertext>.
 */
export class Sealer {
  private readonly key: Buffer;

  constructor(appSecret: string, purpose = "seal") {
    this.key = Buffer.from(hkdfSync("sha256", appSecret, "telemed-portal", purpose, 32));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
  }

  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split(".");
    if (version !== "v1" || !iv || !tag || body === undefined) throw new Error("Unrecognised sealed value");
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  }
}

const SEALED = /^v1\.[\w-]+\.[\w-]+\.[\w-]*$/;

/** Whether a stored value is sealed (see Sealer), rather than plain text an older version wrote. */
export function isSealed(stored: string): boolean {
  return SEALED.test(stored);
}

/**
 * A stored value that this version seals and older versions kept in plain text (JSON, which
 * never looks sealed): readable in both forms until the plain rows are sealed or gone.
 */
export function openStored(sealer: Sealer, stored: string): string {
  return isSealed(stored) ? sealer.open(stored) : stored;
}

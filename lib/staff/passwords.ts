import argon2 from "argon2";
import { z } from "zod";

/** A staff password: long rather than clever, as NIST 800-63B advises. */
export const passwordSchema = z
  .string({ error: "is required" })
  .min(12, "must be at least 12 characters")
  .max(200, "must be at most 200 characters");

/** argon2id with the library's defaults (64 MiB, 3 passes), which OWASP accepts. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

// Verified against when the email is unknown, so a wrong email costs as long as a wrong password.
let decoy: Promise<string> | undefined;

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) {
    decoy ??= hashPassword("decoy password, never anyone's");
    await argon2.verify(await decoy, password).catch(() => false);
    return false;
  }
  return argon2.verify(hash, password).catch(() => false);
}

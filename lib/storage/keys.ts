import { randomBytes } from "node:crypto";

/**
 * A storage key: 1 to 8 segments of letters, digits, `.`, `_` and `-`, each starting with a
 * letter or digit (so never `..`), joined by `/`. The same rule for the disk and S3, so a key
 * means one thing in both and can never name a path outside the storage's directory.
 */
const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}(?:\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}){0,7}$/;

export function isStorageKey(key: string): boolean {
  return KEY.test(key);
}

export function assertStorageKey(key: string): void {
  if (!isStorageKey(key)) throw new Error("Not a storage key");
}

/**
 * A new random key under `prefix` (`chat-files/3f/3f9a…`): 128 random bits, nothing a person
 * typed; the first two characters make a directory so no one directory grows without bound.
 */
export function randomStorageKey(prefix: string): string {
  const id = randomBytes(16).toString("hex");
  const key = `${prefix}/${id.slice(0, 2)}/${id}`;
  assertStorageKey(key);
  return key;
}

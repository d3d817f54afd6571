import { randomBytes } from "node:crypto";

/** A background's alias: 32 lowercase hex characters, 128 random bits (the contract's example is `3e4d0683d78be3a884b7a60028644f57`). */
const ALIAS = /^[0-9a-f]{32}$/;

export function newBackgroundAlias(): string {
  return randomBytes(16).toString("hex");
}

/** True for a string shaped like an alias: checked before any query, so nothing else reaches the database. */
export function isBackgroundAlias(value: unknown): value is string {
  return typeof value === "string" && ALIAS.test(value);
}

/** Where a background's image is served, on this portal, to anyone with its alias. */
export function backgroundPath(alias: string): string {
  return `/api/backgrounds/${alias}`;
}

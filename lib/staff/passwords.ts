import "server-only";
import argon2 from "argon2";
import { z } from "zod";
import { AppError, type FieldErrorParams } from "@/lib/errors";

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/**
 * Why a new password is refused, as a code the dashboard says in the reader's language (the
 * English of each is PASSWORD_PROBLEMS, for the CLI and the API's message).
 */
export type PasswordProblem = "required" | "too_short" | "too_long" | "repeated_pattern" | "sequence" | "common" | "contains_email" | "contains_clinic_name";

export const PASSWORD_PROBLEMS: Record<PasswordProblem, string> = {
  required: "is required",
  too_short: `must be at least ${PASSWORD_MIN_LENGTH} characters`,
  too_long: `must be at most ${PASSWORD_MAX_LENGTH} characters`,
  repeated_pattern: "is one character or a short pattern repeated; use a few unrelated words instead",
  sequence: "is a simple sequence of letters or digits; use a few unrelated words instead",
  common: "is one of the most common passwords, which are guessed first; choose another",
  contains_email: "must not contain your email or your name from it",
  contains_clinic_name: "must not contain the clinic's name",
};

/** A staff password's length: long rather than clever, as NIST 800-63B advises. */
export const passwordSchema = z
  .string({ error: PASSWORD_PROBLEMS.required })
  .min(PASSWORD_MIN_LENGTH, PASSWORD_PROBLEMS.too_short)
  .max(PASSWORD_MAX_LENGTH, PASSWORD_PROBLEMS.too_long);

/** Who the password is for: it must not be guessable from them. */
export type PasswordOwner = { email?: string | null; organizationName?: string | null };

// ~49,000 common and breached passwords (zxcvbn-ts's list, from leaked password sets), shipped
// with the package: checking never calls the network. Loaded once, on the first password set.
let common: Promise<Set<string>> | undefined;
function commonPasswords(): Promise<Set<string>> {
  common ??= import("@zxcvbn-ts/language-common").then(({ dictionary }) => new Set(dictionary["passwords-common"]));
  return common;
}

const SEQUENCES = ["0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertyuiopasdfghjklzxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn7ujm"];

/** Lower case, accents and spaces off: `Clínica Ñ` and `clinican` compare alike. */
function fold(value: string): string {
  return value.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/** One character, or a short run of at most 4, repeated (`aaaa…`, `abab…`, `1231 23…`). */
function repeatsShortUnit(value: string): boolean {
  return /^(.{1,4})\1+$/su.test(value);
}

/** Part of an alphabet, a row of the keyboard or of the digits, forwards or backwards, cycling. */
function isSequence(value: string): boolean {
  return SEQUENCES.some((seq) => {
    const cycle = seq.repeat(Math.ceil(value.length / seq.length) + 1);
    const reversed = [...cycle].reverse().join("");
    return cycle.includes(value) || reversed.includes(value);
  });
}

/** The words of a name or an email's local part worth guarding: 4 characters or more. */
function partsOf(value: string): string[] {
  const words = fold(value)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 4);
  const whole = fold(value).replace(/[^\p{L}\p{N}]+/gu, "");
  return [...new Set(whole.length >= 4 ? [whole, ...words] : words)];
}

/**
 * Why a new password is refused, or null when it is fine. Beyond the length (passwordSchema),
 * it must not be a common or breached password (nor one with digits or symbols stuck on, nor one
 * repeated), a run of one character or a simple sequence, nor contain the person's email or the
 * clinic's name: these are what a guesser tries first.
 */
export async function passwordProblem(password: string, owner: PasswordOwner = {}): Promise<PasswordProblem | null> {
  const lengthIssue = passwordSchema.safeParse(password);
  if (!lengthIssue.success) {
    const issue = lengthIssue.error.issues[0]!;
    return issue.code === "too_small" ? "too_short" : issue.code === "too_big" ? "too_long" : "required";
  }
  const folded = fold(password);
  const compact = folded.replace(/[\s\-_.]+/g, "");
  if (repeatsShortUnit(compact)) return "repeated_pattern";
  if (isSequence(compact)) return "sequence";

  const list = await commonPasswords();
  // `Password123!`, `iloveyou2024`, `letmeinletmein`: a listed password with trimmings is as weak.
  const core = compact.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "");
  const repeatedCore = /^(.+?)\1+$/su.exec(core)?.[1];
  if ([folded, compact, core, repeatedCore].some((candidate) => candidate && list.has(candidate))) return "common";

  const email = owner.email ? fold(owner.email.trim()) : "";
  const localPart = email.split("@")[0] ?? "";
  for (const part of [...(email.length >= 4 ? [email.replace(/[^\p{L}\p{N}@]+/gu, "")] : []), ...partsOf(localPart)]) {
    if (compact.replace(/[^\p{L}\p{N}@]+/gu, "").includes(part)) return "contains_email";
  }
  for (const part of owner.organizationName ? partsOf(owner.organizationName) : []) {
    if (compact.replace(/[^\p{L}\p{N}]+/gu, "").includes(part)) return "contains_clinic_name";
  }
  return null;
}

/**
 * Refuses a new password with a 400 naming the field, as every form and the CLI show it: the
 * code is `weak_password` and `params.reason` says which problem (PasswordProblem).
 */
export async function assertAcceptablePassword(password: string, owner: PasswordOwner, field = "password"): Promise<void> {
  const problem = await passwordProblem(password, owner);
  if (!problem) return;
  // The bound for the length problems, as a schema's own refusal carries it.
  const bound: FieldErrorParams = problem === "too_short" ? { minimum: PASSWORD_MIN_LENGTH } : problem === "too_long" ? { maximum: PASSWORD_MAX_LENGTH } : {};
  throw AppError.validation([{ field, message: PASSWORD_PROBLEMS[problem], code: "weak_password", params: { reason: problem, ...bound } }]);
}

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

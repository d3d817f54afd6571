import { z } from "zod";

/**
 * The characters a person's text may carry, in one place, for every schema that reads text from
 * outside (API bodies and queries, dashboard forms, the CLI).
 *
 * - Every string that reaches the database is "storable": no NUL (PostgreSQL refuses it in `text`
 *   and `\u0000` in `jsonb`) and no lone UTF-16 surrogate (refused in `jsonb`, mangled in `text`).
 *   A refusal here is a 400 naming the field, never a 500 from the database.
 * - Names (people, organizations, credentials, catalog codes) are one line of visible text: no
 *   control characters (Unicode Cc), no invisible formatting characters (Cf: bidi controls such as
 *   U+202E, zero-width U+200B–U+200D, U+2060, U+FEFF, soft hyphen U+00AD, tags…), no line or
 *   paragraph separators (U+2028/U+2029). A name shows in lists, CSV files, e-mails and call
 *   screens, where such characters can disguise one name as another or reorder what is shown.
 *   (The zero-width joiners are refused in names too: the clinics' names are Latin script.)
 * - Free text (chat messages, issue descriptions, webhook descriptions) may span lines: it keeps
 *   `\n` and `\t` (a `\r` or `\r\n` becomes `\n`), and the zero-width non-joiner/joiner U+200C/
 *   U+200D and emoji tag sequences (🏴󠁧󠁢󠁳󠁣󠁴󠁿), which emoji such as 👨‍👩‍👧 and some scripts need. It refuses every
 *   other control or formatting character, the bidi controls above all.
 */

export const INVISIBLE_CHARACTERS_MESSAGE = "must not contain control or invisible formatting characters";
export const UNSTORABLE_MESSAGE = "must not contain NUL characters or unpaired surrogates";
/** The field error `code` of a refusal by these rules. */
export const INVALID_CHARACTERS_CODE = "invalid_characters";

const UNSTORABLE = /[\u0000\p{Cs}]/u;
const NOT_IN_NAME = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u;
// Cc but tab and LF; Cf but ZWNJ/ZWJ (and emoji tags, removed before testing); separators; lone surrogates.
const NOT_IN_FREE_TEXT = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\p{Cs}\u2028\u2029]|(?![\u200C\u200D])\p{Cf}/u;
// A subdivision flag: black flag, tag letters, cancel tag.
const EMOJI_TAG_SEQUENCE = /\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}/gu;

/** Whether PostgreSQL can store `value` as `text` and inside `jsonb`. */
export function isStorable(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** Whether `value` is one line of visible text, fit for a name. */
export function isPlainName(value: string): boolean {
  return !NOT_IN_NAME.test(value);
}

/** Whether `value` (after normalizeLineBreaks) is fit for free text. */
export function isPlainFreeText(value: string): boolean {
  return !NOT_IN_FREE_TEXT.test(value.replace(EMOJI_TAG_SEQUENCE, ""));
}

/** `\r\n` and a lone `\r` as `\n`: one line break, whatever the sender's system. */
export function normalizeLineBreaks(value: string): string {
  return value.replace(/\r\n?/g, "\n");
}

const refusal = (message: string) => ({ message, params: { code: INVALID_CHARACTERS_CODE } });

/** The name rule on a string schema (keeps its type, so `.optional()` and friends still chain). */
export function plainName<T extends z.ZodType<string>>(schema: T): T {
  return schema.refine(isPlainName, refusal(INVISIBLE_CHARACTERS_MESSAGE)) as unknown as T;
}

/** The storable rule on a string schema: for codes, search terms, URLs and other technical text. */
export function storable<T extends z.ZodType<string>>(schema: T): T {
  return schema.refine(isStorable, refusal(UNSTORABLE_MESSAGE)) as unknown as T;
}

/** A string schema for free text: line breaks normalized, then checked by `schema` and the free-text rule. */
export function plainFreeText<T extends z.ZodType<string, string>>(schema: T) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
    .transform(normalizeLineBreaks)
    .pipe(schema)
    .refine(isPlainFreeText, refusal(INVISIBLE_CHARACTERS_MESSAGE));
}

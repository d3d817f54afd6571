import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldErrorsOf } from "@/lib/validation/field-errors";
import { isPlainFreeText, isPlainName, isStorable, plainFreeText, plainName } from "./text";

// Written as escapes so the test's own source shows what it tries.
const REFUSED_IN_NAMES: [string, string][] = [
  ["NUL", "\u0000"],
  ["BEL", "\u0007"],
  ["ESC", "\u001b"],
  ["DEL", "\u007f"],
  ["C1 control (CSI)", "\u009b"],
  ["line feed", "\n"],
  ["tab", "\t"],
  ["RIGHT-TO-LEFT OVERRIDE", "\u202e"],
  ["LEFT-TO-RIGHT EMBEDDING", "\u202a"],
  ["RIGHT-TO-LEFT ISOLATE", "\u2067"],
  ["POP DIRECTIONAL ISOLATE", "\u2069"],
  ["LEFT-TO-RIGHT MARK", "\u200e"],
  ["ARABIC LETTER MARK", "\u061c"],
  ["ZERO WIDTH SPACE", "\u200b"],
  ["ZERO WIDTH JOINER", "\u200d"],
  ["WORD JOINER", "\u2060"],
  ["BYTE ORDER MARK", "\ufeff"],
  ["SOFT HYPHEN", "\u00ad"],
  ["LINE SEPARATOR", "\u2028"],
  ["PARAGRAPH SEPARATOR", "\u2029"],
  ["TAG LATIN SMALL LETTER A", "\u{e0061}"],
  ["unpaired high surrogate", "\ud800"],
  ["unpaired low surrogate", "\udc00"],
];

describe("item 10: names refuse control and invisible formatting characters", () => {
  it.each(REFUSED_IN_NAMES)("refuses %s in a name", (_, character) => {
    expect(isPlainName(`Ana${character}López`)).toBe(false);
  });

  it("keeps names with accents, apostrophes, hyphens, ñ and other scripts", () => {
    for (const name of ["María-José O'Neil Ñúñez", "Dr. Juan Pérez", "Zoë Ångström", "Nguyễn Thị Minh", "李小龍", "Ολυμπία", "José  Ramón"]) {
      expect(isPlainName(name), name).toBe(true);
    }
  });

  it("reports a refusal with its own code and the message the issue asks for", () => {
    const schema = z.object({ name: plainName(z.string().trim().min(3)) });
    const result = schema.safeParse({ name: "Ana\u202eLópez" });
    expect(result.success).toBe(false);
    expect(fieldErrorsOf(result.error!, ["patient"])).toEqual([
      { field: "patient.name", code: "invalid_characters", message: "must not contain control or invisible formatting characters" },
    ]);
  });
});

describe("item 10: free text keeps lines and emoji, refuses controls and bidi", () => {
  it("keeps line breaks, tabs, ZWJ emoji sequences, flags and joiners that scripts need", () => {
    for (const text of [
      "Hola doctor,\n\tme duele la cabeza.",
      "👨‍👩‍👧 familia",
      "👍🏽 ok",
      "🏳️‍🌈",
      "🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scotland",
      "می‌خواهم", // Persian with ZERO WIDTH NON-JOINER
      "María-José O'Neil Ñúñez",
    ]) {
      expect(isPlainFreeText(text), JSON.stringify(text)).toBe(true);
    }
  });

  it.each(REFUSED_IN_NAMES.filter(([, c]) => !["\n", "\t", "\u200d"].includes(c)))("refuses %s in free text", (_, character) => {
    expect(isPlainFreeText(`hola${character}mundo`)).toBe(false);
  });

  it("refuses tag characters outside an emoji flag (hidden text)", () => {
    expect(isPlainFreeText("hola \u{e0069}\u{e0067}\u{e006e}\u{e006f}\u{e0072}\u{e0065}")).toBe(false);
  });

  it("turns CR LF and lone CR into LF", () => {
    const schema = plainFreeText(z.string().trim().max(50));
    expect(schema.parse("one\r\ntwo\rthree\n")).toBe("one\ntwo\nthree");
    expect(schema.safeParse("bell\u0007").success).toBe(false);
  });
});

describe("item 4: storable text", () => {
  it("refuses what PostgreSQL cannot store, keeps the rest", () => {
    expect(isStorable("a\u0000b")).toBe(false);
    expect(isStorable("a\ud800b")).toBe(false);
    expect(isStorable("a\u001b\u202e\u200bb 👨‍👩‍👧")).toBe(true);
  });
});

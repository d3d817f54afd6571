import { describe, expect, it } from "vitest";
import { localeFromAcceptLanguage, localeOfTag, resolveLocale } from "./locales";

describe("resolveLocale: first match wins", () => {
  const all = { query: "it", cookie: "es", participant: "en", organization: "es", acceptLanguage: "it-IT" };

  it("takes the link's ?language= over everything", () => {
    expect(resolveLocale(all)).toBe("it");
  });
  it("then the person's choice, the participant's language, the clinic's, the browser's, English", () => {
    expect(resolveLocale({ ...all, query: null })).toBe("es");
    expect(resolveLocale({ ...all, query: null, cookie: undefined, participant: "it" })).toBe("it");
    expect(resolveLocale({ ...all, query: null, cookie: undefined, participant: null })).toBe("es");
    expect(resolveLocale({ acceptLanguage: "it-IT,it;q=0.9" })).toBe("it");
    expect(resolveLocale({})).toBe("en");
  });
  it("skips what is not one of ours instead of failing", () => {
    expect(resolveLocale({ query: "de", cookie: "../../etc", participant: "", organization: "fr", acceptLanguage: "de-DE" })).toBe("en");
    expect(resolveLocale({ query: "ES-co", cookie: "it" })).toBe("es");
  });
});

describe("Accept-Language", () => {
  it("ranks by q-value, ties in the header's order", () => {
    expect(localeFromAcceptLanguage("de-DE,de;q=0.9,it;q=0.5,es;q=0.8")).toBe("es");
    expect(localeFromAcceptLanguage("fr, it, es")).toBe("it");
  });
  it("ignores q=0, the wildcard and malformed parts", () => {
    expect(localeFromAcceptLanguage("es;q=0, *;q=0.5, en;q=0.1")).toBe("en");
    expect(localeFromAcceptLanguage("*")).toBeUndefined();
    expect(localeFromAcceptLanguage(";;;,,,q=1")).toBeUndefined();
    expect(localeFromAcceptLanguage("es;q=abc")).toBe("es");
    expect(localeFromAcceptLanguage("x".repeat(5000))).toBeUndefined();
  });
  it("reads a tag's primary language only", () => {
    expect(localeOfTag("it_CH")).toBe("it");
    expect(localeOfTag("eng")).toBeUndefined();
  });
});

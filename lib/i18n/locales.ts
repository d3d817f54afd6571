/**
 * The languages people read the product in, and which one a request gets. Pure: the request's
 * facts come in (i18n/request.ts gathers them), a locale comes out.
 */

/** Spanish, English and Italian: the contract's `language` values, and every catalog in messages/. */
export const LOCALES = ["es", "en", "it"] as const;
export type Locale = (typeof LOCALES)[number];

/** When nothing else says: English. */
export const DEFAULT_LOCALE: Locale = "en";

/** The person's own choice from a switcher, in the cookie next-intl uses. */
export const LOCALE_COOKIE = "NEXT_LOCALE";
/** A year: a choice outlives a visit. */
export const LOCALE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600;

/** Set by proxy.ts on every page request, for i18n/request.ts: the path, and the link's `?language=`. */
export const PATH_HEADER = "x-telemed-path";
export const LINK_LANGUAGE_HEADER = "x-telemed-language";

/** Each language's name in itself, as a switcher lists it. */
export const LOCALE_NAMES: Record<Locale, string> = { es: "Español", en: "English", it: "Italiano" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** A locale from a tag such as `es-CO` or `IT`: its primary language, when it is one of ours. */
export function localeOfTag(tag: string | null | undefined): Locale | undefined {
  const primary = tag?.trim().split(/[-_]/)[0]?.toLowerCase();
  return isLocale(primary) ? primary : undefined;
}

/**
 * The best of ours for an `Accept-Language` header, by its q-values (ties keep the header's
 * order); undefined when it names none of ours or is malformed. `*` does not count: it says
 * nothing about what the person reads.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale | undefined {
  if (!header || header.length > 1000) return undefined;
  const ranked = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { locale: localeOfTag(tag), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry): entry is { locale: Locale; q: number; index: number } => entry.locale !== undefined && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.locale;
}

/** What a request says about language, strongest first (see resolveLocale). */
export type LocaleHints = {
  /** `?language=` on the link. */
  query?: string | null;
  /** The `NEXT_LOCALE` cookie: the person's choice from a switcher. */
  cookie?: string | null;
  /** The participant's `language` (the teleconsultation API's, or a chat user's). */
  participant?: string | null;
  /** The organization's default language (its profile). */
  organization?: string | null;
  /** The browser's `Accept-Language`. */
  acceptLanguage?: string | null;
};

/**
 * First match wins: the link's `?language=`, the person's own choice, the participant's
 * language, the organization's, the browser's, English. A value that is not one of ours is
 * skipped, never an error: a stale cookie or an odd header must not break a page.
 */
export function resolveLocale(hints: LocaleHints): Locale {
  return (
    localeOfTag(hints.query) ??
    localeOfTag(hints.cookie) ??
    localeOfTag(hints.participant) ??
    localeOfTag(hints.organization) ??
    localeFromAcceptLanguage(hints.acceptLanguage) ??
    DEFAULT_LOCALE
  );
}

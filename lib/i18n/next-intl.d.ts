import type en from "@/messages/en.json";
import type { Locale } from "./locales";

// Every key a component asks for must exist in the English catalog: a missing one fails the
// type check, and so the build. The other catalogs are held to the same keys by
// test/i18n/catalogs.test.ts.
declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: typeof en;
  }
}

import { createFormatter } from "next-intl";
import { describe, expect, it } from "vitest";
import { timeSpan } from "@/components/dashboard/formats";

describe("a consultation's times on My day", () => {
  const at = (iso: string) => new Date(iso);
  it("are two times of day, on a 24-hour clock, in each language", () => {
    const span = (locale: "en" | "es" | "it") => timeSpan(createFormatter({ locale, timeZone: "America/Bogota" }), at("2026-12-05T14:00:00Z"), at("2026-12-05T14:20:00Z"));
    expect([span("en"), span("es"), span("it")]).toEqual(["09:00 – 09:20", "9:00 – 9:20", "09:00 – 09:20"]);
    expect(timeSpan(createFormatter({ locale: "en", timeZone: "America/Bogota" }), at("2026-12-05T20:30:00Z"), at("2026-12-05T21:00:00Z"))).toBe("15:30 – 16:00");
  });

  it("stay two times across midnight, not two dates in full (which made the phone's page scroll sideways)", () => {
    const format = createFormatter({ locale: "en", timeZone: "America/Bogota" });
    expect(timeSpan(format, at("2026-12-06T04:50:00Z"), at("2026-12-06T05:10:00Z"))).toBe("23:50 – 00:10");
  });
});

import { createTranslator } from "next-intl";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { LOCALES } from "@/lib/i18n/locales";
import en from "@/messages/en.json";
import es from "@/messages/es.json";
import it from "@/messages/it.json";
import { fieldMessage, isNotFound, refusalText, refusedFormIn, type FormsTranslator } from "./form-state";

const CATALOGS = { en, es, it };
const words = (locale: (typeof LOCALES)[number]): FormsTranslator => createTranslator({ locale, messages: CATALOGS[locale], namespace: "Forms" });
const t = words("en");
const NEED_ATTENTION = "Some fields need attention; each one says what is wrong.";

describe("refusedFormIn", () => {
  test("puts each field's first message on it, by its code, with the usual summary for invalid fields", () => {
    const error = AppError.validation([
      { field: "name", message: "is required", code: "too_small", params: { minimum: 1, origin: "string" } },
      { field: "name", message: "must be at most 120 characters", code: "too_big", params: { maximum: 120, origin: "string" } },
      { field: "timezone", message: "must be at least 3 characters", code: "too_small", params: { minimum: 3, origin: "string" } },
    ]);
    expect(refusedFormIn(t, error)).toEqual({ fieldErrors: { name: "is required", timezone: "must be at least 3 characters" }, formError: NEED_ATTENTION });
  });

  test("a refusal that is not about fields is said by its code; a conflict naming a field keeps its own summary", () => {
    expect(refusedFormIn(t, AppError.conflict("own_account", "You cannot change your own role."))).toEqual({
      fieldErrors: {},
      formError: "You cannot change your own role or deactivate your own account. Another admin can.",
    });
    const taken = AppError.conflict("email_taken", "A staff account with this email already exists.", [{ field: "email", message: "is taken", code: "email_taken" }]);
    expect(refusedFormIn(t, taken)).toEqual({ fieldErrors: { email: "is already used by a staff account" }, formError: "A staff account with this email already exists." });
  });

  test("reads a ZodError as invalid fields, carrying the rule's numbers", () => {
    const parsed = z.object({ url: z.string(), name: z.string().min(10), events: z.array(z.string()).min(1), email: z.email() }).safeParse({ name: "Ana", events: [], email: "no" });
    expect(parsed.success).toBe(false);
    const refused = refusedFormIn(t, parsed.error);
    expect(refused).toEqual({
      fieldErrors: { url: "is required", name: "must be at least 10 characters", events: "must have at least 1 item", email: "must be a valid email address" },
      formError: NEED_ATTENTION,
    });
  });

  test("words a refusal the form's way: its field names, its messages, its summary", () => {
    const error = AppError.validation([
      { field: "provider", message: "has another consultation", code: "schedule_conflict" },
      { field: "medicalSpecialtyCode", message: "is required when professionalType is 2", code: "specialty_required" },
      { field: "scheduledAt", message: "is required for a scheduled consultation", code: "required" },
    ]);
    const refused = refusedFormIn(t, error, {
      field: (f) => (f === "provider" ? "providerId" : f),
      message: (d) => (d.field === "scheduledAt" ? "is required for a scheduled one" : undefined),
      summary: (_error, _fields, usual) => `Pick another time. (${usual})`,
    });
    expect(refused).toEqual({
      fieldErrors: { providerId: "already has a live consultation overlapping this time", medicalSpecialtyCode: "is required for a specialist", scheduledAt: "is required for a scheduled one" },
      formError: `Pick another time. (${NEED_ATTENTION})`,
    });
  });

  test("rethrows a server fault or anything that is not a refusal (a redirect, a bug)", () => {
    const fault = new Error("boom");
    expect(() => refusedFormIn(t, fault)).toThrow(fault);
    expect(() => refusedFormIn(t, new AppError("internal_error", "Something broke."))).toThrow("Something broke.");
  });
});

describe("fieldMessage: a field's refusal in the reader's language, never the API's English", () => {
  const detail = (code: string, params?: Record<string, string | number>, field = "name") => ({ field, code, message: "the API's English", params });

  test.each(LOCALES)("%s: every code the forms meet has words of its own, with its numbers", (locale) => {
    const say = words(locale);
    const said = [
      fieldMessage(say, detail("too_small", { minimum: 12, origin: "string" })),
      fieldMessage(say, detail("too_big", { maximum: 200, origin: "string" })),
      fieldMessage(say, detail("weak_password", { reason: "common" })),
      fieldMessage(say, detail("insufficient_notice", { minutes: 15 }, "scheduledAt")),
      fieldMessage(say, detail("document_taken", { holder: "Dra. Ana Ruiz", active: "false" }, "documentNumber")),
    ];
    for (const text of said) expect(text).not.toContain("the API's English");
    expect(said[0]).toContain("12");
    expect(said[1]).toContain("200");
    expect(said[3]).toContain("15");
    expect(said[4]).toContain("Dra. Ana Ruiz");
  });

  test("Spanish and Italian say it their way", () => {
    expect(fieldMessage(words("es"), detail("too_small", { minimum: 12, origin: "string" }))).toBe("debe tener al menos 12 caracteres");
    expect(fieldMessage(words("it"), detail("too_small", { minimum: 12, origin: "string" }))).toBe("deve contenere almeno 12 caratteri");
    expect(fieldMessage(words("es"), detail("custom", undefined, "patient.phone"))).toContain("formato internacional");
    expect(fieldMessage(words("it"), detail("weak_password", { reason: "contains_clinic_name" }, "password"))).toBe("non deve contenere il nome della clinica");
  });

  test("a code it does not know still reads as translated text", () => {
    expect(fieldMessage(words("es"), detail("some_new_rule"))).toBe("el valor no es válido");
    expect(fieldMessage(words("it"), detail("weak_password", { reason: "some_new_reason" }))).toContain("troppo facile");
    expect(refusalText(words("es"), new AppError("rate_limited", "Rate limit exceeded."))).toBe("No se pudo completar la acción. Recargue la página e inténtelo de nuevo.");
  });
});

describe("isNotFound", () => {
  test("tells a not-found refusal apart", () => {
    expect(isNotFound(AppError.notFound("Provider"))).toBe(true);
    expect(isNotFound(AppError.conflict("own_account", "no"))).toBe(false);
    expect(isNotFound(new Error("boom"))).toBe(false);
  });
});

import { describe, expect, test } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { FIELDS_NEED_ATTENTION, isNotFound, refusalMessage, refusedForm } from "./form-state";

describe("refusedForm", () => {
  test("puts each field's first message on it, with the usual summary for invalid fields", () => {
    const error = AppError.validation([
      { field: "name", message: "is required", code: "invalid" },
      { field: "name", message: "must be at most 120 characters", code: "too_big" },
      { field: "timezone", message: "must be an IANA timezone", code: "invalid" },
    ]);
    expect(refusedForm(error)).toEqual({ fieldErrors: { name: "is required", timezone: "must be an IANA timezone" }, formError: FIELDS_NEED_ATTENTION });
  });

  test("a refusal that is not about fields is said as the error's message", () => {
    expect(refusedForm(AppError.conflict("own_account", "You cannot change your own role."))).toEqual({ fieldErrors: {}, formError: "You cannot change your own role." });
    // A conflict naming a field keeps its own message as the summary.
    const taken = AppError.conflict("email_taken", "A staff account with this email already exists.", [{ field: "email", message: "is taken", code: "email_taken" }]);
    expect(refusedForm(taken)).toEqual({ fieldErrors: { email: "is taken" }, formError: "A staff account with this email already exists." });
  });

  test("reads a ZodError as invalid fields", () => {
    const parsed = z.object({ url: z.string() }).safeParse({});
    expect(parsed.success).toBe(false);
    const refused = refusedForm(parsed.error);
    expect(Object.keys(refused.fieldErrors)).toEqual(["url"]);
    expect(refused.formError).toBe(FIELDS_NEED_ATTENTION);
  });

  test("words a refusal the form's way: its field names, its summary, the label's wording", () => {
    const error = AppError.validation([
      { field: "provider", message: "has another consultation", code: "schedule_conflict" },
      { field: "medicalSpecialtyCode", message: "is required when professionalType is 2", code: "specialty_required" },
    ]);
    const refused = refusedForm(error, { field: (f) => (f === "provider" ? "providerId" : f), summary: () => "Pick another time." });
    expect(refused).toEqual({
      fieldErrors: { providerId: "has another consultation", medicalSpecialtyCode: "is required for a specialist" },
      formError: "Pick another time.",
    });
  });

  test("rethrows a server fault or anything that is not a refusal (a redirect, a bug)", () => {
    const fault = new Error("boom");
    expect(() => refusedForm(fault)).toThrow(fault);
    expect(() => refusedForm(new AppError("internal_error", "Something broke."))).toThrow("Something broke.");
  });
});

describe("refusalMessage and isNotFound", () => {
  test("a row action's refusal is its message; a fault is rethrown", () => {
    expect(refusalMessage(AppError.notFound("Consultation"))).toBe("Consultation was not found.");
    expect(() => refusalMessage(new Error("boom"))).toThrow("boom");
  });

  test("tells a not-found refusal apart", () => {
    expect(isNotFound(AppError.notFound("Provider"))).toBe(true);
    expect(isNotFound(AppError.conflict("own_account", "no"))).toBe(false);
    expect(isNotFound(new Error("boom"))).toBe(false);
  });
});

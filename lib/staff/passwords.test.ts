import { describe, expect, test } from "vitest";
import type { AppError } from "@/lib/errors";
import { assertAcceptablePassword, PASSWORD_PROBLEMS, passwordProblem } from "./passwords";

const owner = { email: "rosa.martinez@saludtotal.example", organizationName: "Clínica Salud Total" };

describe("item 13: the password rule", () => {
  test("each problem is a code with its English words, which the refusal carries", async () => {
    const refused = await assertAcceptablePassword("password1234", owner).catch((error: unknown) => error as AppError);
    expect(refused?.details).toEqual([{ field: "password", code: "weak_password", message: PASSWORD_PROBLEMS.common, params: { reason: "common" } }]);
  });

  test("refuses a repeated character, short repeated patterns and simple sequences", async () => {
    for (const weak of ["aaaaaaaaaaaa", "AAAAAAAAAAAAAAAA", "abababababab", "123123123123", "abcdefghijkl", "123456789012", "098765432109", "qwertyuiopas", "zyxwvutsrqpo"]) {
      expect(await passwordProblem(weak, owner), weak).toMatch(/^(repeated_pattern|sequence)$/);
    }
  });

  test("refuses common and breached passwords from the shipped list, also with digits stuck on or repeated", async () => {
    for (const weak of ["password1234", "Password1234", "iloveyou2024", "Password123456!", "letmeinletmein", "1q2w3e4r5t6y", "sunshine12345", "qwerty123456"]) {
      expect(await passwordProblem(weak, owner), weak).toBe("common");
    }
  });

  test("refuses a password containing the email, its local part or the clinic's name, whatever the case and accents", async () => {
    expect(await passwordProblem("Rosa.Martinez is me 42", owner)).toBe("contains_email");
    expect(await passwordProblem("rosa.martinez@saludtotal.example", owner)).toBe("contains_email");
    expect(await passwordProblem("my secret MARTINEZ words", owner)).toBe("contains_email");
    expect(await passwordProblem("Clinica Salud Total 2026!", owner)).toBe("contains_clinic_name");
    expect(await passwordProblem("working at saludtotal forever", owner)).toBe("contains_clinic_name");
    // Parts shorter than 4 characters are too common to refuse.
    expect(await passwordProblem("ana went to the hills", { email: "ana@x.example", organizationName: "IPS" })).toBeNull();
  });

  test("accepts long passphrases and random strings, and still checks the length", async () => {
    for (const good of ["correct horse battery", "three unrelated words", "a brand new password", "bench staff password, long enough", "vK3x9-LmQ2rT"]) {
      expect(await passwordProblem(good, owner), good).toBeNull();
    }
    expect(await passwordProblem("short", owner)).toBe("too_short");
    expect(await passwordProblem("x".repeat(201), owner)).toBe("too_long");
  });
});

import { describe, expect, test } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { contractErrorResponse, errorResponse } from "./envelope";

describe("the error envelope's details", () => {
  test("are field, message and code only: a rule's params are the dashboard's, never sent", async () => {
    const refused = AppError.validation([{ field: "name", message: "must be at least 10 characters", code: "too_small", params: { minimum: 10, origin: "string" } }]);
    const body = await errorResponse(refused, "req").json();
    expect(body.error.details).toEqual([{ field: "name", message: "must be at least 10 characters", code: "too_small" }]);
    const contract = await contractErrorResponse(refused, "req").json();
    expect(contract.details).toEqual([{ field: "name", message: "must be at least 10 characters", code: "too_small" }]);
  });

  test("a ZodError's details say what they said before params were carried", async () => {
    const parsed = z.object({ name: z.string().min(10, "must be at least 10 characters") }).safeParse({ name: "Ana" });
    const body = await errorResponse(parsed.error, "req").json();
    expect(body.error).toMatchObject({ code: "validation_error", details: [{ field: "name", message: "must be at least 10 characters", code: "too_small" }] });
    expect(Object.keys(body.error.details[0]).sort()).toEqual(["code", "field", "message"]);
  });
});

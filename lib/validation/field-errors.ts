import type { ZodError } from "zod";
import type { FieldError, FieldErrorParams } from "@/lib/errors";

type Issue = ZodError["issues"][number];

/**
 * What a rule needs to be said in another language: its bound (`minimum`, `maximum`, and what it
 * counts: `origin` string, array, number), its `format` (email, url, regex), the values it allows,
 * and a refinement's own primitive params (`params: { names }`). Never the input itself.
 */
function paramsOf(issue: Issue): FieldErrorParams | undefined {
  const params: FieldErrorParams = {};
  const add = (key: string, value: unknown) => {
    if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value))) params[key] = value;
    else if (typeof value === "bigint") params[key] = Number(value);
  };
  switch (issue.code) {
    case "too_small":
      add("minimum", issue.minimum);
      add("origin", issue.origin);
      break;
    case "too_big":
      add("maximum", issue.maximum);
      add("origin", issue.origin);
      break;
    case "invalid_format":
      add("format", issue.format);
      break;
    case "invalid_value":
      add("values", issue.values.map(String).join(", "));
      break;
    case "invalid_type":
      add("expected", issue.expected);
      break;
    case "custom":
      for (const [key, value] of Object.entries(issue.params ?? {})) if (key !== "code") add(key, value);
      break;
  }
  return Object.keys(params).length > 0 ? params : undefined;
}

/**
 * Zod issues as the envelope's field errors: one per field, with the dotted path. A refinement
 * may name its own code (`params: { code }`, as lib/validation/text.ts does) instead of "custom".
 * `params` carry the rule's numbers for the dashboard (the API's envelope leaves them out).
 */
export function fieldErrorsOf(error: ZodError, prefix: (string | number)[] = []): FieldError[] {
  return error.issues.map((issue) => {
    const params = paramsOf(issue);
    return {
      field: [...prefix, ...issue.path].map(String).join(".") || "body",
      message: issue.message,
      code: issue.code === "custom" && typeof issue.params?.code === "string" ? issue.params.code : issue.code,
      ...(params ? { params } : {}),
    };
  });
}

/** The first problem of each field: a value that breaks two rules (a `javascript:` address, say) is told once. */
export function firstPerField(details: FieldError[]): FieldError[] {
  return details.filter((detail, i) => details.findIndex((d) => d.field === detail.field) === i);
}

import { z } from "zod";

/**
 * A submitted form as a plain object for its zod schema: a field sent once is a string, a field
 * sent more than once (a group of checkboxes) a list. The framework's own fields (`$ACTION_…`)
 * are left out.
 */
export function formObject(form: FormData): Record<string, string | string[]> {
  const object: Record<string, string | string[]> = {};
  for (const [name, value] of form.entries()) {
    if (name.startsWith("$")) continue;
    const previous = object[name];
    object[name] = previous === undefined ? String(value) : [previous, String(value)].flat();
  }
  return object;
}

/** A text field; an absent one reads as empty, as the browser sends an untouched input. */
export const formText = z.string().default("");

/** A checkbox: checked is sent as "on", unchecked is not sent. */
export const formCheckbox = z
  .string()
  .optional()
  .transform((value) => value === "on");

/** A group of checkboxes with one name: the checked values, possibly none. */
export const formList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : [value].flat()));

import { describe, expect, test } from "vitest";
import { z } from "zod";
import { formCheckbox, formList, formObject, formText } from "./read";

describe("formObject", () => {
  test("one value is a string, a repeated field a list, and the framework's own fields are left out", () => {
    const form = new FormData();
    form.set("url", "https://example.com/hook");
    form.append("events", "consultation.created");
    form.append("events", "consultation.completed");
    form.set("$ACTION_ID_abc", "");
    expect(formObject(form)).toEqual({ url: "https://example.com/hook", events: ["consultation.created", "consultation.completed"] });
  });

  test("the field readers: absent text is empty, a checkbox is on or off, a group is a list", () => {
    const schema = z.object({ name: formText, enabled: formCheckbox, events: formList });
    expect(schema.parse({})).toEqual({ name: "", enabled: false, events: [] });
    expect(schema.parse({ name: "Ana", enabled: "on", events: "consultation.created" })).toEqual({ name: "Ana", enabled: true, events: ["consultation.created"] });
  });
});

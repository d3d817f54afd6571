import { describe, expect, it } from "vitest";
import { tellApart } from "./tell-apart";

describe("tellApart", () => {
  it("adds the document's type and last four digits to providers whose names collide, and nothing to the others", () => {
    const choices = tellApart([
      { id: "a", name: "Dr. Pedro Ruiz", documentType: "CC", documentNumber: "1098765432" },
      { id: "b", name: "dr. pedro  RUÍZ", documentType: "CE", documentNumber: "77881234" },
      { id: "c", name: "Dra. Ana Martínez", documentType: "CC", documentNumber: "9876543210" },
    ]);
    expect(choices).toEqual([
      { id: "a", name: "Dr. Pedro Ruiz", tellApart: "CC ···5432" },
      { id: "b", name: "dr. pedro  RUÍZ", tellApart: "CE ···1234" },
      { id: "c", name: "Dra. Ana Martínez", tellApart: null },
    ]);
    // The whole document never reaches the page.
    expect(JSON.stringify(choices)).not.toContain("1098765432");
  });
});

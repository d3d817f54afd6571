import { describe, expect, it } from "vitest";
import { gridShape } from "./call-grid";

/** A desktop browser's stage (1280×800 less the bars) and a 390×844 phone's, as the call screen measures them. */
const DESKTOP = { width: 1264, height: 640 };
const PHONE = { width: 382, height: 690 };
const GAP = 6;

describe("the group call's grid", () => {
  it("puts three people (two others and you) in two rows on a desktop, one under another on a phone", () => {
    expect(gridShape(3, DESKTOP.width, DESKTOP.height, GAP)).toEqual({ columns: 2, rows: 2 });
    expect(gridShape(3, PHONE.width, PHONE.height, GAP)).toEqual({ columns: 1, rows: 3 });
  });

  it("puts four people in two rows of two on a desktop; on an upright phone one under another, where each picture is larger than in two columns", () => {
    expect(gridShape(4, DESKTOP.width, DESKTOP.height, GAP)).toEqual({ columns: 2, rows: 2 });
    expect(gridShape(4, PHONE.width, PHONE.height, GAP)).toEqual({ columns: 1, rows: 4 });
    // A phone held sideways: all four in a row.
    expect(gridShape(4, PHONE.height, PHONE.width - 150, GAP)).toEqual({ columns: 4, rows: 1 });
  });

  it("keeps every tile inside the stage for any number of people up to LiveKit's 25, never with a whole empty row", () => {
    for (const stage of [DESKTOP, PHONE, { width: 900, height: 640 } /* desktop with the chat open */]) {
      for (let count = 2; count <= 25; count++) {
        const { columns, rows } = gridShape(count, stage.width, stage.height, GAP);
        expect(columns * rows, `${count} on ${stage.width}×${stage.height}`).toBeGreaterThanOrEqual(count);
        expect((rows - 1) * columns, `${count} on ${stage.width}×${stage.height}`).toBeLessThan(count);
        expect(columns).toBeLessThanOrEqual(count);
      }
    }
  });

  it("uses more columns on a wide stage than on an upright one for the same people", () => {
    expect(gridShape(6, DESKTOP.width, DESKTOP.height, GAP)).toEqual({ columns: 3, rows: 2 });
    expect(gridShape(6, PHONE.width, PHONE.height, GAP)).toEqual({ columns: 2, rows: 3 });
    expect(gridShape(25, DESKTOP.width, DESKTOP.height, GAP).columns).toBeGreaterThan(gridShape(25, PHONE.width, PHONE.height, GAP).columns);
  });

  it("is a single tile for one person or a stage not measured yet", () => {
    expect(gridShape(1, DESKTOP.width, DESKTOP.height)).toEqual({ columns: 1, rows: 1 });
    expect(gridShape(3, 0, 0)).toEqual({ columns: 1, rows: 1 });
  });
});

import { describe, expect, it } from "vitest";
import { backgroundImageOf, initialBackgroundChoice, offeredBackgrounds, parseStoredChoice, storedChoice, type BackgroundChoice } from "./background-choice";

const OFFICE = { alias: "office", url: "/api/backgrounds/office" };
const GARDEN = { alias: "garden", url: "/api/backgrounds/garden" };

describe("the background a call starts with", () => {
  it("is the clinic's default when the link says useBackground=true, whatever this browser chose before", () => {
    const first = initialBackgroundChoice({ useBackground: true, stored: { kind: "none" }, backgrounds: [OFFICE, GARDEN], defaultBackground: GARDEN });
    expect(first).toEqual({ kind: "image", alias: "garden" });
  });

  it("is a blur when the link says useBackground=true and the clinic set no default", () => {
    expect(initialBackgroundChoice({ useBackground: true, stored: null, backgrounds: [OFFICE], defaultBackground: null })).toEqual({ kind: "blur" });
  });

  it("is the person's own last choice in this browser without the parameter, else none", () => {
    expect(initialBackgroundChoice({ useBackground: false, stored: { kind: "blur" }, backgrounds: [], defaultBackground: OFFICE })).toEqual({ kind: "blur" });
    expect(initialBackgroundChoice({ useBackground: false, stored: { kind: "image", alias: "office" }, backgrounds: [OFFICE], defaultBackground: null })).toEqual({ kind: "image", alias: "office" });
    expect(initialBackgroundChoice({ useBackground: false, stored: null, backgrounds: [OFFICE], defaultBackground: OFFICE })).toEqual({ kind: "none" });
  });

  it("falls back to none when the remembered image is no longer one of the clinic's", () => {
    expect(initialBackgroundChoice({ useBackground: false, stored: { kind: "image", alias: "beach" }, backgrounds: [OFFICE], defaultBackground: null })).toEqual({ kind: "none" });
  });
});

describe("the remembered choice", () => {
  it("reads back what it stored", () => {
    const choices: BackgroundChoice[] = [{ kind: "none" }, { kind: "blur" }, { kind: "image", alias: "office-2" }];
    for (const choice of choices) expect(parseStoredChoice(storedChoice(choice))).toEqual(choice);
  });

  it("ignores a value it did not write", () => {
    for (const value of [null, undefined, "", "image:", "sepia", "{\"kind\":\"blur\"}"]) expect(parseStoredChoice(value)).toBeNull();
  });
});

describe("the clinic's backgrounds on offer", () => {
  it("include the default even when the list left it out, once", () => {
    expect(offeredBackgrounds({ backgrounds: [OFFICE], defaultBackground: GARDEN, useBackground: false })).toEqual([GARDEN, OFFICE]);
    expect(offeredBackgrounds({ backgrounds: [OFFICE, GARDEN], defaultBackground: GARDEN, useBackground: false })).toEqual([OFFICE, GARDEN]);
  });

  it("give the image a choice shows, or none for none, blur and a removed image", () => {
    expect(backgroundImageOf({ kind: "image", alias: "garden" }, [OFFICE, GARDEN])).toBe(GARDEN);
    expect(backgroundImageOf({ kind: "image", alias: "beach" }, [OFFICE])).toBeNull();
    expect(backgroundImageOf({ kind: "blur" }, [OFFICE])).toBeNull();
  });
});

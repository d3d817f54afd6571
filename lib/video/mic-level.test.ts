import { describe, expect, it } from "vitest";
import { levelOf, nextShownLevel } from "./mic-level";

const sine = (amplitude: number, length = 1024) => Float32Array.from({ length }, (_, i) => amplitude * Math.sin((2 * Math.PI * 440 * i) / 48_000));

describe("levelOf", () => {
  it("reads silence as 0 and a full-scale tone near 100", () => {
    expect(levelOf(new Float32Array(1024))).toBe(0);
    expect(levelOf(new Float32Array(0))).toBe(0);
    expect(levelOf(sine(1))).toBeGreaterThanOrEqual(94); // a sine's RMS is -3 dBFS
  });

  it("rises with loudness, and leaves a quiet room's hiss (-60 dBFS and below) at 0", () => {
    const speech = levelOf(sine(0.05)); // about -29 dBFS
    expect(speech).toBeGreaterThan(40);
    expect(speech).toBeLessThan(60);
    expect(levelOf(sine(0.3))).toBeGreaterThan(speech);
    expect(levelOf(sine(0.001))).toBe(0);
  });
});

describe("nextShownLevel", () => {
  it("jumps up at once and falls back gently", () => {
    expect(nextShownLevel(10, 70)).toBe(70);
    expect(nextShownLevel(70, 0)).toBe(64);
    expect(nextShownLevel(70, 66)).toBe(66);
    expect(nextShownLevel(3, 0)).toBe(0);
  });
});

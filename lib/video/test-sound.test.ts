import { describe, expect, it } from "vitest";
import { TEST_SOUND_SECONDS, testSoundSamples, testSoundWav } from "./test-sound";

describe("the test sound", () => {
  it("is a mono 16-bit PCM WAV file of about a second", () => {
    const wav = testSoundWav(22_050);
    const view = new DataView(wav.buffer);
    const text = (offset: number, length: number) => String.fromCharCode(...wav.slice(offset, offset + length));
    expect(text(0, 4)).toBe("RIFF");
    expect(text(8, 4)).toBe("WAVE");
    expect(view.getUint16(20, true)).toBe(1); // PCM
    expect(view.getUint16(22, true)).toBe(1); // mono
    expect(view.getUint32(24, true)).toBe(22_050);
    expect(view.getUint16(34, true)).toBe(16);
    expect(view.getUint32(40, true)).toBe(wav.length - 44);
    expect(view.getUint32(4, true)).toBe(wav.length - 8);
    expect((wav.length - 44) / 2 / 22_050).toBeCloseTo(TEST_SOUND_SECONDS, 2);
  });

  it("is audible, never clips, and starts and ends in silence (no click)", () => {
    const samples = testSoundSamples(48_000);
    const peak = Math.max(...samples.map(Math.abs));
    expect(peak).toBeGreaterThan(0.2);
    expect(peak).toBeLessThan(1);
    expect(Math.abs(samples[0]!)).toBeLessThan(0.01);
    expect(Math.abs(samples[samples.length - 1]!)).toBeLessThan(0.01);
  });
});

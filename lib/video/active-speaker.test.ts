import { describe, expect, it } from "vitest";
import { ActiveSpeaker, AudioLevelMeter, SAMPLE_INTERVAL_MS } from "./active-speaker";

/** One receiver's stats report as Chromium gives it: the inbound-rtp audio entry among others. */
function report(audio: { audioLevel?: number; totalAudioEnergy?: number; totalSamplesDuration?: number } | null): Map<string, unknown> {
  const entries: [string, unknown][] = [["T01", { id: "T01", type: "transport" }]];
  if (audio) entries.push(["IT01A", { id: "IT01A", type: "inbound-rtp", kind: "audio", ...audio }]);
  entries.push(["IT01V", { id: "IT01V", type: "inbound-rtp", kind: "video", audioLevel: 0.9 }]);
  return new Map(entries);
}

describe("a received stream's audio level", () => {
  it("is the root mean square over the interval from the energy and duration totals; the instant level only the first time", () => {
    const meter = new AudioLevelMeter();
    expect(meter.level("a", report({ audioLevel: 0.3, totalAudioEnergy: 1, totalSamplesDuration: 10 }))).toBe(0.3);
    // 0.25 s at a level of 0.1: energy grows by 0.1² × 0.25.
    expect(meter.level("a", report({ audioLevel: 0, totalAudioEnergy: 1 + 0.01 * 0.25, totalSamplesDuration: 10.25 }))).toBeCloseTo(0.1, 6);
    // Nothing received since (muted, or no packets): silent.
    expect(meter.level("a", report({ audioLevel: 0.5, totalAudioEnergy: 1.0025, totalSamplesDuration: 10.25 }))).toBe(0);
  });

  it("starts over when the totals go back (a new connection), and is 0 without received audio", () => {
    const meter = new AudioLevelMeter();
    meter.level("a", report({ audioLevel: 0, totalAudioEnergy: 5, totalSamplesDuration: 100 }));
    expect(meter.level("a", report({ audioLevel: 0.2, totalAudioEnergy: 0.01, totalSamplesDuration: 0.5 }))).toBe(0.2);
    expect(meter.level("a", report({ audioLevel: 0.2, totalAudioEnergy: 0.01 + 0.04 * 0.25, totalSamplesDuration: 0.75 }))).toBeCloseTo(0.2, 6);
    expect(meter.level("b", report(null))).toBe(0);
    expect(meter.level("c", report({ audioLevel: 0.07 }))).toBe(0.07); // no totals: the instant level
  });
});

describe("the active speaker", () => {
  const levels = (entries: Record<string, number>) => new Map(Object.entries(entries));

  it("is the loudest above the speaking level; nobody while everyone is quiet", () => {
    const speaker = new ActiveSpeaker();
    expect(speaker.update(levels({ ana: 0.005, luca: 0.01 }), 0)).toBeNull();
    expect(speaker.update(levels({ ana: 0.2, luca: 0.05 }), 250)).toBe("ana");
  });

  it("stays through a short pause, and goes after a long silence", () => {
    const speaker = new ActiveSpeaker();
    let t = 0;
    expect(speaker.update(levels({ ana: 0.2, luca: 0 }), t)).toBe("ana");
    for (let i = 0; i < 5; i++) expect(speaker.update(levels({ ana: 0, luca: 0 }), (t += SAMPLE_INTERVAL_MS))).toBe("ana"); // 1.25 s
    t += 2 * SAMPLE_INTERVAL_MS;
    expect(speaker.update(levels({ ana: 0, luca: 0 }), t)).toBeNull(); // past 1.5 s
  });

  it("moves to someone else only after they have been the loudest for half a second", () => {
    const speaker = new ActiveSpeaker();
    expect(speaker.update(levels({ ana: 0.2, luca: 0 }), 0)).toBe("ana");
    expect(speaker.update(levels({ ana: 0.05, luca: 0.3 }), 250)).toBe("ana"); // a cough
    expect(speaker.update(levels({ ana: 0.2, luca: 0 }), 500)).toBe("ana");
    expect(speaker.update(levels({ ana: 0.05, luca: 0.3 }), 750)).toBe("ana");
    expect(speaker.update(levels({ ana: 0, luca: 0.3 }), 1000)).toBe("luca");
  });

  it("is nobody once the speaker has left the call", () => {
    const speaker = new ActiveSpeaker();
    expect(speaker.update(levels({ ana: 0.2, luca: 0 }), 0)).toBe("ana");
    expect(speaker.update(levels({ luca: 0 }), 250)).toBeNull();
  });
});

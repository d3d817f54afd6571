import { describe, expect, it } from "vitest";
import { BACKGROUND_LEVELS, FIRST_STEP, nextStep, type FrameWindow, type StepState } from "./background-steps";

/** Three seconds of frames at `fps`, each taking `msPerFrame` to process. */
const frames = (fps: number, msPerFrame: number): FrameWindow => ({ seconds: 3, frames: fps * 3, processingMs: fps * 3 * msPerFrame });

/** Feeds windows one after another and returns every decision. */
function run(windows: FrameWindow[], cameraOn = true, start: StepState = FIRST_STEP) {
  let state = start;
  return windows.map((window) => {
    const next = nextStep(state, window, cameraOn);
    state = next.state;
    return next.decision;
  });
}

describe("the background effect's step-down on a slow device", () => {
  it("keeps full rate while processing takes a small share of the main thread", () => {
    // 30 frames a second at 8 ms each: a quarter of every second.
    expect(run([frames(30, 8), frames(30, 8), frames(30, 8)])).toEqual([{ action: "keep" }, { action: "keep" }, { action: "keep" }]);
  });

  it("does not step down for one slow window (a tab switch, a pause), only for two in a row", () => {
    expect(run([frames(30, 25), frames(30, 8), frames(30, 25), frames(30, 8)]).every((d) => d.action === "keep")).toBe(true);
    expect(run([frames(30, 25), frames(30, 25)])).toEqual([{ action: "keep" }, { action: "lower", level: 1, reason: "slow_processing" }]);
  });

  it("steps 30 → 15 → 10 frames a second and smaller frames, then turns the effect off, with the reason", () => {
    const slow = frames(30, 40); // more than the whole second: the call would freeze
    const decisions = run([slow, slow, slow, slow, slow, slow]);
    expect(decisions).toEqual([
      { action: "keep" },
      { action: "lower", level: 1, reason: "slow_processing" },
      { action: "keep" },
      { action: "lower", level: 2, reason: "slow_processing" },
      { action: "keep" },
      { action: "off", reason: "slow_processing" },
    ]);
    expect(BACKGROUND_LEVELS.map((l) => l.maxFps)).toEqual([30, 15, 10]);
    expect(BACKGROUND_LEVELS[1].maxWidth).toBeLessThan(BACKGROUND_LEVELS[0].maxWidth);
    expect(BACKGROUND_LEVELS[2].maxWidth).toBeLessThan(BACKGROUND_LEVELS[1].maxWidth);
  });

  it("stays at a lower step that the device copes with", () => {
    // At 15 frames a second, 25 ms each is 37.5 % of the thread: fine.
    expect(run([frames(15, 25), frames(15, 25), frames(15, 25)], true, { level: 1, overloadedInARow: 0 }).every((d) => d.action === "keep")).toBe(true);
  });

  it("steps down at once when no frame came out while the camera was on (the effect stalled), and turns off at the last step", () => {
    const stalled = { seconds: 3, frames: 0, processingMs: 0 };
    expect(run([stalled])).toEqual([{ action: "lower", level: 1, reason: "stalled" }]);
    expect(run([stalled], true, { level: 2, overloadedInARow: 0 })).toEqual([{ action: "off", reason: "stalled" }]);
  });

  it("does not count a window without frames against the device while the camera is off", () => {
    expect(run([{ seconds: 3, frames: 0, processingMs: 0 }, { seconds: 3, frames: 0, processingMs: 0 }], false)).toEqual([{ action: "keep" }, { action: "keep" }]);
  });
});

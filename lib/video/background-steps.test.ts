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
    // 30 frames a second at 8 ms each: a quarter of every second; at 20 ms, still under three quarters.
    expect(run([frames(30, 8), frames(30, 20), frames(30, 8)])).toEqual([{ action: "keep" }, { action: "keep" }, { action: "keep" }]);
  });

  it("does not step down for one slow window (a tab switch, a pause), only for two in a row", () => {
    expect(run([frames(30, 30), frames(30, 8), frames(30, 30), frames(30, 8)]).every((d) => d.action === "keep")).toBe(true);
    expect(run([frames(30, 30), frames(30, 30)])).toEqual([{ action: "keep" }, { action: "lower", level: 1, reason: "slow_processing" }]);
  });

  it("steps 30 → 15 → 10 frames a second and smaller frames, then turns the effect off, with the reason", () => {
    // A device that cannot keep up at any step: all of every second goes to the effect, and at
    // the last step it still gives only 2 of its 10 frames a second.
    const decisions = run([frames(25, 40), frames(25, 40), frames(12, 70), frames(12, 70), frames(2, 480), frames(2, 480), frames(2, 480)]);
    expect(decisions).toEqual([
      { action: "keep" },
      { action: "lower", level: 1, reason: "slow_processing" },
      { action: "keep" },
      { action: "lower", level: 2, reason: "slow_processing" },
      { action: "keep" },
      { action: "keep" },
      { action: "off", reason: "slow_processing" },
    ]);
    expect(BACKGROUND_LEVELS.map((l) => l.maxFps)).toEqual([30, 15, 10]);
    expect(BACKGROUND_LEVELS[1].maxWidth).toBeLessThan(BACKGROUND_LEVELS[0].maxWidth);
    expect(BACKGROUND_LEVELS[2].maxWidth).toBeLessThan(BACKGROUND_LEVELS[1].maxWidth);
  });

  it("at the last step, keeps the effect while its video still moves, even on a busy page (turning off shows the room the person hid)", () => {
    const last = { level: BACKGROUND_LEVELS.length - 1, overloadedInARow: 0 };
    // 9 frames a second at 105 ms, or 4 at 240 ms: all of the thread, but the video keeps going.
    expect(run([frames(9, 105), frames(9, 105), frames(4, 240), frames(4, 240)], true, last).every((d) => d.action === "keep")).toBe(true);
    // 2 frames a second at 480 ms: the video would freeze.
    expect(run([frames(2, 480), frames(2, 480), frames(2, 480)], true, last)).toEqual([{ action: "keep" }, { action: "keep" }, { action: "off", reason: "slow_processing" }]);
  });

  it("stays at a lower step that the device copes with", () => {
    // At 15 frames a second, 40 ms each is 60 % of the thread: slow, but the call keeps going.
    expect(run([frames(15, 40), frames(15, 40), frames(15, 40)], true, { level: 1, overloadedInARow: 0 }).every((d) => d.action === "keep")).toBe(true);
  });

  it("steps down at once when no frame came out while the camera was on (the effect stalled), and turns off at the last step", () => {
    const stalled = { seconds: 3, frames: 0, processingMs: 0 };
    expect(run([stalled])).toEqual([{ action: "lower", level: 1, reason: "stalled" }]);
    expect(run([stalled], true, { level: 2, overloadedInARow: 0 })).toEqual([{ action: "off", reason: "stalled" }]);
  });

  it("does not count a window without frames against the device while the camera is off", () => {
    expect(run([{ seconds: 3, frames: 0, processingMs: 0 }, { seconds: 3, frames: 0, processingMs: 0 }], false)).toEqual([{ action: "keep" }, { action: "keep" }]);
  });

  it("never gives up while the camera is off, and counts afresh after it (giving up would show the room the moment the camera came back)", () => {
    const overloaded = { seconds: 3, frames: 6, processingMs: 2_900 }; // 97 % of the thread at 2 fps, at the last step
    const last: StepState = { level: BACKGROUND_LEVELS.length - 1, overloadedInARow: 2 };
    // Two overloaded windows already: with the camera on, a third would turn the effect off.
    expect(nextStep(last, overloaded, true).decision).toEqual({ action: "off", reason: "slow_processing" });
    const off = nextStep(last, overloaded, false);
    expect(off).toEqual({ state: { level: last.level, overloadedInARow: 0 }, decision: { action: "keep" } });
    // Back on: three overloaded windows again before it gives up.
    expect(run([overloaded, overloaded, overloaded], true, off.state)).toEqual([{ action: "keep" }, { action: "keep" }, { action: "off", reason: "slow_processing" }]);
  });
});

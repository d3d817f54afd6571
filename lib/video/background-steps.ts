/**
 * How the background effect steps down on a device too slow for it, rather than freezing the
 * call. Pure: lib/video/background.ts feeds it what the last few seconds of frames cost and does
 * what it says; the person is told (components/room/BackgroundPicker.tsx).
 *
 * The segmentation runs on the page's main thread (MediaPipe's `segmentForVideo` is
 * synchronous), so what matters is the share of each second it takes: past about half, the
 * page (the call's controls, the chat) starts to stutter, and past the whole second frames
 * queue up and the video freezes. Each step asks the camera copy that feeds the effect for
 * fewer, smaller frames; at the last one the effect turns itself off.
 */

/** What the effect is fed at each step: frames per second, and the widest frame. */
export const BACKGROUND_LEVELS = [
  { maxFps: 30, maxWidth: 1280 },
  { maxFps: 15, maxWidth: 640 },
  { maxFps: 10, maxWidth: 480 },
] as const;

export type BackgroundLevel = (typeof BACKGROUND_LEVELS)[number];

/** A few seconds of processed frames. */
export type FrameWindow = {
  /** How long the window lasted, in seconds. */
  seconds: number;
  /** Frames processed in it. */
  frames: number;
  /** Milliseconds spent processing them, in all (segmentation and drawing). */
  processingMs: number;
};

/** Over this share of the main thread, a window counts as overloaded. */
export const OVERLOAD_SHARE = 0.5;

/** Overloaded windows in a row before a step down: one slow window (a tab switch, a GC) is not a slow device. */
export const OVERLOADED_WINDOWS = 2;

export type StepReason = "slow_processing" | "stalled";

export type StepDecision =
  | { action: "keep" }
  | { action: "lower"; level: number; reason: StepReason }
  | { action: "off"; reason: StepReason };

export type StepState = { level: number; overloadedInARow: number };

export const FIRST_STEP: StepState = { level: 0, overloadedInARow: 0 };

/** The share of the window's time spent processing frames (0 idle … 1 every millisecond). */
export function processingShare(window: FrameWindow): number {
  if (window.seconds <= 0) return 0;
  return window.processingMs / (window.seconds * 1000);
}

/**
 * What to do after one more window. `stalled`: no frame came out of a window although the camera
 * was on (the processing fell so far behind that nothing is sent): no waiting for a second one.
 */
export function nextStep(state: StepState, window: FrameWindow, cameraOn: boolean): { state: StepState; decision: StepDecision } {
  const stalled = cameraOn && window.seconds >= 1 && window.frames === 0;
  const overloaded = stalled || processingShare(window) > OVERLOAD_SHARE;
  if (!overloaded) return { state: { level: state.level, overloadedInARow: 0 }, decision: { action: "keep" } };
  const inARow = state.overloadedInARow + 1;
  if (!stalled && inARow < OVERLOADED_WINDOWS) return { state: { level: state.level, overloadedInARow: inARow }, decision: { action: "keep" } };
  const reason: StepReason = stalled ? "stalled" : "slow_processing";
  const next = state.level + 1;
  if (next >= BACKGROUND_LEVELS.length) return { state: { level: state.level, overloadedInARow: 0 }, decision: { action: "off", reason } };
  return { state: { level: next, overloadedInARow: 0 }, decision: { action: "lower", level: next, reason } };
}

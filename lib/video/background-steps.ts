/**
 * How the background effect steps down on a device too slow for it, rather than freezing the
 * call. Pure: lib/video/background.ts feeds it what the last few seconds of frames cost and does
 * what it says; the person is told (components/room/BackgroundPicker.tsx).
 *
 * The segmentation runs on the page's main thread (MediaPipe's `segmentForVideo` is
 * synchronous, and so is drawing the result into a new frame), so what matters is the share of
 * each second it takes: past three quarters, the page (the call's controls, the chat) stutters,
 * and at the whole second the effect drops frames and the page stops answering. Each step asks
 * the camera copy that feeds the effect for fewer, smaller frames (the effect's cost grows with
 * both); at the last one the effect turns itself off.
 */

/** What the effect is fed at each step: frames per second, and the widest frame. */
export const BACKGROUND_LEVELS = [
  { maxFps: 30, maxWidth: 1280 },
  { maxFps: 15, maxWidth: 640 },
  { maxFps: 10, maxWidth: 320 },
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

/** Over this share of the main thread, a window counts as overloaded: the effect steps down. */
export const OVERLOAD_SHARE = 0.75;

/**
 * At the last step the effect turns off only when it takes over this share and still falls behind
 * (gives fewer than FALLING_BEHIND of the frames it is held to, 3 of 10 a second): it already
 * costs as little as it can there, and turning it off shows the room the person chose to hide, so
 * a busy page whose video still moves keeps it; a video that would freeze does not.
 */
export const GIVE_UP_SHARE = 0.9;
export const FALLING_BEHIND = 0.3;

/** Overloaded windows in a row before a step down: one slow window (a tab switch, a GC) is not a slow device. */
export const OVERLOADED_WINDOWS = 2;

/** At the last step, before turning off (which shows the room the person hid): a little more patience. */
export const OVERLOADED_WINDOWS_TO_GIVE_UP = 3;

/** Why the effect stepped down: it took too much of the page, it stalled, or (from the start) the browser draws its graphics in software. */
export type StepReason = "slow_processing" | "stalled" | "software_graphics";

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
 * With the camera off nothing is judged and the count starts over: nobody sees those frames, and
 * giving up then would show the room the person hid the moment the camera comes back.
 */
export function nextStep(state: StepState, window: FrameWindow, cameraOn: boolean): { state: StepState; decision: StepDecision } {
  if (!cameraOn) return { state: { level: state.level, overloadedInARow: 0 }, decision: { action: "keep" } };
  const stalled = window.seconds >= 1 && window.frames === 0;
  const last = state.level >= BACKGROUND_LEVELS.length - 1;
  const fps = window.seconds > 0 ? window.frames / window.seconds : 0;
  const overloaded =
    stalled ||
    (last
      ? processingShare(window) > GIVE_UP_SHARE && fps < FALLING_BEHIND * BACKGROUND_LEVELS[state.level]!.maxFps
      : processingShare(window) > OVERLOAD_SHARE);
  if (!overloaded) return { state: { level: state.level, overloadedInARow: 0 }, decision: { action: "keep" } };
  const inARow = state.overloadedInARow + 1;
  if (!stalled && inARow < (last ? OVERLOADED_WINDOWS_TO_GIVE_UP : OVERLOADED_WINDOWS)) return { state: { level: state.level, overloadedInARow: inARow }, decision: { action: "keep" } };
  const reason: StepReason = stalled ? "stalled" : "slow_processing";
  const next = state.level + 1;
  if (last) return { state: { level: state.level, overloadedInARow: 0 }, decision: { action: "off", reason } };
  return { state: { level: next, overloadedInARow: 0 }, decision: { action: "lower", level: next, reason } };
}

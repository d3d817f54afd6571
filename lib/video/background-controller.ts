/**
 * The person's background on a call, from the device check to the end of the call: which one
 * they chose, whether it runs, and the video track to show and send (the camera's, or the
 * processed one). The device check and the call screen subscribe to it; whichever holds it sends
 * `outgoing` where the camera would go (the preview, or CallTransport.replaceVideoTrack).
 *
 * Light on purpose: the effect itself (background.ts, with MediaPipe) is imported only when a
 * background is first turned on.
 */
import { backgroundImageOf, NO_BACKGROUND, sameChoice, type BackgroundChoice, type CallBackground } from "./background-choice";
import type { StepDecision, StepReason } from "./background-steps";
import type { BackgroundEffect, EffectSpec } from "./background";

export type BackgroundStatus = "off" | "loading" | "on" | "unsupported";

/** What the person is told about the effect, besides its status. */
export type BackgroundNotice =
  | { kind: "lowered"; maxFps: number; reason: StepReason }
  | { kind: "turned_off"; reason: StepReason }
  | { kind: "failed" }
  | null;

export type BackgroundState = {
  choice: BackgroundChoice;
  status: BackgroundStatus;
  notice: BackgroundNotice;
  /** The video track to show and send: the camera, or the processed track; null before the camera opens. */
  outgoing: MediaStreamTrack | null;
};

let supported: boolean | undefined;

/**
 * Whether this browser can run the effect: WebGL2, OffscreenCanvas, VideoFrame, and a way to
 * make a track from frames (MediaStreamTrackProcessor, or a canvas's captureStream). Checked once.
 */
export function backgroundEffectsSupported(): boolean {
  if (supported !== undefined) return supported;
  if (typeof window === "undefined") return false;
  const frames = typeof OffscreenCanvas !== "undefined" && typeof VideoFrame !== "undefined" && typeof createImageBitmap !== "undefined";
  const tracks =
    ("MediaStreamTrackProcessor" in window && "MediaStreamTrackGenerator" in window) ||
    (typeof HTMLCanvasElement !== "undefined" && "captureStream" in HTMLCanvasElement.prototype);
  let webgl2 = false;
  if (frames && tracks) {
    try {
      const canvas = document.createElement("canvas");
      const context = canvas.getContext("webgl2");
      webgl2 = context !== null;
      context?.getExtension("WEBGL_lose_context")?.loseContext();
    } catch {
      webgl2 = false;
    }
  }
  supported = frames && tracks && webgl2;
  return supported;
}

/** The notice for an effect that runs below full rate (it keeps showing while that lasts). */
function loweredNotice(effect: BackgroundEffect): BackgroundNotice {
  const reason = effect.lowered;
  return reason ? { kind: "lowered", maxFps: effect.maxFps, reason } : null;
}

export class BackgroundController {
  private state: BackgroundState;
  private readonly listeners = new Set<() => void>();
  private camera: MediaStreamTrack | null = null;
  private cameraOn = true;
  private effect: BackgroundEffect | null = null;
  private wanted: BackgroundChoice = NO_BACKGROUND;
  /** Changes run one at a time, in order; each applies whatever is wanted when its turn comes. */
  private queue: Promise<void> = Promise.resolve();

  private offered: readonly CallBackground[] = [];

  /** Starts with no background; the page checks what the browser can do (detectSupport) once it runs in one. */
  constructor() {
    this.state = { choice: NO_BACKGROUND, status: "off", notice: null, outgoing: null };
  }

  /** Marks the effect unsupported where the browser cannot run it (then nothing is offered). */
  detectSupport(canRun: boolean = backgroundEffectsSupported()) {
    if (!canRun && this.state.status !== "unsupported") {
      this.wanted = NO_BACKGROUND;
      this.set({ status: "unsupported", choice: NO_BACKGROUND });
    }
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): BackgroundState => this.state;

  /** The camera track as it is now (the processed track's source when an effect runs). */
  get cameraTrack(): MediaStreamTrack | null {
    return this.camera;
  }

  private set(next: Partial<BackgroundState>) {
    this.state = { ...this.state, ...next };
    for (const listener of this.listeners) listener();
  }

  /** A new camera (opened, changed in the device check, swapped in the call): the effect moves to it. */
  setCamera(track: MediaStreamTrack | null): Promise<void> {
    this.camera = track;
    if (track) track.enabled = this.cameraOn;
    return this.enqueue();
  }

  /** The person picked a background (or the page picked the first one). */
  choose(choice: BackgroundChoice): Promise<void> {
    if (this.state.status === "unsupported") return Promise.resolve();
    this.wanted = choice;
    this.set({ choice, notice: null });
    return this.enqueue();
  }

  /** Camera on or off: the camera, the effect's copy and the processed track follow. */
  setCameraOn(on: boolean) {
    this.cameraOn = on;
    if (this.camera) this.camera.enabled = on;
    this.effect?.setCameraOn(on);
    if (this.effect) this.effect.track.enabled = on;
  }

  /** The backgrounds the clinic offers. */
  get backgrounds(): readonly CallBackground[] {
    return this.offered;
  }

  setBackgrounds(backgrounds: readonly CallBackground[]) {
    this.offered = backgrounds;
  }

  /** Stops the effect and forgets the camera (which its owner stops). */
  close(): Promise<void> {
    this.camera = null;
    return this.enqueue();
  }

  private enqueue(): Promise<void> {
    this.queue = this.queue.then(() => this.apply()).catch(() => {});
    return this.queue;
  }

  private spec(choice: BackgroundChoice): EffectSpec | null {
    if (choice.kind === "blur") return { kind: "blur" };
    const image = backgroundImageOf(choice, this.offered);
    return image ? { kind: "image", url: image.url } : null;
  }

  private async stopEffect() {
    const effect = this.effect;
    this.effect = null;
    await effect?.stop().catch(() => {});
  }

  /** Makes the effect match what is wanted now: none, the same effect switched, or a new one. */
  private async apply(): Promise<void> {
    const camera = this.camera;
    const wanted = this.wanted;
    const spec = this.state.status === "unsupported" ? null : this.spec(wanted);
    if (!camera || !spec) {
      // The camera is shown before the processed track stops, so the picture never goes blank.
      this.set({ outgoing: camera, status: this.state.status === "unsupported" ? "unsupported" : "off" });
      await this.stopEffect();
      return;
    }
    if (this.effect && this.effect.camera === camera) {
      await this.effect.switchTo(spec);
      this.set({ status: "on", outgoing: this.effect.track, notice: loweredNotice(this.effect) });
      return;
    }
    // A new camera under a running effect: the old effect's track is sent until the new one is
    // ready, so the room behind the person is never shown in between.
    const previous = this.effect;
    this.effect = null;
    this.set(previous ? { status: "loading" } : { status: "loading", outgoing: camera });
    try {
      const { BackgroundEffect } = await import("./background");
      const effect = await BackgroundEffect.start(camera, spec, { onStep: (decision) => this.stepped(effect, decision) });
      this.effect = effect;
      effect.setCameraOn(this.cameraOn);
      effect.track.enabled = this.cameraOn;
      // Chosen otherwise, or another camera, while loading: the next turn in the queue deals with it.
      if (this.camera === camera && sameChoice(this.wanted, wanted)) {
        this.set({ status: "on", outgoing: effect.track, notice: loweredNotice(effect) });
      }
    } catch (error) {
      console.warn("background effect failed to start", error instanceof Error ? error.message : error);
      this.set({ outgoing: camera, status: "off" });
      if (this.camera === camera && sameChoice(this.wanted, wanted)) {
        this.wanted = NO_BACKGROUND;
        this.set({ choice: NO_BACKGROUND, notice: { kind: "failed" } });
      }
    } finally {
      await previous?.stop().catch(() => {});
    }
  }

  private stepped(effect: BackgroundEffect, decision: Exclude<StepDecision, { action: "keep" }>) {
    if (effect !== this.effect) return;
    if (decision.action === "lower") {
      this.set({ notice: { kind: "lowered", maxFps: effect.maxFps, reason: decision.reason } });
      return;
    }
    this.wanted = NO_BACKGROUND;
    this.set({ choice: NO_BACKGROUND, notice: { kind: "turned_off", reason: decision.reason } });
    void this.enqueue();
  }
}

/**
 * The background effect itself: blur or an image behind the person, on a camera track. Loaded
 * with `import()` only when someone turns a background on (background-controller.ts), so the
 * join page never downloads MediaPipe.
 *
 * `@livekit/track-processors` does the work (MediaPipe's selfie segmentation, then WebGL to
 * composite); it is used without a LiveKit room: its processor takes a camera track and gives a
 * processed track, which the call sends instead of the camera (CallTransport.replaceVideoTrack),
 * the same way on both transports. Its WebAssembly and the model come from this app
 * (background-assets.ts), never a CDN.
 *
 * The processor is fed a copy of the camera track, so stepping down (background-steps.ts: fewer,
 * smaller frames) changes only what the effect sees, and the camera itself is untouched for when
 * the effect is turned off.
 */
import { BackgroundProcessor, type BackgroundProcessorWrapper, type FrameProcessingStats } from "@livekit/track-processors";
import type { Track } from "livekit-client";
import { BACKGROUND_ASSETS_PATH, SEGMENTER_MODEL_FILE } from "./background-assets";
import { BACKGROUND_LEVELS, nextStep, processingShare, type FrameWindow, type StepDecision, type StepReason, type StepState } from "./background-steps";

/** What the effect puts behind the person. */
export type EffectSpec = { kind: "blur" } | { kind: "image"; url: string };

/**
 * How strong the blur is: the Gaussian's sigma in frame pixels (the processor blurs a quarter-size
 * copy with a quarter of it). Its default, 10, leaves a bookshelf or a face in a photo behind the
 * person readable; 24 turns them into patches of colour.
 */
const BLUR_RADIUS = 24;

/** How often the step-down policy looks at the frames, in milliseconds. */
const WINDOW_MS = 3000;

export type EffectEvents = {
  /** The effect stepped down, or gave up (then the owner turns it off). */
  onStep(decision: Exclude<StepDecision, { action: "keep" }>): void;
};

function switchOptions(spec: EffectSpec) {
  return spec.kind === "blur" ? ({ mode: "background-blur", blurRadius: BLUR_RADIUS } as const) : ({ mode: "virtual-background", imagePath: spec.url } as const);
}

/**
 * Whether the browser draws WebGL in software (no GPU, or one it does not trust: SwiftShader,
 * llvmpipe). Then every frame is segmented and composited on the CPU, several times slower.
 * (MediaPipe's CPU segmentation would be faster there, but with it the processor composites the
 * person misplaced on frames of any size but the first it saw: the GPU path is used everywhere.)
 */
function softwareGraphics(): boolean {
  try {
    const gl = document.createElement("canvas").getContext("webgl2");
    if (!gl) return true;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return /swiftshader|llvmpipe|lavapipe|software/i.test(renderer);
  } catch {
    return false;
  }
}

/** Fewer, smaller frames from the camera copy: both the segmentation and the drawing cost less. */
async function constrain(source: MediaStreamTrack, level: number): Promise<void> {
  const { maxFps, maxWidth } = BACKGROUND_LEVELS[level]!;
  await source.applyConstraints({ frameRate: { max: maxFps }, width: { max: maxWidth } }).catch(() => {});
}

/**
 * The browser tests' machines have no GPU, and there the effect runs near its give-up point: a
 * test of something else (a camera toggle, a switch of background) sets this on the page so the
 * effect never turns itself off under it. The give-up itself is covered by background-steps.test.ts.
 */
const NEVER_GIVE_UP_FLAG = "__telemedBackgroundNeverGivesUp";
function neverGivesUp(): boolean {
  return (globalThis as Record<string, unknown>)[NEVER_GIVE_UP_FLAG] === true;
}

export class BackgroundEffect {
  private window: FrameWindow = { seconds: 0, frames: 0, processingMs: 0 };
  private step: StepState;
  private windowStarted = performance.now();
  private timer: ReturnType<typeof setInterval> | undefined;
  private cameraOn = true;
  /** The first window after a start or a step includes warming up (shaders, the model's first run): not judged. */
  private warmingUp = true;
  private stopped = false;
  private loweredBecause: StepReason = "software_graphics";

  private constructor(
    /** The camera track the effect was started on (the caller's; never stopped here). */
    readonly camera: MediaStreamTrack,
    private readonly source: MediaStreamTrack,
    private readonly element: HTMLVideoElement,
    private readonly processor: BackgroundProcessorWrapper,
    /** What to send and show instead of the camera. */
    readonly track: MediaStreamTrack,
    private readonly events: EffectEvents,
    startLevel: number,
  ) {
    this.step = { level: startLevel, overloadedInARow: 0 };
    this.timer = setInterval(() => this.judge(), WINDOW_MS);
  }

  /** Why the effect runs below full rate, or null at full rate. */
  get lowered(): StepReason | null {
    return this.step.level > 0 ? this.loweredBecause : null;
  }

  /** Starts the effect on `camera`; resolves once the model is loaded and the processed track exists. */
  static async start(camera: MediaStreamTrack, spec: EffectSpec, events: EffectEvents): Promise<BackgroundEffect> {
    const source = camera.clone();
    source.enabled = camera.enabled;
    // Without graphics acceleration, at full rate the effect would only freeze the call: it
    // starts at the last step, and says so.
    const startLevel = softwareGraphics() ? BACKGROUND_LEVELS.length - 1 : 0;
    if (startLevel > 0) await constrain(source, startLevel);
    // The processor reads the frames' size from a playing <video> of the track it processes.
    const element = document.createElement("video");
    element.muted = true;
    element.playsInline = true;
    element.srcObject = new MediaStream([source]);
    let effect: BackgroundEffect | undefined;
    const processor = BackgroundProcessor({
      ...switchOptions(spec),
      assetPaths: { tasksVisionFileSet: BACKGROUND_ASSETS_PATH, modelAssetPath: `${BACKGROUND_ASSETS_PATH}/${SEGMENTER_MODEL_FILE}` },
      maxFps: BACKGROUND_LEVELS[0].maxFps,
      segmenterOptions: { delegate: "GPU" },
      onFrameProcessed: (stats) => effect?.counted(stats),
    });
    try {
      await element.play();
      await processor.init({ kind: "video" as Track.Kind, track: source, element });
      const track = processor.processedTrack;
      if (!track) throw new Error("the background processor gave no track");
      effect = new BackgroundEffect(camera, source, element, processor, track, events, startLevel);
      return effect;
    } catch (error) {
      await processor.destroy().catch(() => {});
      source.stop();
      element.srcObject = null;
      throw error;
    }
  }

  /** Blur to an image and back, on the same processed track. */
  async switchTo(spec: EffectSpec): Promise<void> {
    await this.processor.switchTo(switchOptions(spec));
  }

  /**
   * The camera turned off or on. The disabled copy still gives (black) frames to segment, but what
   * they cost is not held against the device, and the count of slow windows starts over
   * (background-steps.ts nextStep): the effect never gives up across a camera toggle.
   */
  setCameraOn(on: boolean) {
    this.cameraOn = on;
    this.source.enabled = on;
    this.step = { ...this.step, overloadedInARow: 0 };
    this.restartWindow(true);
  }

  /** Frames per second the effect is held to now (30, then 15, then 10). */
  get maxFps(): number {
    return BACKGROUND_LEVELS[this.step.level]!.maxFps;
  }

  private counted(stats: FrameProcessingStats) {
    this.window.frames += 1;
    // filterTimeMs is the frame's whole time on the main thread (the segmentation runs inside
    // it); the processor's processingTimeMs adds the segmentation a second time.
    this.window.processingMs += stats.filterTimeMs;
  }

  private restartWindow(warmingUp: boolean) {
    this.window = { seconds: 0, frames: 0, processingMs: 0 };
    this.windowStarted = performance.now();
    this.warmingUp = warmingUp;
  }

  private judge() {
    if (this.stopped) return;
    const window = { ...this.window, seconds: (performance.now() - this.windowStarted) / 1000 };
    const warmingUp = this.warmingUp;
    this.restartWindow(false);
    if (warmingUp) return;
    const { state, decision } = nextStep(this.step, window, this.cameraOn && this.camera.readyState === "live" && !this.camera.muted);
    this.step = state;
    if (decision.action === "keep") return;
    if (decision.action === "off" && neverGivesUp()) {
      console.info(`background effect kept on (it would have turned off: ${decision.reason})`);
      return;
    }
    console.info(`background effect ${decision.action === "lower" ? `stepped down to ${BACKGROUND_LEVELS[decision.level]!.maxFps} fps` : "turned off"}: ${decision.reason}, ${Math.round(processingShare(window) * 100)}% of the main thread at ${Math.round(window.frames / window.seconds)} fps`);
    if (decision.action === "lower") {
      this.loweredBecause = decision.reason;
      void constrain(this.source, decision.level);
      this.restartWindow(true);
    }
    this.events.onStep(decision);
  }

  /** Ends the effect: its processed track and the camera copy stop; the camera itself does not. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    try {
      await this.processor.destroy();
    } finally {
      this.track.stop();
      this.source.stop();
      this.element.srcObject = null;
    }
  }
}

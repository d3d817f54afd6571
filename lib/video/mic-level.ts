/**
 * The device check's microphone level: how loud the chosen microphone is, from 0 (silence) to
 * 100 (as loud as it goes), read with Web Audio from the same stream the call will send.
 */

/** Quieter than this reads as 0: a quiet room's hiss (about -60 dBFS) leaves the meter still. */
const FLOOR_DB = -60;

/** The level of one block of samples (-1..1): its RMS in dBFS, placed on 0..100 from FLOOR_DB to 0 dBFS. Speech at a normal distance reads about 40–70. */
export function levelOf(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  const rms = Math.sqrt(sum / samples.length);
  if (rms === 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.round(Math.max(0, Math.min(100, ((db - FLOOR_DB) / -FLOOR_DB) * 100)));
}

/** Each reading, the meter falls at most this much, so a syllable (or a short beep) stays visible for a moment instead of flickering. */
const FALL_PER_READING = 6;

/** What the meter shows next: a louder sound at once, a quieter one falling gently. */
export function nextShownLevel(shown: number, measured: number): number {
  return measured >= shown ? measured : Math.max(measured, shown - FALL_PER_READING);
}

/** How often the meter reads the microphone: smooth to the eye, light on a phone's CPU. */
export const READINGS_PER_SECOND = 15;

/**
 * Reads a microphone's level while it is watched: `watch(track)` follows one track (the
 * device check calls it again when the person picks another microphone), `onLevel` hears each
 * reading. One AudioContext for the check's life; `close()` ends it (the call has its own audio).
 *
 * A browser may start the AudioContext suspended until the person touches the page (autoplay
 * rules): then it resumes on their first tap or key press, and the meter reads 0 until then.
 */
export class MicLevelMonitor {
  private context: AudioContext | null = null;
  private source: MediaStreamAudioSourceNode | null = null;
  private analyser: AnalyserNode | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private shown = 0;
  private readonly resume = () => void this.context?.resume().catch(() => {});

  constructor(private readonly onLevel: (level: number) => void) {}

  watch(track: MediaStreamTrack | null): void {
    this.source?.disconnect();
    this.source = null;
    if (!track) return this.stopReading();
    const AudioContextClass = globalThis.AudioContext ?? (globalThis as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!AudioContextClass) return; // no Web Audio: no meter, the rest of the check works
    if (!this.context) {
      this.context = new AudioContextClass();
      this.analyser = this.context.createAnalyser();
      this.analyser.fftSize = 1024;
      if (this.context.state === "suspended") {
        this.resume();
        for (const type of ["pointerdown", "keydown"] as const) document.addEventListener(type, this.resume, { once: true, capture: true });
      }
    }
    // The analyser is a dead end: nothing is played back (no echo of one's own voice).
    this.source = this.context.createMediaStreamSource(new MediaStream([track]));
    this.source.connect(this.analyser!);
    if (!this.timer) {
      const samples = new Float32Array(this.analyser!.fftSize);
      this.timer = setInterval(() => {
        if (!this.analyser || !this.source) return;
        this.analyser.getFloatTimeDomainData(samples);
        this.shown = nextShownLevel(this.shown, levelOf(samples));
        this.onLevel(this.shown);
      }, 1000 / READINGS_PER_SECOND);
    }
  }

  private stopReading(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.shown = 0;
    this.onLevel(0);
  }

  close(): void {
    this.source?.disconnect();
    this.source = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const type of ["pointerdown", "keydown"] as const) document.removeEventListener(type, this.resume, { capture: true });
    void this.context?.close().catch(() => {});
    this.context = null;
    this.analyser = null;
  }
}

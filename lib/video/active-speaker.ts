/**
 * Who is speaking, from how loud each remote participant's received audio is. The levels come
 * from WebRTC's own statistics of each audio receiver (inbound-rtp `totalAudioEnergy` over
 * `totalSamplesDuration`, or `audioLevel`), which the browser computes anyway for every
 * received stream: reading them a few times a second costs one small getStats per remote, and
 * needs no AudioContext (which the autoplay policy may hold suspended, and which would run an
 * audio graph per remote all the time) and no second path for LiveKit, whose tracks have
 * receivers too. Plain functions and classes of plain values: tested without a browser.
 */
import type { StatsReport } from "./stats";

/** How often the call screen samples the levels. */
export const SAMPLE_INTERVAL_MS = 250;
/** A level (0…1, linear, 1 = full scale) at or above this is speech: about -34 dBov; room noise after noise suppression stays well under. */
export const SPEAKING_LEVEL = 0.02;
/** Someone new becomes the speaker after being the loudest this many samples in a row (half a second): a cough does not move the marker. */
const SWITCH_SAMPLES = 2;
/** The speaker stays marked through pauses this short. */
const HOLD_MS = 1_500;

type Stat = Record<string, unknown> & { type: string };

/** The received audio's running totals, kept between two samples. */
type Totals = { energy: number; duration: number };

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** The inbound-rtp audio entry of one receiver's stats report, if any. */
function inboundAudio(report: StatsReport): Stat | undefined {
  let found: Stat | undefined;
  report.forEach((value) => {
    const stat = value as Stat;
    if (!found && stat.type === "inbound-rtp" && stat.kind === "audio") found = stat;
  });
  return found;
}

/**
 * The level of each receiver since its previous sample: the root mean square of the audio
 * levels over the interval (the energy received divided by the duration received), so a
 * syllable between two samples counts; the instant `audioLevel` the first time, or when the
 * totals went back (a new connection).
 */
export class AudioLevelMeter {
  private readonly last = new Map<string, Totals>();

  level(key: string, report: StatsReport): number {
    const stat = inboundAudio(report);
    if (!stat) {
      this.last.delete(key);
      return 0;
    }
    const energy = num(stat.totalAudioEnergy);
    const duration = num(stat.totalSamplesDuration);
    const instant = num(stat.audioLevel) ?? 0;
    const before = this.last.get(key);
    if (energy === null || duration === null) return instant;
    this.last.set(key, { energy, duration });
    if (!before) return instant;
    const spent = duration - before.duration;
    const gained = energy - before.energy;
    if (spent <= 0 || gained < 0) return spent === 0 ? 0 : instant;
    return Math.min(1, Math.sqrt(gained / spent));
  }

  /** Forgets receivers no longer sampled. */
  keepOnly(keys: Iterable<string>): void {
    const kept = new Set(keys);
    for (const key of this.last.keys()) if (!kept.has(key)) this.last.delete(key);
  }
}

/**
 * The active speaker from successive samples of the levels: the loudest participant at or
 * above SPEAKING_LEVEL, kept through short pauses, and replaced only by someone who has been
 * the loudest for SWITCH_SAMPLES samples in a row; nobody after HOLD_MS of silence.
 */
export class ActiveSpeaker {
  private current: string | null = null;
  private heardAt = 0;
  private challenger: string | null = null;
  private challengerSamples = 0;

  update(levels: ReadonlyMap<string, number>, now: number): string | null {
    let loudest: string | null = null;
    let loudestLevel = SPEAKING_LEVEL;
    for (const [id, level] of levels) {
      if (level >= loudestLevel) {
        loudest = id;
        loudestLevel = level;
      }
    }
    if (this.current !== null && !levels.has(this.current)) this.current = null; // left the call
    if (this.current !== null && (levels.get(this.current) ?? 0) >= SPEAKING_LEVEL) this.heardAt = now;
    if (loudest === null || loudest === this.current) {
      this.challenger = null;
      this.challengerSamples = 0;
    } else if (this.current === null) {
      this.take(loudest, now);
    } else {
      this.challengerSamples = this.challenger === loudest ? this.challengerSamples + 1 : 1;
      this.challenger = loudest;
      if (this.challengerSamples >= SWITCH_SAMPLES) this.take(loudest, now);
    }
    if (this.current !== null && now - this.heardAt > HOLD_MS) this.current = null;
    return this.current;
  }

  private take(id: string, now: number): void {
    this.current = id;
    this.heardAt = now;
    this.challenger = null;
    this.challengerSamples = 0;
  }
}

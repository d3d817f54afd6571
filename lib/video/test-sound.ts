/**
 * The device check's test sound: a short two-note chime, made here as a WAV file (16-bit PCM,
 * mono) so the page plays it through an <audio> element, which can be sent to the chosen
 * speaker (`setSinkId`). Nothing is downloaded: the sound is computed in the browser.
 */

/** The notes (Hz) and how long each sounds (s): A5 then E6, a rising "ding-ding" that cuts through a room's noise without being shrill. */
const NOTES = [
  { frequency: 880, start: 0, length: 0.45 },
  { frequency: 1318.5, start: 0.35, length: 0.75 },
] as const;

export const TEST_SOUND_SECONDS = 1.1;

/** Loud enough to hear, with headroom: two overlapping notes never clip. */
const PEAK = 0.45;

/** The chime's samples, from -1 to 1: each note starts with a 5 ms rise (no click) and fades away like a bell. */
export function testSoundSamples(sampleRate: number): Float32Array {
  const samples = new Float32Array(Math.round(TEST_SOUND_SECONDS * sampleRate));
  for (const note of NOTES) {
    const from = Math.round(note.start * sampleRate);
    const count = Math.min(Math.round(note.length * sampleRate), samples.length - from);
    for (let i = 0; i < count; i++) {
      const t = i / sampleRate;
      const attack = Math.min(1, t / 0.005);
      const decay = Math.exp(-t * 5) * (1 - i / count); // reaches exactly 0 at the note's end
      samples[from + i]! += PEAK * attack * decay * Math.sin(2 * Math.PI * note.frequency * t);
    }
  }
  return samples;
}

/** The chime as a WAV file's bytes (RIFF, PCM, 16-bit, mono). */
export function testSoundWav(sampleRate = 22_050): Uint8Array<ArrayBuffer> {
  const samples = testSoundSamples(sampleRate);
  const dataBytes = samples.length * 2;
  const bytes = new Uint8Array(44 + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => [...text].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // bytes a second
  view.setUint16(32, 2, true); // bytes a frame
  view.setUint16(34, 16, true); // bits a sample
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(44 + i * 2, Math.round(Math.max(-1, Math.min(1, samples[i]!)) * 0x7fff), true);
  return bytes;
}

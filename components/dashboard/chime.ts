/**
 * The "someone is waiting" sound: two soft tones made in the browser (Web Audio), so there is no
 * file to fetch and nothing from elsewhere. Browsers start audio only after the person has
 * used the page; `unlockChime` is called from a click (turning the sound on) and on the first
 * key or pointer press after a reload.
 */

let context: AudioContext | null = null;

function audioContext(): AudioContext | null {
  if (context) return context;
  if (typeof window === "undefined" || typeof window.AudioContext !== "function") return null;
  context = new window.AudioContext();
  return context;
}

export function unlockChime(): void {
  void audioContext()?.resume().catch(() => {});
}

/** Plays the chime; nothing when the browser has no Web Audio or has not let the page play yet. */
export function playChime(): void {
  const ctx = audioContext();
  if (!ctx) return;
  if (ctx.state === "suspended") void ctx.resume().catch(() => {});
  const start = ctx.currentTime + 0.02;
  [880, 660].forEach((frequency, i) => {
    const tone = ctx.createOscillator();
    const volume = ctx.createGain();
    tone.type = "sine";
    tone.frequency.value = frequency;
    const at = start + i * 0.2;
    // A quick rise and a longer fade: a chime, not a beep.
    volume.gain.setValueAtTime(0.0001, at);
    volume.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
    volume.gain.exponentialRampToValueAtTime(0.0001, at + 0.45);
    tone.connect(volume).connect(ctx.destination);
    tone.start(at);
    tone.stop(at + 0.5);
  });
}

/**
 * What a person shows behind them on a call: nothing changed, a blur, or one of the clinic's
 * background images. Pure: the device check and the call screen decide the first choice with
 * it, and remember the person's own choice in this browser.
 */

import type { CallBackground } from "@/lib/settings/call-settings";

export type { CallBackground };

/** The clinic's backgrounds for a call, as the join page found them. */
export type ClinicBackgrounds = {
  backgrounds: CallBackground[];
  defaultBackground: CallBackground | null;
  /** The link asked for the clinic's default background (`?useBackground=true`). */
  useBackground: boolean;
};

/** The clinic's list with its default in it (the picker offers both). */
export function offeredBackgrounds(clinic: ClinicBackgrounds): CallBackground[] {
  const { backgrounds, defaultBackground } = clinic;
  return defaultBackground && !backgrounds.some((b) => b.alias === defaultBackground.alias) ? [defaultBackground, ...backgrounds] : backgrounds;
}

export type BackgroundChoice = { kind: "none" } | { kind: "blur" } | { kind: "image"; alias: string };

export const NO_BACKGROUND: BackgroundChoice = { kind: "none" };

/** Where this browser keeps the person's last choice. */
export const BACKGROUND_CHOICE_KEY = "telemed.background";

export function sameChoice(a: BackgroundChoice, b: BackgroundChoice): boolean {
  return a.kind === b.kind && (a.kind !== "image" || (b.kind === "image" && a.alias === b.alias));
}

/** The stored form of a choice: `none`, `blur` or `image:<alias>`. */
export function storedChoice(choice: BackgroundChoice): string {
  return choice.kind === "image" ? `image:${choice.alias}` : choice.kind;
}

/** A stored choice read back; anything else (an old or hand-edited value) is no choice. */
export function parseStoredChoice(value: string | null | undefined): BackgroundChoice | null {
  if (value === "none") return { kind: "none" };
  if (value === "blur") return { kind: "blur" };
  if (value?.startsWith("image:") && value.length > "image:".length) return { kind: "image", alias: value.slice("image:".length) };
  return null;
}

/**
 * The background a person starts with.
 *
 * - The link says `useBackground=true` (the clinic's app asked for it): the clinic's default
 *   background, or a blur when the clinic has none set.
 * - Otherwise the person's own last choice in this browser, if it still exists (a clinic
 *   background that was removed falls back to none).
 * - Otherwise none.
 */
export function initialBackgroundChoice(input: {
  useBackground: boolean;
  stored: BackgroundChoice | null;
  backgrounds: readonly CallBackground[];
  defaultBackground: CallBackground | null;
}): BackgroundChoice {
  if (input.useBackground) return input.defaultBackground ? { kind: "image", alias: input.defaultBackground.alias } : { kind: "blur" };
  const stored = input.stored;
  if (!stored) return NO_BACKGROUND;
  if (stored.kind === "image" && !input.backgrounds.some((b) => b.alias === stored.alias)) return NO_BACKGROUND;
  return stored;
}

/** The image a choice shows, or null for none and blur (or a background the clinic no longer has). */
export function backgroundImageOf(choice: BackgroundChoice, backgrounds: readonly CallBackground[]): CallBackground | null {
  if (choice.kind !== "image") return null;
  return backgrounds.find((b) => b.alias === choice.alias) ?? null;
}

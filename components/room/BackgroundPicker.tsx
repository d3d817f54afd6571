"use client";

import { useTranslations } from "next-intl";
import { useEffect, useSyncExternalStore, type ReactNode } from "react";
import {
  BACKGROUND_CHOICE_KEY,
  initialBackgroundChoice,
  offeredBackgrounds,
  parseStoredChoice,
  sameChoice,
  storedChoice,
  type BackgroundChoice,
  type ClinicBackgrounds,
} from "@/lib/video/background-choice";
import type { BackgroundController, BackgroundNotice, BackgroundState } from "@/lib/video/background-controller";
import styles from "./room.module.css";

export function useBackgroundState(controller: BackgroundController): BackgroundState {
  return useSyncExternalStore(controller.subscribe, controller.getState, controller.getState);
}

function readStoredChoice(): BackgroundChoice | null {
  try {
    return parseStoredChoice(window.localStorage.getItem(BACKGROUND_CHOICE_KEY));
  } catch {
    return null; // storage blocked (a strict privacy setting, a sandboxed frame)
  }
}

function rememberChoice(choice: BackgroundChoice) {
  try {
    window.localStorage.setItem(BACKGROUND_CHOICE_KEY, storedChoice(choice));
  } catch {
    // Not remembered: the choice still applies to this call.
  }
}

/** Starts the controller on the first background (the link's, else this browser's last choice). */
export function startFirstBackground(controller: BackgroundController, clinic: ClinicBackgrounds) {
  controller.setBackgrounds(offeredBackgrounds(clinic));
  controller.detectSupport();
  if (controller.getState().status === "unsupported") return;
  const first = initialBackgroundChoice({ ...clinic, backgrounds: offeredBackgrounds(clinic), stored: readStoredChoice() });
  if (!sameChoice(first, controller.getState().choice)) void controller.choose(first);
}

/** startFirstBackground, once. */
export function useFirstBackground(controller: BackgroundController, clinic: ClinicBackgrounds) {
  useEffect(() => startFirstBackground(controller, clinic), [controller, clinic]);
}

/** What a notice says, in the page's words. */
function useNoticeText(): (notice: BackgroundNotice) => string {
  const t = useTranslations("Join.background");
  return (notice) => {
    if (!notice) return "";
    if (notice.kind === "failed") return t("failed");
    if (notice.kind === "lowered") return t("lowered", { fps: notice.maxFps });
    return t("turnedOff");
  };
}

/** A notice about the effect to show in the call, even with the picker closed. */
export function BackgroundNoticeText({ notice }: { notice: BackgroundNotice }) {
  const text = useNoticeText();
  return notice ? (
    <p className={styles.callNotice} role="status" data-testid="background-notice" data-notice={notice.kind}>
      {text(notice)}
    </p>
  ) : null;
}

/**
 * The background behind the person: None, Blur, or one of the clinic's images, as radio buttons
 * (arrow keys move between them); the choice applies at once and is remembered in this browser.
 * Says when the effect is loading, was stepped down or turned off on a slow device, and when the
 * browser cannot do it at all (then there is nothing to choose).
 */
export function BackgroundPicker({ controller, name, hideLegend = false }: { controller: BackgroundController; name: string; /** Under a heading that already says "Background" (the call's dialog). */ hideLegend?: boolean }) {
  const t = useTranslations("Join.background");
  const state = useBackgroundState(controller);
  const noticeText = useNoticeText();

  if (state.status === "unsupported") {
    return (
      <p className={styles.hint} data-testid="background-unsupported">
        {t("unsupported")}
      </p>
    );
  }

  const choose = (choice: BackgroundChoice) => {
    rememberChoice(choice);
    void controller.choose(choice);
  };
  const options: { id: string; choice: BackgroundChoice; label: string; swatch: ReactNode }[] = [
    { id: "none", choice: { kind: "none" }, label: t("none"), swatch: <span aria-hidden="true">∅</span> },
    { id: "blur", choice: { kind: "blur" }, label: t("blur"), swatch: <span className={`${styles.backgroundSwatch} ${styles.backgroundBlur}`} aria-hidden="true" /> },
    ...controller.backgrounds.map((b, i) => ({
      id: `image-${b.alias}`,
      choice: { kind: "image", alias: b.alias } as BackgroundChoice,
      // The alias is a generated name ("93588d9…"): the person reads "Image 1", "Image 2".
      label: t("image", { n: i + 1 }),
      // eslint-disable-next-line @next/next/no-img-element -- a thumbnail of the clinic's own image, served by this app
      swatch: <img src={b.url} alt="" loading="lazy" />,
    })),
  ];
  const note = state.status === "loading" ? t("loading") : noticeText(state.notice);

  return (
    <fieldset className={styles.backgrounds} data-testid="background-picker" data-status={state.status} aria-describedby={`${name}-note`}>
      <legend className={hideLegend ? styles.visuallyHidden : undefined}>{t("legend")}</legend>
      <div className={styles.backgroundOptions}>
        {options.map((option) => (
          <label key={option.id} className={styles.backgroundOption} data-testid={`background-${option.id}`}>
            <input type="radio" name={name} value={option.id} checked={sameChoice(option.choice, state.choice)} onChange={() => choose(option.choice)} />
            {option.id === "blur" ? option.swatch : <span className={styles.backgroundSwatch}>{option.swatch}</span>}
            <span className={styles.backgroundName}>{option.label}</span>
          </label>
        ))}
      </div>
      <p id={`${name}-note`} className={styles.backgroundNote} role="status" aria-live="polite" data-testid="background-note">
        {note}
      </p>
    </fieldset>
  );
}

"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import ui from "@/components/ui/ui.module.css";
import { playChime, unlockChime } from "./chime";
import styles from "./dashboard.module.css";
import { TIME } from "./formats";

/** Someone in a call without the provider, as My day lists them. */
export type Waiting = { consultationId: string; patientName: string; since: Date };

type Alert = "sound" | "notification";

/** The choices, remembered in this browser: both off until the person turns them on. */
const STORAGE_KEYS: Record<Alert, string> = { sound: "telemed.myDay.waitingSound", notification: "telemed.myDay.waitingNotification" };

const listeners = new Set<() => void>();

function stored(alert: Alert): boolean {
  try {
    return window.localStorage.getItem(STORAGE_KEYS[alert]) === "on";
  } catch {
    return false; // storage blocked: a choice lasts only while the page is open
  }
}

function remember(alert: Alert, on: boolean): void {
  try {
    if (on) window.localStorage.setItem(STORAGE_KEYS[alert], "on");
    else window.localStorage.removeItem(STORAGE_KEYS[alert]);
  } catch {
    // Not remembered; it still applies on this page.
  }
  session[alert] = on;
  listeners.forEach((listener) => listener());
}

/** This page's choices, for a browser whose storage is blocked. */
const session: Partial<Record<Alert, boolean>> = {};

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab of the dashboard changed a choice.
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

const notificationsSupported = () => typeof window !== "undefined" && "Notification" in window;

/** A notification turned on counts only while the browser still allows them (the person may have revoked it since). */
function useAlert(alert: Alert): boolean {
  return useSyncExternalStore(
    subscribe,
    () => (session[alert] ?? stored(alert)) && (alert === "sound" || (notificationsSupported() && Notification.permission === "granted")),
    () => false,
  );
}

/**
 * The provider's opt-in alerts for My day: a sound and a browser notification when someone
 * starts waiting in one of their calls. Both start off; the browser's permission for
 * notifications is asked only when the person turns them on. Alerts go off for a wait that
 * begins while the page is open (its list re-renders live), not for waits already shown when
 * it opened. A polite status line says who started waiting, for screen readers.
 */
export function WaitingAlerts({ waiting }: { waiting: Waiting[] }) {
  const t = useTranslations("MyDay.alerts");
  const format = useFormatter();
  const sound = useAlert("sound");
  const notification = useAlert("notification");
  const [problem, setProblem] = useState<"blocked" | "unsupported" | null>(null);
  const known = useRef<Set<string> | null>(null);

  // After a reload the browser lets the page play sound only once the person has used it.
  useEffect(() => {
    if (!sound) return;
    const unlock = () => unlockChime();
    window.addEventListener("pointerdown", unlock, { once: true });
    window.addEventListener("keydown", unlock, { once: true });
    return () => {
      window.removeEventListener("pointerdown", unlock);
      window.removeEventListener("keydown", unlock);
    };
  }, [sound]);

  useEffect(() => {
    const key = (w: Waiting) => `${w.consultationId}@${w.since.getTime()}`;
    const previous = known.current;
    known.current = new Set(waiting.map(key));
    if (!previous) return; // what the page opened with is not news
    const started = waiting.filter((w) => !previous.has(key(w)));
    if (started.length === 0) return;
    if (sound) playChime();
    if (notification) {
      for (const w of started) {
        try {
          const shown = new Notification(t("notificationTitle", { name: w.patientName }), {
            body: t("notificationBody", { time: format.dateTime(w.since, TIME) }),
            tag: `waiting-${w.consultationId}`,
          });
          shown.onclick = () => {
            window.focus();
            shown.close();
          };
        } catch {
          // Some browsers (Chrome on Android) show notifications only from a service worker.
        }
      }
    }
  }, [waiting, sound, notification, t, format]);

  async function changeNotification(on: boolean) {
    setProblem(null);
    if (!on) return remember("notification", false);
    if (!notificationsSupported()) return setProblem("unsupported");
    const permission = Notification.permission === "default" ? await Notification.requestPermission() : Notification.permission;
    if (permission === "granted") remember("notification", true);
    else if (permission === "denied") setProblem("blocked");
  }

  const newest = waiting.reduce<Waiting | null>((latest, w) => (!latest || w.since > latest.since ? w : latest), null);
  return (
    <fieldset className={styles.alerts}>
      <legend>{t("title")}</legend>
      <label>
        <input
          type="checkbox"
          checked={sound}
          onChange={(event) => {
            const on = event.currentTarget.checked;
            remember("sound", on);
            // The click lets the page play sound; the chime is also its preview.
            if (on) {
              unlockChime();
              playChime();
            }
          }}
        />{" "}
        {t("sound")}
      </label>
      <label>
        <input type="checkbox" checked={notification} onChange={(event) => void changeNotification(event.currentTarget.checked)} /> {t("notify")}
      </label>
      {problem && (
        <p className={styles.hint} role="alert">
          {t(problem)}
        </p>
      )}
      <p role="status" className={ui.visuallyHidden}>
        {newest ? t("announce", { name: newest.patientName }) : ""}
      </p>
    </fieldset>
  );
}

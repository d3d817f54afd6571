"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import styles from "./dashboard.module.css";

const WARN_BEFORE_MS = 60_000;
const PING_EVERY_MS = 30_000;
const SHARED_KEY = "telemed.staff.activity";

/**
 * Signs the person out after `idleSeconds` without activity in any of their dashboard tabs,
 * with a minute's warning. Activity is also told to the server (at most every 30 s), which
 * keeps its own limit, so a session left open elsewhere ends too.
 */
export function IdleGuard({
  idleSeconds,
  keepSessionAlive,
  signOutIdle,
}: {
  idleSeconds: number;
  /** Tells the server of activity; false once the session has ended there. */
  keepSessionAlive: () => Promise<boolean>;
  signOutIdle: () => Promise<void>;
}) {
  const t = useTranslations("Dashboard.idle");
  const idleMs = idleSeconds * 1000;
  const router = useRouter();
  const lastActivity = useRef(0);
  const lastPing = useRef(0);
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);
  const signingOut = useRef(false);
  const stayButton = useRef<HTMLButtonElement>(null);
  // The server actions come anew with every render of the page (a live refresh): kept in a ref,
  // so a refresh neither restarts the timer nor counts as the person doing something.
  const actions = useRef({ keepSessionAlive, signOutIdle });
  useEffect(() => {
    actions.current = { keepSessionAlive, signOutIdle };
  }, [keepSessionAlive, signOutIdle]);

  useEffect(() => {
    if (lastActivity.current === 0) lastActivity.current = lastPing.current = Date.now();
    const noteActivity = (at = Date.now(), share = true) => {
      lastActivity.current = Math.max(lastActivity.current, at);
      if (share) {
        try {
          localStorage.setItem(SHARED_KEY, String(at));
        } catch {
          // storage blocked: this tab still counts its own activity
        }
      }
      if (at - lastPing.current >= PING_EVERY_MS) {
        lastPing.current = at;
        void actions.current.keepSessionAlive().then((alive) => {
          if (!alive && !signingOut.current) router.replace("/signin?reason=idle");
        });
      }
    };
    const onActivity = () => noteActivity();
    const onStorage = (event: StorageEvent) => {
      if (event.key === SHARED_KEY && event.newValue) noteActivity(Number(event.newValue), false);
    };
    const events = ["pointerdown", "keydown", "wheel", "touchstart", "scroll"] as const;
    for (const name of events) window.addEventListener(name, onActivity, { passive: true, capture: true });
    window.addEventListener("storage", onStorage);

    const timer = window.setInterval(() => {
      const idleFor = Date.now() - lastActivity.current;
      if (idleFor >= idleMs) {
        if (signingOut.current) return;
        signingOut.current = true;
        void actions.current.signOutIdle().catch(() => router.replace("/signin?reason=idle"));
      } else if (idleFor >= idleMs - WARN_BEFORE_MS) {
        setSecondsLeft(Math.ceil((idleMs - idleFor) / 1000));
      } else {
        setSecondsLeft(null);
      }
    }, 1000);
    return () => {
      for (const name of events) window.removeEventListener(name, onActivity, { capture: true });
      window.removeEventListener("storage", onStorage);
      window.clearInterval(timer);
    };
  }, [idleMs, router]);

  const warning = secondsLeft !== null;
  useEffect(() => {
    if (warning) stayButton.current?.focus();
  }, [warning]);

  if (!warning) return null;
  return (
    <div className={styles.idleBackdrop}>
      <div role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-text" className={styles.idleDialog}>
        <h2 id="idle-title">{t("title")}</h2>
        <p id="idle-text">{t.rich("text", { seconds: secondsLeft, strong: (chunks) => <strong>{chunks}</strong> })}</p>
        <button ref={stayButton} type="button" className={styles.primary} onClick={() => setSecondsLeft(null)}>
          {t("stay")}
        </button>
      </div>
    </div>
  );
}

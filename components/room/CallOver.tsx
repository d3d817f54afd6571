"use client";

import { useTranslations } from "next-intl";
import { EndCallRedirect, type EndCallRedirectSettings } from "./EndCallRedirect";
import styles from "./room.module.css";

/**
 * After the call, for this person: they left (and may rejoin), or it ended, or its time ran
 * out, for everyone. `what` is the word for it: a consultation's, or a standalone room's call.
 * When the clinic set a page to go to after a call, it follows (whoever ended it: a person who
 * left still gets Rejoin, and may stay for it).
 */
export function CallOver({ phase, what, onRejoin, redirect }: { phase: "left" | "ended" | "timeout"; what: "consultation" | "call"; onRejoin: () => void; redirect?: EndCallRedirectSettings | null }) {
  const t = useTranslations("Call.over");
  const consultation = what === "consultation";
  const title = phase === "left" ? t("leftTitle") : phase === "timeout" ? t("timeoutTitle") : consultation ? t("endedConsultation") : t("endedCall");
  const body =
    phase === "left"
      ? consultation
        ? t("leftConsultation")
        : t("leftCall")
      : phase === "timeout"
        ? consultation
          ? t("timeoutConsultation")
          : t("timeoutCall")
        : t("thanks");
  return (
    <div className={styles.after} data-call-state={phase === "left" ? "ended" : phase} data-testid="call-over">
      <h2>{title}</h2>
      <p>{body}</p>
      {phase === "left" ? (
        <button type="button" className={styles.primary} onClick={onRejoin}>
          {t("rejoin")}
        </button>
      ) : null}
      {redirect ? <EndCallRedirect {...redirect} /> : null}
    </div>
  );
}

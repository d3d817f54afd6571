"use client";

import { useTranslations } from "next-intl";
import { useFormStatus } from "react-dom";
import styles from "./dashboard.module.css";

function Submit({ label }: { label: string }) {
  const t = useTranslations("MyDay");
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={styles.primary} aria-label={label} disabled={pending}>
      {t("join")}
    </button>
  );
}

/**
 * Join a call from the dashboard. `join` answers the participant's own link; the browser then
 * loads it as a new document, not a client-side navigation: a call page needs its own security
 * headers (camera and microphone allowed, LiveKit reachable), which the dashboard's document
 * refuses, and headers come only with a document.
 */
export function JoinCallButton({ join, label }: { join: () => Promise<string>; label: string }) {
  return (
    <form
      action={async () => {
        window.location.assign(await join());
      }}
    >
      <Submit label={label} />
    </form>
  );
}

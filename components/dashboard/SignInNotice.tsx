"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import styles from "./dashboard.module.css";

const STORAGE_KEY = "telemed.signInNoticeDismissed";

/** Tells the owner about failed sign-ins for their account; dismissed, it stays hidden for this tab's session. */
export function SignInNotice({ dismissKey, children }: { dismissKey: string; children: React.ReactNode }) {
  const t = useTranslations("Dashboard");
  const [dismissed, setDismissed] = useState(false);
  useEffect(() => {
    // Read after hydration: the server cannot know what this tab dismissed.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (sessionStorage.getItem(STORAGE_KEY) === dismissKey) setDismissed(true);
  }, [dismissKey]);
  if (dismissed) return null;
  return (
    <div className={styles.securityNotice} role="status" data-testid="sign-in-notice">
      <p>{children}</p>
      <button
        type="button"
        className={styles.linkButton}
        onClick={() => {
          sessionStorage.setItem(STORAGE_KEY, dismissKey);
          setDismissed(true);
        }}
      >
        {t("dismiss")}
      </button>
    </div>
  );
}

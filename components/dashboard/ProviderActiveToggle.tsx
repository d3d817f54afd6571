"use client";

import { useTranslations } from "next-intl";
import { useRef } from "react";
import { useFormStatus } from "react-dom";
import styles from "./dashboard.module.css";
import own from "./providers.module.css";

function Submit({ className, label, busy }: { className: string | undefined; label: string; busy: string }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={className} disabled={pending}>
      {pending ? busy : label}
    </button>
  );
}

/**
 * Deactivates a provider after a confirmation that says what it does, or reactivates one (nothing
 * to confirm: it only offers them for booking again).
 */
export function ProviderActiveToggle({
  setActive,
  providerId,
  name,
  active,
  pendingConsultations,
}: {
  setActive: (form: FormData) => Promise<void>;
  providerId: string;
  name: string;
  active: boolean;
  pendingConsultations: number;
}) {
  const t = useTranslations("Providers.toggle");
  const dialog = useRef<HTMLDialogElement>(null);

  if (!active) {
    return (
      <form action={setActive}>
        <input type="hidden" name="providerId" value={providerId} />
        <input type="hidden" name="active" value="true" />
        <Submit className={styles.secondary} label={t("reactivate")} busy={t("reactivating")} />
      </form>
    );
  }

  return (
    <>
      <button type="button" className={styles.danger} onClick={() => dialog.current?.showModal()}>
        {t("deactivateProvider")}
      </button>
      <dialog ref={dialog} className={own.dialog} aria-labelledby="deactivate-title" aria-describedby="deactivate-what">
        <h2 id="deactivate-title">{t("question", { name })}</h2>
        <div id="deactivate-what">
          <p>{t("explained")}</p>
          <p>
            {t("pending", { count: pendingConsultations })} {t("anyTime")}
          </p>
        </div>
        <form action={setActive} className={own.dialogActions}>
          <input type="hidden" name="providerId" value={providerId} />
          <input type="hidden" name="active" value="false" />
          <Submit className={styles.danger} label={t("deactivate")} busy={t("deactivating")} />
          <button type="button" className={styles.secondary} onClick={() => dialog.current?.close()} autoFocus>
            {t("cancel")}
          </button>
        </form>
      </dialog>
    </>
  );
}

"use client";

import { useTranslations } from "next-intl";
import { useId, useRef } from "react";
import styles from "./dashboard.module.css";
import css from "./integrations.module.css";

/**
 * A button that asks first, in a modal dialog (focus stays in it, Escape cancels). Used for
 * what cannot be undone: revoking an API credential, deleting a webhook endpoint.
 */
export function ConfirmButton({
  label,
  accessibleLabel,
  title,
  children,
  confirmLabel,
  onConfirm,
  pending,
  buttonClassName,
}: {
  label: string;
  /** When `label` alone is ambiguous (one "Revoke" per table row). */
  accessibleLabel?: string;
  title: string;
  children: React.ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  pending?: boolean;
  buttonClassName?: string;
}) {
  const t = useTranslations("Dashboard");
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  return (
    <>
      <button type="button" className={buttonClassName ?? styles.danger} aria-label={accessibleLabel} aria-haspopup="dialog" disabled={pending} onClick={() => dialog.current?.showModal()}>
        {pending ? t("working") : label}
      </button>
      <dialog ref={dialog} className={css.dialog} aria-labelledby={titleId}>
        <h2 id={titleId}>{title}</h2>
        {children}
        <div className={css.dialogActions}>
          <button
            type="button"
            className={styles.danger}
            onClick={() => {
              dialog.current?.close();
              onConfirm();
            }}
          >
            {confirmLabel}
          </button>
          {/* Cancel has the focus first: Enter on a dialog opened by mistake does nothing harmful. */}
          <button type="button" className={styles.secondary} autoFocus onClick={() => dialog.current?.close()}>
            {t("cancel")}
          </button>
        </div>
      </dialog>
    </>
  );
}

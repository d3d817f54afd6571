"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId, useRef, useState, useTransition } from "react";
import type { ConsultationStatus } from "@/lib/consultations/table-query";
import { CopyButton } from "./CopyButton";
import styles from "./dashboard.module.css";
import { JoinLinkFacts } from "./JoinLinkFacts";

type Links = { patientUrl: string; providerUrl: string };

export type RowActionResult = { ok: true } | { ok: false; message: string };

export type ReissueResult = { ok: true; pin: string; links: Links | null } | { ok: false; message: string };

/** The server actions on one consultation, as the page hands them over (staff who manage consultations only). */
export type ConsultationActions = {
  links: (consultationId: string) => Promise<Links | null>;
  revealPin: (consultationId: string) => Promise<{ pin: string } | null>;
  reissue: (consultationId: string, links: boolean) => Promise<ReissueResult>;
  cancel: (consultationId: string) => Promise<RowActionResult>;
  end: (consultationId: string) => Promise<RowActionResult>;
};

type Props = { actions: ConsultationActions; consultationId: string; status: ConsultationStatus; label: string };

/** The PIN on request: every showing is in the audit log. */
export function PinReveal({ actions, consultationId }: Omit<Props, "status" | "label">) {
  const t = useTranslations("Consultations.actions");
  const [pin, setPin] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  if (pin) {
    return (
      <span>
        {t("pin")} <code className={styles.pin}>{pin}</code>
      </span>
    );
  }
  return (
    <button
      type="button"
      className={styles.smallButton}
      disabled={pending}
      onClick={() => startTransition(async () => setPin((await actions.revealPin(consultationId))?.pin ?? null))}
    >
      {t("showPin")}
    </button>
  );
}

/**
 * A new PIN, and on request new links, for a live consultation (a link locked by wrong PINs,
 * a PIN sent to the wrong person): asked in a dialog, then the new PIN and links shown once.
 */
export function ReissueAccess({ actions, consultationId, status, label }: Props) {
  const t = useTranslations("Consultations.actions");
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [links, setLinks] = useState(false);
  const [result, setResult] = useState<ReissueResult | null>(null);
  const [pending, startTransition] = useTransition();
  if (status !== "Pending" && status !== "InProgress") return null;
  const open = () => {
    setResult(null);
    setLinks(false);
    dialog.current?.showModal();
  };
  const close = () => dialog.current?.close();
  return (
    <>
      <button type="button" className={styles.smallButton} aria-haspopup="dialog" aria-label={t("reissueFor", { label })} disabled={pending} onClick={open}>
        {t("reissue")}
      </button>
      {/* Once done, the page shows the new links and the lock lifted. */}
      <dialog ref={dialog} className={styles.dialog} aria-labelledby={`${id}-title`} onClose={() => result?.ok && router.refresh()}>
        <h2 id={`${id}-title`}>{result?.ok ? t("reissued") : t("reissueQuestion", { label })}</h2>
        {result?.ok ? (
          <div role="status">
            <p>
              {t("newPin")} <code className={styles.pin}>{result.pin}</code>
            </p>
            {result.links ? (
              <dl className={styles.facts}>
                <JoinLinkFacts links={result.links} fresh />
              </dl>
            ) : (
              <p className={styles.hint}>{t("sameLinks")}</p>
            )}
            <p className={styles.hint}>{t("sendNow")}</p>
            <div className={styles.dialogActions}>
              <button type="button" className={styles.primary} autoFocus onClick={close}>
                {t("done")}
              </button>
            </div>
          </div>
        ) : (
          <>
            <p>{t("reissueExplained")}</p>
            <label className={styles.checkLine}>
              <input type="checkbox" checked={links} onChange={(event) => setLinks(event.target.checked)} /> {t("newLinksToo")}
            </label>
            {result && !result.ok && (
              <p role="alert" className={styles.fieldError}>
                {result.message}
              </p>
            )}
            <div className={styles.dialogActions}>
              <button
                type="button"
                className={styles.primary}
                disabled={pending}
                onClick={() => startTransition(async () => setResult(await actions.reissue(consultationId, links)))}
              >
                {pending ? t("working") : t("reissue")}
              </button>
              {/* Cancel has the focus first: Enter on a dialog opened by mistake does nothing. */}
              <button type="button" className={styles.secondary} autoFocus onClick={close}>
                {t("cancel")}
              </button>
            </div>
          </>
        )}
      </dialog>
    </>
  );
}

/** Cancel (Pending) or end (In progress), after a confirmation; nothing for a closed consultation. */
export function EndOrCancel({ actions, consultationId, status, label }: Props) {
  const t = useTranslations("Consultations.actions");
  const router = useRouter();
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const run = (question: string, action: (id: string) => Promise<RowActionResult>) => {
    if (!window.confirm(question)) return;
    startTransition(async () => {
      const result = await action(consultationId);
      setProblem(result.ok ? null : result.message);
      if (result.ok) router.refresh();
    });
  };
  if (status !== "Pending" && status !== "InProgress") return null;
  return (
    <div>
      {status === "Pending" ? (
        <button type="button" className={styles.smallDanger} disabled={pending} onClick={() => run(t("cancelQuestion", { label }), actions.cancel)}>
          {t("cancelConsultation")}
        </button>
      ) : (
        <button type="button" className={styles.smallDanger} disabled={pending} onClick={() => run(t("endQuestion", { label }), actions.end)}>
          {t("endConsultation")}
        </button>
      )}
      {problem && (
        <p role="alert" className={styles.fieldError}>
          {problem}
        </p>
      )}
    </div>
  );
}

/**
 * One consultation's actions in a disclosure, so a row stays one line: the links load when it
 * opens (the table carries none), the PIN only on request, end and cancel after a confirmation.
 */
export function ConsultationRowActions({ actions, consultationId, status, label }: Props) {
  const t = useTranslations("Consultations.actions");
  const [links, setLinks] = useState<Links | null | undefined>(undefined);
  const [, startTransition] = useTransition();
  return (
    <details
      className={styles.rowActions}
      onToggle={(event) => {
        if ((event.currentTarget as HTMLDetailsElement).open && links === undefined) {
          startTransition(async () => setLinks(await actions.links(consultationId)));
        }
      }}
    >
      <summary aria-label={t("actionsFor", { label })}>{t("actions")}</summary>
      <div className={styles.rowActionsMenu}>
        {links === undefined ? (
          <p className={styles.hint}>{t("loading")}</p>
        ) : links === null ? (
          <p className={styles.fieldError}>{t("gone")}</p>
        ) : (
          <>
            <div>
              <CopyButton value={links.patientUrl} label={t("copyPatientLink")} />
            </div>
            <div>
              <CopyButton value={links.providerUrl} label={t("copyProviderLink")} />
            </div>
          </>
        )}
        <div>
          <PinReveal actions={actions} consultationId={consultationId} />
        </div>
        <div>
          <ReissueAccess actions={actions} consultationId={consultationId} status={status} label={label} />
        </div>
        <EndOrCancel actions={actions} consultationId={consultationId} status={status} label={label} />
      </div>
    </details>
  );
}

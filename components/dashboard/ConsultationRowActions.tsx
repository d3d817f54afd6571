"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState, useTransition } from "react";
import {
  cancelConsultationAction,
  consultationLinksAction,
  endConsultationAction,
  reissueAccessAction,
  revealPinAction,
  type ReissueResult,
  type RowActionResult,
} from "@/app/dashboard/consultations/actions";
import type { ConsultationStatus } from "@/lib/consultations/table-query";
import { CopyButton } from "./CopyButton";
import styles from "./dashboard.module.css";
import { JoinLinkFacts } from "./JoinLinkFacts";

type Links = { patientUrl: string; providerUrl: string };

/** The PIN on request: every showing is in the audit log. */
export function PinReveal({ consultationId }: { consultationId: string }) {
  const [pin, setPin] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  if (pin) {
    return (
      <span>
        PIN <code className={styles.pin}>{pin}</code>
      </span>
    );
  }
  return (
    <button
      type="button"
      className={styles.smallButton}
      disabled={pending}
      onClick={() => startTransition(async () => setPin((await revealPinAction(consultationId))?.pin ?? null))}
    >
      Show PIN
    </button>
  );
}

/**
 * A new PIN, and on request new links, for a live consultation (a link locked by wrong PINs,
 * a PIN sent to the wrong person): asked in a dialog, then the new PIN and links shown once.
 */
export function ReissueAccess({ consultationId, status, label }: { consultationId: string; status: ConsultationStatus; label: string }) {
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
      <button type="button" className={styles.smallButton} aria-haspopup="dialog" aria-label={`Reissue PIN for ${label}`} disabled={pending} onClick={open}>
        Reissue PIN
      </button>
      {/* Once done, the page shows the new links and the lock lifted. */}
      <dialog ref={dialog} className={styles.dialog} aria-labelledby={`${id}-title`} onClose={() => result?.ok && router.refresh()}>
        <h2 id={`${id}-title`}>{result?.ok ? "New PIN issued" : `Reissue the PIN for ${label}?`}</h2>
        {result?.ok ? (
          <div role="status">
            <p>
              New PIN <code className={styles.pin}>{result.pin}</code>
            </p>
            {result.links ? (
              <dl className={styles.facts}>
                <JoinLinkFacts links={result.links} fresh />
              </dl>
            ) : (
              <p className={styles.hint}>The links stay the same.</p>
            )}
            <p className={styles.hint}>Send it to the patient and the provider now: it is shown again only with Show PIN, which is audited.</p>
            <div className={styles.dialogActions}>
              <button type="button" className={styles.primary} autoFocus onClick={close}>
                Done
              </button>
            </div>
          </div>
        ) : (
          <>
            <p>The current PIN stops working, and wrong PINs typed so far no longer lock the links. The patient and the provider need the new PIN to join.</p>
            <label className={styles.checkLine}>
              <input type="checkbox" checked={links} onChange={(event) => setLinks(event.target.checked)} /> Also issue new links (the old links stop working)
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
                onClick={() => startTransition(async () => setResult(await reissueAccessAction(consultationId, links)))}
              >
                {pending ? "Working…" : "Reissue PIN"}
              </button>
              {/* Cancel has the focus first: Enter on a dialog opened by mistake does nothing. */}
              <button type="button" className={styles.secondary} autoFocus onClick={close}>
                Cancel
              </button>
            </div>
          </>
        )}
      </dialog>
    </>
  );
}

/** Cancel (Pending) or end (In progress), after a confirmation; nothing for a closed consultation. */
export function EndOrCancel({ consultationId, status, label }: { consultationId: string; status: ConsultationStatus; label: string }) {
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
        <button type="button" className={styles.smallDanger} disabled={pending} onClick={() => run(`Cancel the consultation of ${label}? Its links will stop working.`, cancelConsultationAction)}>
          Cancel consultation
        </button>
      ) : (
        <button type="button" className={styles.smallDanger} disabled={pending} onClick={() => run(`End the call of ${label} for everyone now?`, endConsultationAction)}>
          End consultation
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
export function ConsultationRowActions({ consultationId, status, label }: { consultationId: string; status: ConsultationStatus; label: string }) {
  const [links, setLinks] = useState<Links | null | undefined>(undefined);
  const [, startTransition] = useTransition();
  return (
    <details
      className={styles.rowActions}
      onToggle={(event) => {
        if ((event.currentTarget as HTMLDetailsElement).open && links === undefined) {
          startTransition(async () => setLinks(await consultationLinksAction(consultationId)));
        }
      }}
    >
      <summary aria-label={`Actions for ${label}`}>Actions</summary>
      <div className={styles.rowActionsMenu}>
        {links === undefined ? (
          <p className={styles.hint}>Loading…</p>
        ) : links === null ? (
          <p className={styles.fieldError}>This consultation is no longer there.</p>
        ) : (
          <>
            <div>
              <CopyButton value={links.patientUrl} label="Copy patient link" />
            </div>
            <div>
              <CopyButton value={links.providerUrl} label="Copy provider link" />
            </div>
          </>
        )}
        <div>
          <PinReveal consultationId={consultationId} />
        </div>
        <div>
          <ReissueAccess consultationId={consultationId} status={status} label={label} />
        </div>
        <EndOrCancel consultationId={consultationId} status={status} label={label} />
      </div>
    </details>
  );
}

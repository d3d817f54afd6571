"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import {
  cancelConsultationAction,
  consultationLinksAction,
  endConsultationAction,
  revealPinAction,
  type RowActionResult,
} from "@/app/dashboard/consultations/actions";
import type { ConsultationStatus } from "@/lib/dashboard/consultations-query";
import { CopyButton } from "./CopyButton";
import styles from "./dashboard.module.css";

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
        <EndOrCancel consultationId={consultationId} status={status} label={label} />
      </div>
    </details>
  );
}

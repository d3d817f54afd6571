"use client";

import { startTransition, useActionState, useMemo, useRef } from "react";
import { DataTable, type TableColumn } from "@/components/ui/DataTable";
import type { FormAction, FormState } from "@/lib/forms/form-state";
import styles from "./dashboard.module.css";
import css from "./integrations.module.css";
import { ConfirmButton } from "./IntegrationsConfirm";

export type RevokeApiCredentialState = FormState & { revoked?: boolean };

export type ApiCredentialRow = { keyId: string; name: string; created: string; lastUsed: string | null; revoked: string | null };

/** Revokes after a confirmation; the key id travels in a form field, and the server checks it is the clinic's. */
function RevokeCell({ revoke, row }: { revoke: FormAction<RevokeApiCredentialState>; row: ApiCredentialRow }) {
  const [state, action, pending] = useActionState<RevokeApiCredentialState, FormData>(revoke, {});
  const form = useRef<HTMLFormElement>(null);
  if (row.revoked) return <span className={styles.muted}>—</span>;
  return (
    <form ref={form} className={css.actions} onSubmit={(event) => event.preventDefault()}>
      <input type="hidden" name="keyId" value={row.keyId} />
      <ConfirmButton
        label="Revoke"
        accessibleLabel={`Revoke ${row.name}`}
        title={`Revoke “${row.name}”?`}
        confirmLabel="Revoke credential"
        pending={pending}
        buttonClassName={css.rowButton}
        onConfirm={() => {
          const data = new FormData(form.current!);
          startTransition(() => action(data));
        }}
      >
        <p>
          Requests with key <code>{row.keyId}</code> are refused from now on (401). This cannot be undone: a system that still needs access gets a new
          credential.
        </p>
      </ConfirmButton>
      {state.formError && (
        <p className={styles.fieldError} role="alert">
          {state.formError}
        </p>
      )}
    </form>
  );
}

const columnsWith = (revoke: FormAction<RevokeApiCredentialState>): TableColumn<ApiCredentialRow>[] => [
  { id: "name", header: "Name", cell: ({ row }) => <span className={css.cellText}>{row.original.name}</span> },
  { id: "keyId", header: "Key ID", cell: ({ row }) => <code className={css.nowrap}>{row.original.keyId}</code> },
  { id: "created", header: "Created", cell: ({ row }) => <span className={css.nowrap}>{row.original.created}</span> },
  { id: "lastUsed", header: "Last used", cell: ({ row }) => <span className={css.nowrap}>{row.original.lastUsed ?? "never"}</span> },
  {
    id: "status",
    header: "Status",
    cell: ({ row }) =>
      row.original.revoked ? (
        <>
          <span className={`${css.badge} ${css.off}`}>Revoked</span> <span className={styles.muted}>{row.original.revoked}</span>
        </>
      ) : (
        <span className={`${css.badge} ${css.ok}`}>Active</span>
      ),
  },
  { id: "actions", header: "Actions", cell: ({ row }) => <RevokeCell revoke={revoke} row={row.original} /> },
];

export function ApiCredentialsTable({ revoke, rows, timeZone }: { revoke: FormAction<RevokeApiCredentialState>; rows: ApiCredentialRow[]; timeZone: string }) {
  const columns = useMemo(() => columnsWith(revoke), [revoke]);
  return <DataTable caption={`API credentials, times in ${timeZone}`} columns={columns} rows={rows} rowId={(r) => r.keyId} empty="No API credentials yet." />;
}

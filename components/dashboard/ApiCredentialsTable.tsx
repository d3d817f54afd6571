"use client";

import { useTranslations } from "next-intl";
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
  const t = useTranslations("ApiCredentials");
  const [state, action, pending] = useActionState<RevokeApiCredentialState, FormData>(revoke, {});
  const form = useRef<HTMLFormElement>(null);
  if (row.revoked) return <span className={styles.muted}>—</span>;
  return (
    <form ref={form} className={css.actions} onSubmit={(event) => event.preventDefault()}>
      <input type="hidden" name="keyId" value={row.keyId} />
      <ConfirmButton
        label={t("revoke")}
        accessibleLabel={t("revokeNamed", { name: row.name })}
        title={t("revokeQuestion", { name: row.name })}
        confirmLabel={t("revokeConfirm")}
        pending={pending}
        buttonClassName={css.rowButton}
        onConfirm={() => {
          const data = new FormData(form.current!);
          startTransition(() => action(data));
        }}
      >
        <p>{t.rich("revokeExplained", { keyId: row.keyId, code: (chunks) => <code>{chunks}</code> })}</p>
      </ConfirmButton>
      {state.formError && (
        <p className={styles.fieldError} role="alert">
          {state.formError}
        </p>
      )}
    </form>
  );
}

export function ApiCredentialsTable({ revoke, rows, timeZone }: { revoke: FormAction<RevokeApiCredentialState>; rows: ApiCredentialRow[]; timeZone: string }) {
  const t = useTranslations("ApiCredentials");
  const columns = useMemo<TableColumn<ApiCredentialRow>[]>(
    () => [
      { id: "name", header: t("columns.name"), cell: ({ row }) => <span className={css.cellText}>{row.original.name}</span> },
      { id: "keyId", header: t("columns.keyId"), cell: ({ row }) => <code className={css.nowrap}>{row.original.keyId}</code> },
      { id: "created", header: t("columns.created"), cell: ({ row }) => <span className={css.nowrap}>{row.original.created}</span> },
      { id: "lastUsed", header: t("columns.lastUsed"), cell: ({ row }) => <span className={css.nowrap}>{row.original.lastUsed ?? t("never")}</span> },
      {
        id: "status",
        header: t("columns.status"),
        cell: ({ row }) =>
          row.original.revoked ? (
            <>
              <span className={css.badge + " " + css.off}>{t("revoked")}</span> <span className={styles.muted}>{row.original.revoked}</span>
            </>
          ) : (
            <span className={css.badge + " " + css.ok}>{t("active")}</span>
          ),
      },
      { id: "actions", header: t("columns.actions"), cell: ({ row }) => <RevokeCell revoke={revoke} row={row.original} /> },
    ],
    [t, revoke],
  );
  return <DataTable caption={t("caption", { timeZone })} columns={columns} rows={rows} rowId={(r) => r.keyId} empty={t("empty")} />;
}

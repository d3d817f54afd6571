"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useMemo, useRef, useState, useTransition } from "react";
import { DataTable, type TableColumn } from "@/components/ui/DataTable";
import ui from "@/components/ui/ui.module.css";
import type { StaffRole } from "@/lib/staff/roles";
import styles from "./dashboard.module.css";
import { useDashboardLabels } from "./labels";
import { StaffInvitationLink, type ShownInvitation } from "./StaffInvitationLink";
import { StaffRoleFields, type ProviderChoice } from "./StaffRoleFields";
import settings from "./settings.module.css";

/** What a row's action answers: a sentence for the page, and a new link to show when there is one. */
export type StaffActionResult = { ok: boolean; message: string; fieldErrors?: Record<string, string>; invitation?: ShownInvitation };

/** The server actions a row offers, as the page hands them over. */
export type StaffRowActions = {
  resendInvitation: (userId: string) => Promise<StaffActionResult>;
  changeRole: (userId: string, role: string, providerId: string) => Promise<StaffActionResult>;
  setActive: (userId: string, active: boolean) => Promise<StaffActionResult>;
};

export type StaffTableRow = {
  userId: string;
  name: string;
  email: string;
  role: StaffRole;
  providerId: string | null;
  providerName: string | null;
  status: "active" | "invited" | "deactivated";
  /** For someone invited: until when their link works, or that it expired. */
  invitationNote: string | null;
  lastSignIn: string;
  self: boolean;
};

const STATUS_KEYS = { active: "status.active", invited: "status.invited", deactivated: "status.deactivated" } as const;
const STATUS_CLASSES = { active: settings.statusActive, invited: settings.statusInvited, deactivated: settings.statusDeactivated } as const;

/** A native modal dialog: focus stays inside, Escape closes it, focus goes back where it was. */
function Dialog({ open, onClose, title, children }: { open: boolean; onClose: () => void; title: string; children: React.ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className={settings.dialog} aria-labelledby={titleId} onClose={onClose}>
      {open && (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
        </>
      )}
    </dialog>
  );
}

function RoleDialogBody({ row, providers, pending, result, onSave, onCancel }: {
  row: StaffTableRow;
  providers: ProviderChoice[];
  pending: boolean;
  result: StaffActionResult | null;
  onSave: (role: string, providerId: string) => void;
  onCancel: () => void;
}) {
  const t = useTranslations("Staff");
  const [role, setRole] = useState<string>(row.role);
  return (
    <form
      className={styles.form}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        onSave(String(data.get("role") ?? ""), String(data.get("providerId") ?? ""));
      }}
    >
      {result && !result.ok && (
        <p className={styles.formError} role="alert">
          {result.message}
        </p>
      )}
      <StaffRoleFields idPrefix="change" role={role} onRole={setRole} providers={providers} providerId={row.providerId ?? undefined} errors={result?.fieldErrors ?? {}} />
      <div className={settings.dialogActions}>
        <button type="submit" className={styles.primary} disabled={pending}>
          {pending ? t("saving") : t("saveRole")}
        </button>
        <button type="button" className={styles.secondary} onClick={onCancel}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}

/** The staff of the organization, with what an admin can do to each person. */
export function StaffTable({ rows, providers, timeZone, actions }: { rows: StaffTableRow[]; providers: ProviderChoice[]; timeZone: string; actions: StaffRowActions }) {
  const t = useTranslations("Staff");
  const labels = useDashboardLabels();
  const [pending, startTransition] = useTransition();
  const [outcome, setOutcome] = useState<StaffActionResult | null>(null);
  const [shownLink, setShownLink] = useState<ShownInvitation | null>(null);
  const [dialog, setDialog] = useState<{ kind: "role" | "deactivate"; row: StaffTableRow } | null>(null);
  const [dialogResult, setDialogResult] = useState<StaffActionResult | null>(null);
  const summary = useRef<HTMLDivElement>(null);

  const finish = (result: StaffActionResult) => {
    setOutcome(result);
    setShownLink(result.invitation ?? null);
    // After the page's table re-renders (the row's buttons may have changed), say what happened.
    requestAnimationFrame(() => summary.current?.focus());
  };
  const run = (work: () => Promise<StaffActionResult>) =>
    startTransition(async () => {
      finish(await work());
    });
  const runInDialog = (work: () => Promise<StaffActionResult>) =>
    startTransition(async () => {
      const result = await work();
      if (!result.ok) {
        setDialogResult(result);
        return;
      }
      setDialog(null);
      finish(result);
    });
  const openDialog = (kind: "role" | "deactivate", row: StaffTableRow) => {
    setDialogResult(null);
    setDialog({ kind, row });
  };

  const columns = useMemo<TableColumn<StaffTableRow>[]>(
    () => [
      {
        id: "name",
        header: t("columns.name"),
        cell: ({ row }) => (
          <>
            {row.original.name}
            {row.original.self && <span className={settings.you}> {t("you")}</span>}
            <small className={settings.email}>{row.original.email}</small>
          </>
        ),
      },
      { id: "role", header: t("columns.role"), cell: ({ row }) => labels.role(row.original.role) },
      { id: "provider", header: t("columns.provider"), cell: ({ row }) => row.original.providerName ?? <span className={styles.muted}>—</span> },
      {
        id: "status",
        header: t("columns.status"),
        cell: ({ row }) => (
          <>
            <span className={ui.badge + " " + STATUS_CLASSES[row.original.status]}>{t(STATUS_KEYS[row.original.status])}</span>
            {row.original.invitationNote && <small className={settings.note}>{row.original.invitationNote}</small>}
          </>
        ),
      },
      { id: "lastSignIn", header: t("columns.lastSignIn"), cell: ({ row }) => row.original.lastSignIn },
      {
        id: "actions",
        header: t("columns.actions"),
        cell: ({ row }) => {
          const r = row.original;
          if (r.self) return <span className={styles.muted}>{t("ownAccount")}</span>;
          const whom = <span className={ui.visuallyHidden}> {r.name}</span>;
          return (
            <div className={settings.rowActions}>
              {r.status !== "deactivated" && (
                <button type="button" className={styles.smallButton} disabled={pending} onClick={() => openDialog("role", r)}>
                  {t("changeRole")}
                  {whom}
                </button>
              )}
              {r.status === "invited" && (
                <button type="button" className={styles.smallButton} disabled={pending} onClick={() => run(() => actions.resendInvitation(r.userId))}>
                  {t("resend")}
                  {whom}
                </button>
              )}
              {r.status === "deactivated" ? (
                <button type="button" className={styles.smallButton} disabled={pending} onClick={() => run(() => actions.setActive(r.userId, true))}>
                  {t("reactivate")}
                  {whom}
                </button>
              ) : (
                <button type="button" className={styles.smallButton + " " + settings.dangerButton} disabled={pending} onClick={() => openDialog("deactivate", r)}>
                  {t("deactivate")}
                  {whom}
                </button>
              )}
            </div>
          );
        },
      },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the handlers only read state setters and `pending`
    [pending, t, labels],
  );

  return (
    <>
      <div ref={summary} tabIndex={-1} className={settings.summary}>
        {outcome && (
          <p className={outcome.ok ? styles.notice : styles.formError} role={outcome.ok ? "status" : "alert"}>
            {outcome.message}
          </p>
        )}
        {shownLink && <StaffInvitationLink invitation={shownLink} title={t("newLinkFor", { name: shownLink.name })} />}
      </div>

      <DataTable caption={t("caption", { timeZone })} columns={columns} rows={rows} rowId={(row) => row.userId} empty={t("empty")} />

      <Dialog open={dialog?.kind === "role"} onClose={() => setDialog(null)} title={t("changeRoleOf", { name: dialog?.row.name ?? "" })}>
        {dialog?.kind === "role" && (
          <RoleDialogBody
            row={dialog.row}
            providers={providers}
            pending={pending}
            result={dialogResult}
            onSave={(role, providerId) => runInDialog(() => actions.changeRole(dialog.row.userId, role, providerId))}
            onCancel={() => setDialog(null)}
          />
        )}
      </Dialog>
      <Dialog open={dialog?.kind === "deactivate"} onClose={() => setDialog(null)} title={t("deactivateQuestion", { name: dialog?.row.name ?? "" })}>
        {dialog?.kind === "deactivate" && (
          <>
            {dialogResult && !dialogResult.ok && (
              <p className={styles.formError} role="alert">
                {dialogResult.message}
              </p>
            )}
            <p>{t("deactivateExplained", { name: dialog.row.name })}</p>
            <div className={settings.dialogActions}>
              <button type="button" className={styles.danger} disabled={pending} onClick={() => runInDialog(() => actions.setActive(dialog.row.userId, false))}>
                {pending ? t("deactivating") : t("deactivate")}
              </button>
              <button type="button" className={styles.secondary} onClick={() => setDialog(null)}>
                {t("cancel")}
              </button>
            </div>
          </>
        )}
      </Dialog>
    </>
  );
}

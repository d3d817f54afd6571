import type { Metadata } from "next";
import { AuditTable, type AuditTableRow } from "@/components/dashboard/AuditTable";
import { AUDIT_ACTION_LABELS } from "@/components/dashboard/labels";
import { Pager } from "@/components/dashboard/Pager";
import styles from "@/components/dashboard/dashboard.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { browserLabel } from "@/lib/rooms/issue-reports";
import { listAudit } from "@/lib/staff";
import { formatLocal } from "@/lib/time";

export const metadata: Metadata = { title: "Audit log" };

const SIZE = 50;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { staff: member, db, organization } = await staffRequest("audit.view");
  const params = await searchParams;
  const page = Math.max(1, Math.min(100_000, Number.parseInt(String(params.page ?? "1"), 10) || 1));
  const action = typeof params.action === "string" && params.action in AUDIT_ACTION_LABELS ? params.action : undefined;
  const { rows, total } = await listAudit(db, member.organizationId, { page, size: SIZE, action });
  const pageCount = Math.max(1, Math.ceil(total / SIZE));
  const tableRows: AuditTableRow[] = rows.map((row) => ({
    id: row.id,
    at: formatLocal(row.at, organization.timezone),
    action: row.action,
    who: row.actorName ? `${row.actorName} (${row.actorLabel})` : row.actorLabel,
    target: row.targetType ? `${row.targetType} ${row.targetId ?? ""}`.trim() : "",
    from: [row.ip, browserLabel(row.userAgent)].filter(Boolean).join(" · "),
    detail: row.detail ? Object.entries(row.detail).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`).join(", ") : "",
  }));
  const href = (p: number) => `/dashboard/audit?${new URLSearchParams({ ...(action ? { action } : {}), page: String(p) })}`;

  return (
    <>
      <div className={styles.pageHead}>
        <h1>Audit log</h1>
      </div>
      <form method="get" className={styles.filters} aria-label="Filter the audit log">
        <label className={styles.field}>
          <span>What</span>
          <select name="action" defaultValue={action ?? ""}>
            <option value="">Everything</option>
            {Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <div className={styles.filterActions}>
          <button type="submit" className={styles.primary}>
            Show
          </button>
        </div>
      </form>
      <p className={styles.muted}>
        {total.toLocaleString("en")} entries · times in {organization.timezone}
      </p>
      <AuditTable rows={tableRows} timeZone={organization.timezone} />
      <Pager page={page} pageCount={pageCount} href={href} labels={["← Newer", "Older →"]} />
    </>
  );
}


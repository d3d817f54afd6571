import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { AuditTable, type AuditTableRow } from "@/components/dashboard/AuditTable";
import { DATE_TIME } from "@/components/dashboard/formats";
import { AUDIT_ACTION_KEYS, AUDIT_TARGET_KEYS, isAuditAction } from "@/components/dashboard/labels";
import { Pager } from "@/components/dashboard/Pager";
import styles from "@/components/dashboard/dashboard.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { browserParts } from "@/lib/rooms/issue-reports";
import { listAudit } from "@/lib/staff";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Audit");
  return { title: t("title") };
}

const SIZE = 50;

/** The dashboard's page for an entry's target, where it has one: the audit log links to what it names. */
const TARGET_PAGES: Record<string, (id: string) => string> = {
  consultation: (id) => `/dashboard/consultations/${encodeURIComponent(id)}`,
  provider: (id) => `/dashboard/providers/${encodeURIComponent(id)}`,
  webhook_endpoint: (id) => `/dashboard/settings/webhooks/${encodeURIComponent(id)}`,
};

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { staff: member, db, organization } = await staffRequest("audit.view");
  const [params, t, tTables, format] = await Promise.all([searchParams, getTranslations("Audit"), getTranslations("Tables"), getFormatter()]);
  const page = Math.max(1, Math.min(100_000, Number.parseInt(String(params.page ?? "1"), 10) || 1));
  const action = isAuditAction(params.action) ? params.action : undefined;
  const { rows, total } = await listAudit(db, member.organizationId, { page, size: SIZE, action });
  const pageCount = Math.max(1, Math.ceil(total / SIZE));
  const target = (type: string) => {
    const key = AUDIT_TARGET_KEYS[type];
    return key ? t(key) : type;
  };
  const browser = (userAgent: string | null) => {
    const parts = browserParts(userAgent);
    if (!parts) return null;
    if (parts.browser && parts.os) return t("browserOn", { browser: parts.browser, os: parts.os });
    return parts.browser || parts.os || parts.raw;
  };
  const tableRows: AuditTableRow[] = rows.map((row) => ({
    id: row.id,
    at: format.dateTime(row.at, DATE_TIME),
    action: row.action,
    who: row.actorName ? `${row.actorName} (${row.actorLabel})` : row.actorLabel,
    target: row.targetType ? `${target(row.targetType)} ${row.targetId ?? ""}`.trim() : "",
    targetHref: row.targetType && row.targetId ? (TARGET_PAGES[row.targetType]?.(row.targetId) ?? null) : null,
    from: [row.ip, browser(row.userAgent)].filter(Boolean).join(" · "),
    // The details are data as recorded (field names, values): shown as stored.
    detail: row.detail ? Object.entries(row.detail).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`).join(", ") : "",
  }));
  const href = (p: number) => `/dashboard/audit?${new URLSearchParams({ ...(action ? { action } : {}), page: String(p) })}`;
  const choices = Object.entries(AUDIT_ACTION_KEYS).map(([value, key]) => ({ value, label: t(key) }));

  return (
    <>
      <div className={styles.pageHead}>
        <h1>{t("title")}</h1>
      </div>
      <form method="get" className={styles.filters} aria-label={t("filterLabel")}>
        <label className={styles.field}>
          <span>{t("columns.what")}</span>
          <select name="action" defaultValue={action ?? ""}>
            <option value="">{t("everything")}</option>
            {choices.map(({ value, label }) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <div className={styles.filterActions}>
          <button type="submit" className={styles.primary}>
            {t("show")}
          </button>
        </div>
      </form>
      <p className={styles.muted}>
        {t("entries", { count: total })} · {tTables("timesIn", { timeZone: organization.timezone })}
      </p>
      <AuditTable rows={tableRows} timeZone={organization.timezone} />
      <Pager page={page} pageCount={pageCount} href={href} newest />
    </>
  );
}

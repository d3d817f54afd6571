import type { Metadata } from "next";
import Link from "next/link";
import { ConsultationsTable } from "@/components/dashboard/ConsultationsTable";
import { STATUS_LABELS } from "@/components/dashboard/labels";
import { LiveRefresh } from "@/components/dashboard/LiveRefresh";
import { Pager } from "@/components/dashboard/Pager";
import styles from "@/components/dashboard/dashboard.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { CONSULTATION_STATUSES } from "@/lib/consultations/schema";
import { listConsultationTable } from "@/lib/consultations/table";
import { CONSULTATION_TABLE_SORTS, consultationTableSearch, parseConsultationTableQuery, type SearchParams } from "@/lib/consultations/table-query";
import { listProviderChoices } from "@/lib/providers";
import { can } from "@/lib/staff";
import { consultationActions } from "./row-actions";

export const metadata: Metadata = { title: "Consultations" };

const SORT_LABELS: Record<(typeof CONSULTATION_TABLE_SORTS)[number], string> = {
  startsAt: "Time",
  status: "Status",
  provider: "Provider",
  patient: "Patient",
  type: "Type",
  duration: "Duration",
  createdAt: "Created",
};

export default async function ConsultationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { staff: member, db, organization } = await staffRequest("consultations.view");
  const { query, invalid } = parseConsultationTableQuery(await searchParams);
  const ownOnly = member.role === "provider";
  const ctx = { organizationId: member.organizationId, timeZone: organization.timezone, providerId: ownOnly ? (member.providerId ?? undefined) : undefined };
  const [page, providerChoices] = await Promise.all([listConsultationTable(db, ctx, query), ownOnly ? [] : listProviderChoices(db, member.organizationId)]);

  const href = (change: Partial<typeof query>) => {
    const search = consultationTableSearch({ ...query, ...change });
    return search ? `/dashboard/consultations?${search}` : "/dashboard/consultations";
  };
  const sortLinks = Object.fromEntries(
    CONSULTATION_TABLE_SORTS.map((sort) => [sort, href({ sort, dir: query.sort === sort && query.dir === "asc" ? "desc" : "asc", page: 1 })]),
  );
  const exportSearch = consultationTableSearch({ ...query, page: undefined, size: undefined });
  const first = page.total === 0 ? 0 : (page.page - 1) * page.size + 1;
  const last = Math.min(page.total, page.page * page.size);

  return (
    <>
      <div className={styles.pageHead}>
        <h1>{ownOnly ? "My consultations" : "Consultations"}</h1>
        {can(member.role, "consultations.manage") && (
          <div className={styles.headActions}>
            {/* A download, not a page: a plain link, so the router does not prefetch it. */}
            <a href={`/dashboard/consultations/export${exportSearch ? `?${exportSearch}` : ""}`} className={styles.secondaryLink} download>
              Export CSV
            </a>
            <Link href="/dashboard/consultations/new" className={styles.primaryLink}>
              New consultation
            </Link>
          </div>
        )}
      </div>

      {invalid.length > 0 && (
        <p className={styles.notice} role="status">
          Some filters in the address were not understood and were left out:{" "}
          {invalid.map((i) => `${i.param} ${i.message}`).join("; ")}.
        </p>
      )}

      <form method="get" action="/dashboard/consultations" className={styles.filters} aria-label="Filter consultations">
        <fieldset className={styles.statusFilter}>
          <legend>Status</legend>
          {CONSULTATION_STATUSES.map((status) => (
            <label key={status}>
              <input type="checkbox" name="status" value={status} defaultChecked={query.status.includes(status)} /> {STATUS_LABELS[status]}
            </label>
          ))}
        </fieldset>
        <label className={styles.field}>
          <span>From</span>
          <input type="date" name="from" defaultValue={query.from ?? ""} />
        </label>
        <label className={styles.field}>
          <span>To</span>
          <input type="date" name="to" defaultValue={query.to ?? ""} />
        </label>
        {!ownOnly && (
          <label className={styles.field}>
            <span>Provider</span>
            <select name="provider" defaultValue={query.provider ?? ""}>
              <option value="">All providers</option>
              {providerChoices.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                  {p.active ? "" : " (inactive)"}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className={styles.field}>
          <span>Patient</span>
          <input type="search" name="q" defaultValue={query.q ?? ""} placeholder="Name or document number" />
        </label>
        {/* The column headers sort on a wide screen; a phone's card layout has no headers, so it sorts here. */}
        <div className={`${styles.field} ${styles.phoneOnly}`}>
          {/* A label beside the select, not around it: its options are not part of its name. */}
          <label htmlFor="sort-by">Sort by</label>
          <select id="sort-by" name="sort" defaultValue={query.sort}>
            {CONSULTATION_TABLE_SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {SORT_LABELS[sort]}
              </option>
            ))}
          </select>
        </div>
        <div className={`${styles.field} ${styles.phoneOnly}`}>
          <label htmlFor="sort-order">Order</label>
          <select id="sort-order" name="dir" defaultValue={query.dir}>
            <option value="asc">Ascending (A→Z, oldest first)</option>
            <option value="desc">Descending (Z→A, newest first)</option>
          </select>
        </div>
        {query.size !== 25 && <input type="hidden" name="size" value={query.size} />}
        <div className={styles.filterActions}>
          <button type="submit" className={styles.primary}>
            Apply filters
          </button>
          <Link href="/dashboard/consultations">Clear</Link>
        </div>
      </form>

      <p className={styles.muted} aria-live="polite">
        {page.total === 0 ? "No consultations" : `${first}–${last} of ${page.total.toLocaleString("en")} consultations`} · times in{" "}
        {organization.timezone}
      </p>
      <ConsultationsTable
        rows={page.rows}
        timeZone={organization.timezone}
        sorting={{ links: sortLinks, column: query.sort, direction: query.dir }}
        actions={can(member.role, "consultations.manage") ? consultationActions : undefined}
      />

      <LiveRefresh />
      <Pager page={page.page} pageCount={page.pageCount} href={(p) => href({ page: p })} />
    </>
  );
}

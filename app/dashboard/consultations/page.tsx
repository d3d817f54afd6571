import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { ConsultationsTable } from "@/components/dashboard/ConsultationsTable";
import { STATUS_KEYS } from "@/components/dashboard/labels";
import { LiveRefresh } from "@/components/dashboard/LiveRefresh";
import { Pager } from "@/components/dashboard/Pager";
import styles from "@/components/dashboard/dashboard.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { CONSULTATION_STATUSES } from "@/lib/consultations/schema";
import { listConsultationTable } from "@/lib/consultations/table";
import {
  CONSULTATION_TABLE_SORTS,
  consultationTableSearch,
  NO_SHOW_FILTERS,
  parseConsultationTableQuery,
  type ConsultationTableParam,
  type SearchParams,
} from "@/lib/consultations/table-query";
import { listProviderChoices } from "@/lib/providers";
import { can } from "@/lib/staff";
import { consultationActions } from "./row-actions";
import { withTellApart } from "@/lib/providers/tell-apart";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Consultations");
  return { title: t("title") };
}

/** The sort choices of a phone's form: the table's column names. */
const SORT_KEYS = {
  startsAt: "columns.time",
  status: "columns.status",
  provider: "columns.provider",
  patient: "columns.patient",
  type: "columns.type",
  duration: "columns.duration",
  createdAt: "columns.created",
} as const satisfies Record<(typeof CONSULTATION_TABLE_SORTS)[number], string>;

/** The no-show filter's choices (namespace Consultations). */
const NO_SHOW_FILTER_KEYS = {
  any: "filters.noShowAny",
  patient: "filters.noShowPatient",
  provider: "filters.noShowProvider",
  both: "filters.noShowBoth",
} as const satisfies Record<(typeof NO_SHOW_FILTERS)[number], string>;

/** A filter of the address that was not understood, by the name the form gives it. */
const PARAM_KEYS = {
  page: "params.page",
  size: "params.size",
  sort: "params.sort",
  dir: "params.dir",
  status: "params.status",
  from: "params.from",
  to: "params.to",
  provider: "params.provider",
  noShow: "params.noShow",
  q: "params.q",
} as const satisfies Record<ConsultationTableParam, string>;

export default async function ConsultationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { staff: member, db, organization } = await staffRequest("consultations.view");
  const [t, tDashboard, tTables, format] = await Promise.all([getTranslations("Consultations"), getTranslations("Dashboard"), getTranslations("Tables"), getFormatter()]);
  const { query, invalid } = parseConsultationTableQuery(await searchParams);
  const ownOnly = member.role === "provider";
  const ctx = { organizationId: member.organizationId, timeZone: organization.timezone, providerId: ownOnly ? (member.providerId ?? undefined) : undefined };
  const [page, providerChoices] = await Promise.all([listConsultationTable(db, ctx, query), ownOnly ? [] : listProviderChoices(db, member.organizationId)]);

  const href = (change: Partial<typeof query>) => {
    const search = consultationTableSearch({ ...query, ...change });
    return search ? "/dashboard/consultations?" + search : "/dashboard/consultations";
  };
  const sortLinks = Object.fromEntries(
    CONSULTATION_TABLE_SORTS.map((sort) => [sort, href({ sort, dir: query.sort === sort && query.dir === "asc" ? "desc" : "asc", page: 1 })]),
  );
  const exportSearch = consultationTableSearch({ ...query, page: undefined, size: undefined });
  const first = page.total === 0 ? 0 : (page.page - 1) * page.size + 1;
  const last = Math.min(page.total, page.page * page.size);
  const notUnderstood = [...new Set(invalid.map((i) => i.param))].map((param) => t(PARAM_KEYS[param]));

  return (
    <>
      <div className={styles.pageHead}>
        <h1>{ownOnly ? t("mine") : t("title")}</h1>
        {can(member.role, "consultations.manage") && (
          <div className={styles.headActions}>
            {/* A download, not a page: a plain link, so the router does not prefetch it. */}
            <a href={"/dashboard/consultations/export" + (exportSearch ? "?" + exportSearch : "")} className={styles.secondaryLink} download>
              {t("exportCsv")}
            </a>
            <Link href="/dashboard/consultations/new" className={styles.primaryLink}>
              {t("new")}
            </Link>
          </div>
        )}
      </div>

      {notUnderstood.length > 0 && (
        <p className={styles.notice} role="status">
          {tTables("filtersNotUnderstood", { filters: format.list(notUnderstood, { type: "conjunction" }) })}
        </p>
      )}

      <form method="get" action="/dashboard/consultations" className={styles.filters} aria-label={t("filters.label")}>
        <fieldset className={styles.statusFilter}>
          <legend>{t("filters.status")}</legend>
          {CONSULTATION_STATUSES.map((status) => (
            <label key={status}>
              <input type="checkbox" name="status" value={status} defaultChecked={query.status.includes(status)} /> {tDashboard(STATUS_KEYS[status])}
            </label>
          ))}
        </fieldset>
        <label className={styles.field}>
          <span>{t("filters.from")}</span>
          <input type="date" name="from" defaultValue={query.from ?? ""} />
        </label>
        <label className={styles.field}>
          <span>{t("filters.to")}</span>
          <input type="date" name="to" defaultValue={query.to ?? ""} />
        </label>
        {!ownOnly && (
          <label className={styles.field}>
            <span>{t("filters.provider")}</span>
            <select name="provider" defaultValue={query.provider ?? ""}>
              <option value="">{t("filters.allProviders")}</option>
              {providerChoices.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.active ? withTellApart(p) : t("filters.inactiveProvider", { name: withTellApart(p) })}
                </option>
              ))}
            </select>
          </label>
        )}
        {/* A label beside the select, not around it: its options ("The patient") are not part of its name. */}
        <div className={styles.field}>
          <label htmlFor="filter-no-show">{t("filters.noShow")}</label>
          <select id="filter-no-show" name="noShow" defaultValue={query.noShow ?? ""}>
            <option value="">{t("filters.noShowAll")}</option>
            {NO_SHOW_FILTERS.map((value) => (
              <option key={value} value={value}>
                {t(NO_SHOW_FILTER_KEYS[value])}
              </option>
            ))}
          </select>
        </div>
        <label className={styles.field}>
          <span>{t("filters.patient")}</span>
          <input type="search" name="q" defaultValue={query.q ?? ""} placeholder={t("filters.patientPlaceholder")} />
        </label>
        {/* The column headers sort on a wide screen; a phone's card layout has no headers, so it sorts here. */}
        <div className={styles.field + " " + styles.phoneOnly}>
          {/* A label beside the select, not around it: its options are not part of its name. */}
          <label htmlFor="sort-by">{tTables("sortBy")}</label>
          <select id="sort-by" name="sort" defaultValue={query.sort}>
            {CONSULTATION_TABLE_SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {t(SORT_KEYS[sort])}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.field + " " + styles.phoneOnly}>
          <label htmlFor="sort-order">{tTables("order")}</label>
          <select id="sort-order" name="dir" defaultValue={query.dir}>
            <option value="asc">{tTables("ascending")}</option>
            <option value="desc">{tTables("descending")}</option>
          </select>
        </div>
        {query.size !== 25 && <input type="hidden" name="size" value={query.size} />}
        <div className={styles.filterActions}>
          <button type="submit" className={styles.primary}>
            {tTables("applyFilters")}
          </button>
          <Link href="/dashboard/consultations">{tTables("clear")}</Link>
        </div>
      </form>

      <p className={styles.muted} aria-live="polite">
        {page.total === 0 ? t("countNone") : t("count", { first, last, total: page.total })} · {tTables("timesIn", { timeZone: organization.timezone })}
      </p>
      <ConsultationsTable
        rows={page.rows}
        timeZone={organization.timezone}
        sorting={{ links: sortLinks, column: query.sort, direction: query.dir }}
        actions={can(member.role, "consultations.manage") ? consultationActions : undefined}
        renderedAt={new Date()}
      />

      <LiveRefresh />
      <Pager page={page.page} pageCount={page.pageCount} href={(p) => href({ page: p })} />
    </>
  );
}

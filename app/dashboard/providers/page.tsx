import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { ProvidersTable } from "@/components/dashboard/ProvidersTable";
import { Pager } from "@/components/dashboard/Pager";
import styles from "@/components/dashboard/dashboard.module.css";
import own from "@/components/dashboard/providers.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { listProviderTable, parseProviderTableQuery, providerTableSearch, type ProviderTableQuery } from "@/lib/providers";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Providers");
  return { title: t("title") };
}

/** A filter of the address that was not understood, by the name the form gives it. */
const PARAM_KEYS = { q: "params.q", inactive: "params.inactive", page: "params.page" } as const;

export default async function ProvidersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { staff: member, db } = await staffRequest("providers.manage");
  const [t, tTables, format] = await Promise.all([getTranslations("Providers"), getTranslations("Tables"), getFormatter()]);
  const { query, invalid } = parseProviderTableQuery(await searchParams);
  const page = await listProviderTable(db, member.organizationId, query);

  const href = (change: Partial<ProviderTableQuery>) => {
    const search = providerTableSearch({ ...query, ...change });
    return search ? `/dashboard/providers?${search}` : "/dashboard/providers";
  };
  const first = page.total === 0 ? 0 : (page.page - 1) * page.size + 1;
  const last = Math.min(page.total, page.page * page.size);
  const filtered = Boolean(query.q);
  const notUnderstood = [...new Set(invalid.map((i) => i.param))].map((param) => t(PARAM_KEYS[param]));

  return (
    <>
      <div className={styles.pageHead}>
        <h1>{t("title")}</h1>
        <Link href="/dashboard/providers/new" className={styles.primaryLink}>
          {t("add")}
        </Link>
      </div>

      {notUnderstood.length > 0 && (
        <p className={styles.notice} role="status">
          {tTables("filtersNotUnderstood", { filters: format.list(notUnderstood, { type: "conjunction" }) })}
        </p>
      )}

      <form method="get" action="/dashboard/providers" className={styles.filters} aria-label={t("filters.label")}>
        <label className={styles.field}>
          <span>{t("filters.search")}</span>
          <input type="search" name="q" defaultValue={query.q ?? ""} placeholder={t("filters.searchPlaceholder")} />
        </label>
        <label className={own.check}>
          <input type="checkbox" name="inactive" value="1" defaultChecked={query.inactive} /> {t("filters.includeInactive")}
        </label>
        <div className={styles.filterActions}>
          <button type="submit" className={styles.primary}>
            {tTables("applyFilters")}
          </button>
          <Link href="/dashboard/providers">{tTables("clear")}</Link>
        </div>
      </form>

      <p className={styles.muted} aria-live="polite">
        {page.total === 0 ? t("countNone") : query.inactive ? t("count", { first, last, total: page.total }) : t("countActive", { first, last, total: page.total })}
      </p>
      <ProvidersTable
        rows={page.rows}
        empty={
          filtered || !query.inactive ? (
            query.inactive ? (
              t("emptyFiltered")
            ) : (
              t("emptyFilteredActive")
            )
          ) : (
            <>{t.rich("emptyNone", { link: (chunks) => <Link href="/dashboard/providers/new">{chunks}</Link> })}</>
          )
        }
      />

      <Pager page={page.page} pageCount={page.pageCount} href={(p) => href({ page: p })} />
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { ProvidersTable } from "@/components/dashboard/ProvidersTable";
import { Pager } from "@/components/dashboard/Pager";
import styles from "@/components/dashboard/dashboard.module.css";
import own from "@/components/dashboard/providers.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { listProviderTable, parseProviderTableQuery, providerTableSearch, type ProviderTableQuery } from "@/lib/providers";

export const metadata: Metadata = { title: "Providers" };

export default async function ProvidersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { staff: member, db } = await staffRequest("providers.manage");
  const { query, invalid } = parseProviderTableQuery(await searchParams);
  const page = await listProviderTable(db, member.organizationId, query);

  const href = (change: Partial<ProviderTableQuery>) => {
    const search = providerTableSearch({ ...query, ...change });
    return search ? `/dashboard/providers?${search}` : "/dashboard/providers";
  };
  const first = page.total === 0 ? 0 : (page.page - 1) * page.size + 1;
  const last = Math.min(page.total, page.page * page.size);
  const filtered = Boolean(query.q);

  return (
    <>
      <div className={styles.pageHead}>
        <h1>Providers</h1>
        <Link href="/dashboard/providers/new" className={styles.primaryLink}>
          Add provider
        </Link>
      </div>

      {invalid.length > 0 && (
        <p className={styles.notice} role="status">
          Some filters in the address were not understood and were left out: {invalid.map((i) => `${i.param} ${i.message}`).join("; ")}.
        </p>
      )}

      <form method="get" action="/dashboard/providers" className={styles.filters} aria-label="Filter providers">
        <label className={styles.field}>
          <span>Search</span>
          <input type="search" name="q" defaultValue={query.q ?? ""} placeholder="Name or document number" />
        </label>
        <label className={own.check}>
          <input type="checkbox" name="inactive" value="1" defaultChecked={query.inactive} /> Include inactive
        </label>
        <div className={styles.filterActions}>
          <button type="submit" className={styles.primary}>
            Apply filters
          </button>
          <Link href="/dashboard/providers">Clear</Link>
        </div>
      </form>

      <p className={styles.muted} aria-live="polite">
        {page.total === 0
          ? "No providers"
          : `${first}–${last} of ${page.total.toLocaleString("en")} ${query.inactive ? "providers" : "active providers"}`}
      </p>
      <ProvidersTable
        rows={page.rows}
        empty={
          filtered || !query.inactive ? (
            <>No providers match these filters{query.inactive ? "" : " (inactive providers are hidden)"}.</>
          ) : (
            <>
              No providers yet. <Link href="/dashboard/providers/new">Add the first one</Link>.
            </>
          )
        }
      />

      <Pager page={page.page} pageCount={page.pageCount} href={(p) => href({ page: p })} />
    </>
  );
}

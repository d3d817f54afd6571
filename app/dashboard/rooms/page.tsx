import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { RoomsTable } from "@/components/dashboard/RoomsTable";
import styles from "@/components/dashboard/dashboard.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { AppError } from "@/lib/errors";
import { listStandaloneRooms, type RoomDirectoryPage } from "@/lib/rooms/directory";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Rooms");
  return { title: t("title") };
}

export default async function RoomsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db, staff, organization } = await staffRequest("rooms.view");
  const [t, tTables] = await Promise.all([getTranslations("Rooms"), getTranslations("Tables")]);
  const { cursor: given } = await searchParams;
  const cursor = typeof given === "string" && given !== "" ? given : undefined;
  const ctx = { organizationId: staff.organizationId, timeZone: organization.timezone };
  let page: RoomDirectoryPage;
  let badCursor = false;
  try {
    page = await listStandaloneRooms(db, ctx, { cursor });
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "invalid_cursor") throw error;
    badCursor = true;
    page = await listStandaloneRooms(db, ctx);
  }
  const paged = Boolean(cursor) && !badCursor;

  return (
    <>
      <div className={styles.pageHead}>
        <h1>{t("title")}</h1>
      </div>
      <p className={styles.muted}>{t("intro")}</p>
      {badCursor && (
        <p className={styles.notice} role="status">
          {t("badCursor")}
        </p>
      )}
      <p className={styles.muted} aria-live="polite">
        {page.rows.length === 0 ? t("countNone") : t("count", { count: page.rows.length, paged: paged ? "yes" : "no" })} · {tTables("timesIn", { timeZone: organization.timezone })}
      </p>
      <RoomsTable rows={page.rows} timeZone={organization.timezone} />
      {(paged || page.nextCursor) && (
        <nav aria-label={tTables("pager.label")} className={styles.pager}>
          {paged ? <Link href="/dashboard/rooms">{tTables("pager.newest")}</Link> : <span aria-hidden="true" />}
          <span />
          {page.nextCursor ? <Link href={`/dashboard/rooms?cursor=${encodeURIComponent(page.nextCursor)}`}>{tTables("pager.older")}</Link> : <span aria-hidden="true" />}
        </nav>
      )}
    </>
  );
}

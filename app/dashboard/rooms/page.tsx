import type { Metadata } from "next";
import Link from "next/link";
import { RoomsTable } from "@/components/dashboard/RoomsTable";
import styles from "@/components/dashboard/dashboard.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { AppError } from "@/lib/errors";
import { listStandaloneRooms, type RoomDirectoryPage } from "@/lib/rooms/directory";

export const metadata: Metadata = { title: "Rooms" };

export default async function RoomsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db, staff, organization } = await staffRequest("rooms.view");
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
        <h1>Rooms</h1>
      </div>
      <p className={styles.muted}>
        Calls made through the teleconsultation API, for 2 to 25 people. Open a room for each person&apos;s stays in the call.
      </p>
      {badCursor && (
        <p className={styles.notice} role="status">
          The page in the address was not understood; showing the newest rooms.
        </p>
      )}
      <p className={styles.muted} aria-live="polite">
        {page.rows.length === 0 ? "No rooms" : `${page.rows.length} ${page.rows.length === 1 ? "room" : "rooms"}${paged ? " on this page" : ""}`} · times in{" "}
        {organization.timezone}
      </p>
      <RoomsTable rows={page.rows} timeZone={organization.timezone} />
      {(paged || page.nextCursor) && (
        <nav aria-label="Pages" className={styles.pager}>
          {paged ? <Link href="/dashboard/rooms">← Newest</Link> : <span aria-hidden="true" />}
          <span />
          {page.nextCursor ? <Link href={`/dashboard/rooms?cursor=${encodeURIComponent(page.nextCursor)}`}>Older →</Link> : <span aria-hidden="true" />}
        </nav>
      )}
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { DATE_TIME } from "@/components/dashboard/formats";
import { CALL_TYPE_KEYS } from "@/components/dashboard/labels";
import { ParticipantName, RoomStatusBadge } from "@/components/dashboard/RoomsTable";
import styles from "@/components/dashboard/dashboard.module.css";
import rooms from "@/components/dashboard/rooms.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { standaloneRoom } from "@/lib/rooms/directory";
import { spokenDuration } from "@/lib/rooms/duration";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Rooms.detail");
  return { title: t("title") };
}

/** Why a stay ended; another reason is shown as its code. */
const END_REASONS = { left: "detail.endReasons.left", ended: "detail.endReasons.ended", timeout: "detail.endReasons.timeout", disconnected: "detail.endReasons.disconnected" } as const;

/** Why the call closed; another reason is shown as its code. */
const COMPLETION_REASONS = {
  ended_by_host: "detail.completionReasons.endedByHost",
  ended_by_provider: "detail.completionReasons.endedByHost",
  ended_by_staff: "detail.completionReasons.endedByStaff",
  participants_left: "detail.completionReasons.participantsLeft",
  timeout: "detail.completionReasons.timeout",
} as const;

export default async function RoomPage({ params }: { params: Promise<{ roomId: string }> }) {
  const { db, staff, organization } = await staffRequest("rooms.view");
  const [{ roomId }, t, tDashboard, format] = await Promise.all([params, getTranslations("Rooms"), getTranslations("Dashboard"), getFormatter()]);
  const tz = organization.timezone;
  const room = await standaloneRoom(db, { organizationId: staff.organizationId, timeZone: tz }, roomId);
  if (!room) notFound();
  const local = (at: Date) => format.dateTime(at, DATE_TIME);
  const startsAt = local(room.startsAt);
  const completion = room.completionReason;
  const why = completion ? (Object.hasOwn(COMPLETION_REASONS, completion) ? t(COMPLETION_REASONS[completion as keyof typeof COMPLETION_REASONS]) : completion) : null;

  return (
    <>
      <p className={styles.breadcrumb}>
        <Link href="/dashboard/rooms">{t("back")}</Link>
      </p>
      <div className={styles.pageHead}>
        <div className={styles.titleWithStatus}>
          <h1>{t("detail.heading", { time: startsAt })}</h1>
          <RoomStatusBadge row={room} />
        </div>
      </div>

      <section aria-labelledby="facts" className={styles.panel}>
        <h2 id="facts">{t("detail.title")}</h2>
        <dl className={styles.facts}>
          <dt>{t("columns.start")}</dt>
          <dd>
            {startsAt} ({tz})
          </dd>
          <dt>{t("columns.duration")}</dt>
          <dd>{room.durationMinutes === null ? t("noLimit") : spokenDuration(room.durationMinutes * 60)}</dd>
          <dt>{t("columns.callType")}</dt>
          <dd>{tDashboard(CALL_TYPE_KEYS[room.callType])}</dd>
          {room.description && (
            <>
              <dt>{t("detail.description")}</dt>
              <dd>{room.description}</dd>
            </>
          )}
          {room.startedAt && (
            <>
              <dt>{t("detail.began")}</dt>
              <dd>{local(room.startedAt)}</dd>
            </>
          )}
          {room.completedAt && (
            <>
              <dt>{t("detail.closed")}</dt>
              <dd>{why ? t("detail.closedBecause", { time: local(room.completedAt), why }) : local(room.completedAt)}</dd>
            </>
          )}
          <dt>{t("detail.created")}</dt>
          <dd>{local(room.createdAt)}</dd>
          <dt>{t("detail.roomId")}</dt>
          <dd>
            <code>{room.roomId}</code>
          </dd>
        </dl>
      </section>

      <section aria-labelledby="attendance" className={styles.panel}>
        <h2 id="attendance">{t("detail.attendance", { known: room.participants.length, expected: room.expectedParticipants })}</h2>
        {room.participants.length === 0 ? (
          <p className={styles.muted}>{t("detail.noParticipants")}</p>
        ) : (
          room.participants.map((p) => (
            <article key={p.participantId} className={rooms.participantCard} aria-labelledby={`p-${p.participantId}`}>
              <h3 id={`p-${p.participantId}`}>
                <ParticipantName participant={p} />
              </h3>
              {p.staysDetail.length === 0 ? (
                <p className={styles.muted}>{t("detail.didNotJoin")}</p>
              ) : (
                <>
                  <p className={styles.muted}>{t("detail.inTheCall", { duration: spokenDuration(p.attendedSeconds), stays: p.stays, present: p.present ? "yes" : "no" })}</p>
                  <ol className={rooms.stays}>
                    {p.staysDetail.map((stay) => {
                      const reason = stay.endReason ? (Object.hasOwn(END_REASONS, stay.endReason) ? t(END_REASONS[stay.endReason as keyof typeof END_REASONS]) : stay.endReason) : null;
                      const joined = (chunks: React.ReactNode) => <time dateTime={stay.joinedAt.toISOString()}>{chunks}</time>;
                      return (
                        <li key={stay.joinedAt.toISOString()}>
                          {stay.leftAt
                            ? (() => {
                                const values = {
                                  joinedAt: local(stay.joinedAt),
                                  leftAt: local(stay.leftAt),
                                  duration: spokenDuration(stay.seconds),
                                  joined,
                                  left: (chunks: React.ReactNode) => <time dateTime={stay.leftAt!.toISOString()}>{chunks}</time>,
                                };
                                return reason ? t.rich("detail.stay", { ...values, reason }) : t.rich("detail.stayNoReason", values);
                              })()
                            : t.rich("detail.stayOpen", { joinedAt: local(stay.joinedAt), duration: spokenDuration(stay.seconds), joined })}
                        </li>
                      );
                    })}
                  </ol>
                </>
              )}
            </article>
          ))
        )}
      </section>
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CALL_TYPE_LABELS } from "@/components/dashboard/labels";
import { ParticipantName, RoomStatusBadge } from "@/components/dashboard/RoomsTable";
import styles from "@/components/dashboard/dashboard.module.css";
import rooms from "@/components/dashboard/rooms.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { standaloneRoom } from "@/lib/rooms/directory";
import { spokenDuration } from "@/lib/rooms/duration";

export const metadata: Metadata = { title: "Room" };

const END_REASONS: Record<string, string> = {
  left: "left",
  ended: "the call ended",
  timeout: "the time ran out",
  disconnected: "lost connection",
};

const COMPLETION_REASONS: Record<string, string> = {
  ended_by_host: "ended by a host",
  ended_by_staff: "ended by staff",
  participants_left: "fewer than two remained",
  timeout: "its time ran out",
};

export default async function RoomPage({ params }: { params: Promise<{ roomId: string }> }) {
  const { db, staff, organization } = await staffRequest("rooms.view");
  const { roomId } = await params;
  const tz = organization.timezone;
  const room = await standaloneRoom(db, { organizationId: staff.organizationId, timeZone: tz }, roomId);
  if (!room) notFound();

  return (
    <>
      <p className={styles.breadcrumb}>
        <Link href="/dashboard/rooms">← Rooms</Link>
      </p>
      <div className={styles.pageHead}>
        <div className={styles.titleWithStatus}>
          <h1>Room · {room.startsAtLocal}</h1>
          <RoomStatusBadge row={room} />
        </div>
      </div>

      <section aria-labelledby="facts" className={styles.panel}>
        <h2 id="facts">Room</h2>
        <dl className={styles.facts}>
          <dt>Start</dt>
          <dd>
            {room.startsAtLocal} ({tz})
          </dd>
          <dt>Duration</dt>
          <dd>{room.durationMinutes === null ? "No limit" : spokenDuration(room.durationMinutes * 60)}</dd>
          <dt>Call type</dt>
          <dd>{CALL_TYPE_LABELS[room.callType]}</dd>
          {room.description && (
            <>
              <dt>Description</dt>
              <dd>{room.description}</dd>
            </>
          )}
          {room.startedAtLocal && (
            <>
              <dt>Call began</dt>
              <dd>{room.startedAtLocal}</dd>
            </>
          )}
          {room.completedAtLocal && (
            <>
              <dt>Call closed</dt>
              <dd>
                {room.completedAtLocal}
                {room.completionReason ? `, ${COMPLETION_REASONS[room.completionReason] ?? room.completionReason}` : ""}
              </dd>
            </>
          )}
          <dt>Created</dt>
          <dd>{room.createdAtLocal}</dd>
          <dt>Room id</dt>
          <dd>
            <code>{room.roomId}</code>
          </dd>
        </dl>
      </section>

      <section aria-labelledby="attendance" className={styles.panel}>
        <h2 id="attendance">
          Participants and attendance ({room.participants.length} of {room.expectedParticipants})
        </h2>
        {room.participants.length === 0 ? (
          <p className={styles.muted}>No participants known yet.</p>
        ) : (
          room.participants.map((p) => (
            <article key={p.participantId} className={rooms.participantCard} aria-labelledby={`p-${p.participantId}`}>
              <h3 id={`p-${p.participantId}`}>
                <ParticipantName participant={p} />
              </h3>
              {p.staysDetail.length === 0 ? (
                <p className={styles.muted}>Did not join.</p>
              ) : (
                <>
                  <p className={styles.muted}>
                    In the call {spokenDuration(p.attendedSeconds)} in {p.stays === 1 ? "1 stay" : `${p.stays} stays`}
                    {p.present ? ", there now" : ""}.
                  </p>
                  <ol className={rooms.stays}>
                    {p.staysDetail.map((stay) => (
                      <li key={stay.joinedAt.toISOString()}>
                        <time dateTime={stay.joinedAt.toISOString()}>{stay.joinedAtLocal}</time> to{" "}
                        {stay.leftAt ? <time dateTime={stay.leftAt.toISOString()}>{stay.leftAtLocal}</time> : "now"}: {spokenDuration(stay.seconds)}
                        {stay.endReason ? ` (${END_REASONS[stay.endReason] ?? stay.endReason})` : " (still in the call)"}
                      </li>
                    ))}
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

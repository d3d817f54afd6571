import type { TimelineEntry } from "@/lib/consultations/timeline";
import { formatLocal } from "@/lib/time";
import styles from "./dashboard.module.css";
import { PARTICIPANT_ROLE_LABELS } from "./labels";

const REASONS: Record<string, string> = {
  left: "left the call",
  connection_lost: "connection lost",
  ended_for_everyone: "the call was ended for everyone",
  scheduled_end: "the scheduled time ran out",
  ended_by_provider: "ended by the provider",
  ended_by_staff: "ended by the clinic's staff",
  timeout: "its time ran out",
};

/** One event of the timeline in the clinic's words. */
function describe(entry: TimelineEntry): string {
  const who = entry.role ? PARTICIPANT_ROLE_LABELS[entry.role] : "";
  const why = entry.reason ? ` (${REASONS[entry.reason] ?? entry.reason.replaceAll("_", " ")})` : "";
  switch (entry.event) {
    case "consultation.created":
      return "Consultation created";
    case "session_started":
      return entry.firstJoin ? `${who} joined: the session started` : `${who} joined`;
    case "session_ended":
      return `${who} left${why}`;
    case "consultation.completed":
      return `Consultation completed${why}`;
    case "consultation.expired":
      return entry.reason === "cancelled" ? "Consultation cancelled by the clinic" : "Consultation expired: nobody joined in time";
    case "consultation.access_reissued":
      return entry.newLinks ? "New PIN and new links issued by the clinic" : "New PIN issued by the clinic";
  }
}

/** What happened to a consultation, in order, with times in the clinic's timezone. */
export function ConsultationTimeline({ entries, timeZone }: { entries: TimelineEntry[]; timeZone: string }) {
  return (
    <section aria-labelledby="timeline" className={styles.panel}>
      <h2 id="timeline">Timeline</h2>
      <ol className={styles.timeline}>
        {entries.map((entry, i) => (
          <li key={i}>
            <time dateTime={entry.at.toISOString()}>{formatLocal(entry.at, timeZone)}</time> {describe(entry)}
          </li>
        ))}
      </ol>
    </section>
  );
}

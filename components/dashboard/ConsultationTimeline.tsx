import { useFormatter, useTranslations } from "next-intl";
import type { TimelineEntry } from "@/lib/consultations/timeline";
import styles from "./dashboard.module.css";
import { DATE_TIME } from "./formats";
import { useDashboardLabels } from "./labels";

/** Why a stay ended or the consultation completed; another reason is shown as its code. */
const REASONS = {
  left: "timeline.reasons.left",
  connection_lost: "timeline.reasons.connectionLost",
  ended_for_everyone: "timeline.reasons.endedForEveryone",
  scheduled_end: "timeline.reasons.scheduledEnd",
  ended_by_provider: "timeline.reasons.endedByProvider",
  ended_by_staff: "timeline.reasons.endedByStaff",
  timeout: "timeline.reasons.timeout",
} as const;

/** What happened to a consultation, in order, with times in the clinic's timezone. */
export function ConsultationTimeline({ entries }: { entries: TimelineEntry[] }) {
  const t = useTranslations("Consultations");
  const format = useFormatter();
  const labels = useDashboardLabels();

  /** One event of the timeline in the clinic's words. */
  function describe(entry: TimelineEntry): string {
    const who = entry.role ? labels.participantRole(entry.role) : "";
    const reason = entry.reason;
    const why = !reason ? "" : Object.hasOwn(REASONS, reason) ? t(REASONS[reason as keyof typeof REASONS]) : reason.replaceAll("_", " ");
    switch (entry.event) {
      case "consultation.created":
        return t("timeline.created");
      case "session_started":
        return entry.firstJoin ? t("timeline.joinedFirst", { who }) : t("timeline.joined", { who });
      case "session_ended":
        return why ? t("timeline.leftBecause", { who, why }) : t("timeline.left", { who });
      case "consultation.completed":
        return why ? t("timeline.completedBecause", { why }) : t("timeline.completed");
      case "consultation.expired":
        return reason === "cancelled" ? t("timeline.cancelled") : t("timeline.expired");
      case "consultation.access_reissued":
        return entry.newLinks ? t("timeline.reissuedWithLinks") : t("timeline.reissued");
    }
  }

  return (
    <section aria-labelledby="timeline" className={styles.panel}>
      <h2 id="timeline">{t("timeline.title")}</h2>
      <ol className={styles.timeline}>
        {entries.map((entry, i) => (
          <li key={i}>
            <time dateTime={entry.at.toISOString()}>{format.dateTime(entry.at, DATE_TIME)}</time> {describe(entry)}
          </li>
        ))}
      </ol>
    </section>
  );
}

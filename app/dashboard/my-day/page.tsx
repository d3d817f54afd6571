import type { Metadata } from "next";
import Link from "next/link";
import { StatusBadge } from "@/components/dashboard/ConsultationsTable";
import { JoinCallButton } from "@/components/dashboard/JoinCallButton";
import { LiveRefresh } from "@/components/dashboard/LiveRefresh";
import styles from "@/components/dashboard/dashboard.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { env } from "@/lib/config";
import { providerDay, type MyDayConsultation } from "@/lib/consultations/agenda";
import { formatLocal } from "@/lib/time";
import { joinAsProvider } from "./actions";

export const metadata: Metadata = { title: "My day" };

const PROBLEMS: Record<string, string> = {
  room_not_open: "That consultation is not open yet: Join works from shortly before its time.",
  consultation_completed: "That consultation has already ended.",
  consultation_expired: "That consultation has expired or was cancelled.",
  not_found: "That consultation is not one of yours.",
  no_provider: "Your account is not linked to a provider; ask your clinic's admin.",
};

function Consultation({ c, timeZone }: { c: MyDayConsultation; timeZone: string }) {
  const time = (d: Date) => formatLocal(d, timeZone).slice(11);
  const day = formatLocal(c.startsAt, timeZone).slice(0, 10);
  return (
    <li className={styles.dayItem}>
      <div className={styles.dayTime}>
        <span>
          {time(c.startsAt)}–{time(c.endsAt)}
        </span>
        <small>{day}</small>
      </div>
      <div className={styles.dayWho}>
        <Link href={`/dashboard/consultations/${c.consultationId}`}>{c.patientName}</Link>
        <small>
          {c.consultationType} · {c.durationMinutes} min{c.immediate ? " · immediate" : ""}
        </small>
      </div>
      <StatusBadge status={c.status} />
      {c.window.state === "open" ? (
        <JoinCallButton join={joinAsProvider.bind(null, c.consultationId)} label={`Join the call with ${c.patientName}`} />
      ) : (
        <span className={styles.muted}>Opens at {time(c.window.opensAt)}</span>
      )}
    </li>
  );
}

export default async function MyDayPage({ searchParams }: { searchParams: Promise<{ problem?: string }> }) {
  const { staff: member, db, organization } = await staffRequest("calls.join");
  const tz = organization.timezone;
  const { problem } = await searchParams;
  const day = member.providerId
    ? await providerDay(db, { organizationId: member.organizationId, providerId: member.providerId, timeZone: tz }, new Date(), env().JOIN_OPENS_MINUTES_BEFORE)
    : { today: formatLocal(new Date(), tz).slice(0, 10), now: [], later: [] };

  return (
    <>
      <div className={styles.pageHead}>
        <h1>My day</h1>
        <span className={styles.muted}>
          {day.today} · times in {tz}
        </span>
      </div>
      {problem && (
        <p role="alert" className={styles.formError}>
          {PROBLEMS[problem] ?? "That consultation cannot be joined now."}
        </p>
      )}
      <LiveRefresh />
      <section aria-labelledby="today" className={styles.panel}>
        <h2 id="today">Today</h2>
        {day.now.length === 0 ? (
          <p className={styles.muted}>Nothing left for today.</p>
        ) : (
          <ul className={styles.dayList}>
            {day.now.map((c) => (
              <Consultation key={c.consultationId} c={c} timeZone={tz} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="later" className={styles.panel}>
        <h2 id="later">Next days</h2>
        {day.later.length === 0 ? (
          <p className={styles.muted}>Nothing booked for the next days.</p>
        ) : (
          <ul className={styles.dayList}>
            {day.later.map((c) => (
              <Consultation key={c.consultationId} c={c} timeZone={tz} />
            ))}
          </ul>
        )}
      </section>
      <p>
        <Link href="/dashboard/consultations">All my consultations, past ones too →</Link>
      </p>
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { StatusBadge } from "@/components/dashboard/ConsultationsTable";
import { DAY, SHORT_DAY, TIME, timeSpan } from "@/components/dashboard/formats";
import { JoinCallButton } from "@/components/dashboard/JoinCallButton";
import { LiveRefresh } from "@/components/dashboard/LiveRefresh";
import { WaitingAlerts } from "@/components/dashboard/WaitingAlerts";
import { WaitingSince } from "@/components/dashboard/WaitingSince";
import styles from "@/components/dashboard/dashboard.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { env } from "@/lib/config";
import { providerDay, type MyDayConsultation } from "@/lib/consultations/agenda";
import { joinAsProvider } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("MyDay");
  return { title: t("title") };
}

/** Why Join did not open the call (the join action's `?problem=`). */
const PROBLEMS = {
  room_not_open: "problems.roomNotOpen",
  consultation_completed: "problems.consultationCompleted",
  consultation_expired: "problems.consultationExpired",
  not_found: "problems.notFound",
  no_provider: "problems.noProvider",
} as const;

function isProblem(value: string): value is keyof typeof PROBLEMS {
  return Object.hasOwn(PROBLEMS, value);
}

async function Consultation({ c, now }: { c: MyDayConsultation; now: Date }) {
  const [t, format] = await Promise.all([getTranslations("MyDay"), getFormatter()]);
  return (
    <li className={c.waitingSince ? `${styles.dayItem} ${styles.dayWaiting}` : styles.dayItem}>
      <div className={styles.dayTime}>
        <span>{timeSpan(format, c.startsAt, c.endsAt)}</span>
        <small>{format.dateTime(c.startsAt, SHORT_DAY)}</small>
      </div>
      <div className={styles.dayWho}>
        <Link href={`/dashboard/consultations/${c.consultationId}`}>{c.patientName}</Link>
        <small>{t("details", { type: c.consultationType, minutes: c.durationMinutes, immediate: c.immediate ? "yes" : "no" })}</small>
        {c.waitingSince && <WaitingSince since={c.waitingSince} renderedAt={now} />}
      </div>
      <StatusBadge status={c.status} />
      {c.window.state === "open" ? (
        <JoinCallButton join={joinAsProvider.bind(null, c.consultationId)} label={t("joinWith", { name: c.patientName })} />
      ) : (
        <span className={styles.muted}>{t("opensAt", { time: format.dateTime(c.window.opensAt, TIME) })}</span>
      )}
    </li>
  );
}

export default async function MyDayPage({ searchParams }: { searchParams: Promise<{ problem?: string }> }) {
  const { staff: member, db, organization } = await staffRequest("calls.join");
  const [t, format] = await Promise.all([getTranslations("MyDay"), getFormatter()]);
  const tz = organization.timezone;
  const { problem } = await searchParams;
  const now = new Date();
  const day = member.providerId
    ? await providerDay(db, { organizationId: member.organizationId, providerId: member.providerId, timeZone: tz }, now, env().JOIN_OPENS_MINUTES_BEFORE)
    : { now: [], later: [] };

  return (
    <>
      <div className={styles.pageHead}>
        <h1>{t("title")}</h1>
        <span className={styles.muted}>{t("todayIn", { day: format.dateTime(now, DAY), timeZone: tz })}</span>
      </div>
      {problem && (
        <p role="alert" className={styles.formError}>
          {isProblem(problem) ? t(PROBLEMS[problem]) : t("problems.other")}
        </p>
      )}
      <LiveRefresh />
      {member.providerId && (
        <WaitingAlerts
          waiting={[...day.now, ...day.later].flatMap((c) => (c.waitingSince ? [{ consultationId: c.consultationId, patientName: c.patientName, since: c.waitingSince }] : []))}
        />
      )}
      <section aria-labelledby="today" className={styles.panel}>
        <h2 id="today">{t("today")}</h2>
        {day.now.length === 0 ? (
          <p className={styles.muted}>{t("nothingToday")}</p>
        ) : (
          <>
            <p className={styles.muted}>{t("leftToday", { count: day.now.length })}</p>
            <ul className={styles.dayList}>
              {day.now.map((c) => (
                <Consultation key={c.consultationId} c={c} now={now} />
              ))}
            </ul>
          </>
        )}
      </section>
      <section aria-labelledby="later" className={styles.panel}>
        <h2 id="later">{t("nextDays")}</h2>
        {day.later.length === 0 ? (
          <p className={styles.muted}>{t("nothingLater")}</p>
        ) : (
          <ul className={styles.dayList}>
            {day.later.map((c) => (
              <Consultation key={c.consultationId} c={c} now={now} />
            ))}
          </ul>
        )}
      </section>
      <p>
        <Link href="/dashboard/consultations">{t("allConsultations")}</Link>
      </p>
    </>
  );
}

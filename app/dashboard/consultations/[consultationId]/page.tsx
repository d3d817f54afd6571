import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { EndOrCancel, PinReveal, ReissueAccess } from "@/components/dashboard/ConsultationRowActions";
import { JoinLinkFacts } from "@/components/dashboard/JoinLinkFacts";
import { DeliveriesTable } from "@/components/dashboard/DeliveriesTable";
import { StatusBadge } from "@/components/dashboard/ConsultationsTable";
import { ConsultationTimeline } from "@/components/dashboard/ConsultationTimeline";
import { DATE_TIME } from "@/components/dashboard/formats";
import { GuestsPanel } from "@/components/dashboard/GuestsPanel";
import { PARTICIPANT_ROLE_KEYS } from "@/components/dashboard/labels";
import { TranscriptFile } from "@/components/dashboard/TranscriptFile";
import { LiveRefresh } from "@/components/dashboard/LiveRefresh";
import styles from "@/components/dashboard/dashboard.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { loadCatalogs } from "@/lib/catalogs";
import { consultationTranscript } from "@/lib/chat";
import { appSealer, appSecret, appUrl } from "@/lib/config";
import { listGuests, MAX_GUESTS } from "@/lib/consultations/guests";
import { getConsultation } from "@/lib/consultations/read";
import { consultationInScope, consultationTimeline } from "@/lib/consultations/timeline";
import { issueReportsOf } from "@/lib/rooms/issue-reports";
import { linkPinStatus, PIN_DAILY_LIMIT } from "@/lib/rooms/pin";
import type { ISSUE_CATEGORIES } from "@/lib/rooms/schema";
import { can } from "@/lib/staff";
import { parseLocal } from "@/lib/time";
import { deliveriesOfConsultation } from "@/lib/webhooks/deliveries";
import { consultationActions } from "../row-actions";
import { addGuestAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Consultations.detail");
  return { title: t("title") };
}

/** What a problem reported from the call was about (the report form's categories). */
const CATEGORY_KEYS = {
  audio: "detail.categories.audio",
  video: "detail.categories.video",
  connection: "detail.categories.connection",
  other: "detail.categories.other",
} as const satisfies Record<(typeof ISSUE_CATEGORIES)[number], string>;

export default async function ConsultationDetailPage({ params }: { params: Promise<{ consultationId: string }> }) {
  const { staff: member, db, organization } = await staffRequest("consultations.view");
  const { consultationId } = await params;
  const ownOnly = member.role === "provider";
  const scope = { organizationId: member.organizationId, providerId: ownOnly ? (member.providerId ?? "none") : undefined };
  if (!(await consultationInScope(db, scope, consultationId))) notFound();

  const tz = organization.timezone;
  const manage = can(member.role, "consultations.manage");
  const access = { organizationId: member.organizationId, appUrl: appUrl(), sealer: appSealer() };
  const [consultation, timeline, transcript, reports, deliveries, catalogs, pinStatus, guests, t, tDashboard, format] = await Promise.all([
    getConsultation(db, { organizationId: member.organizationId, timeZone: tz, appUrl: appUrl(), sealer: appSealer() }, consultationId),
    consultationTimeline(db, member.organizationId, consultationId),
    // Staff may read the consultation's files: each gets a download link minted for this page.
    consultationTranscript(db, member.organizationId, consultationId, { appSecret: appSecret(), now: new Date() }),
    issueReportsOf(db, member.organizationId, consultationId),
    manage ? deliveriesOfConsultation(db, { organizationId: member.organizationId }, consultationId) : Promise.resolve([]),
    loadCatalogs(db),
    manage ? linkPinStatus(db, member.organizationId, consultationId, new Date()) : Promise.resolve([]),
    manage ? listGuests(db, access, consultationId) : Promise.resolve([]),
    getTranslations("Consultations"),
    getTranslations("Dashboard"),
    getFormatter(),
  ]);
  const local = (at: string | Date) => format.dateTime(new Date(at), DATE_TIME);
  /** The API view's wall-clock times (`yyyy-MM-dd HH:mm` in the clinic's timezone) as instants again, to write them in the reader's language. */
  const instant = (wallClock: string) => {
    const parsed = parseLocal(wallClock, tz);
    return parsed.ok ? parsed.instant : null;
  };
  const startsAt = instant(consultation.scheduledAt);
  const endsAt = instant(consultation.expiredAt);
  const createdAt = instant(consultation.createdAt);
  const scheduled = startsAt ? local(startsAt) : consultation.scheduledAt;
  const range = startsAt && endsAt ? format.dateTimeRange(startsAt, endsAt, DATE_TIME) : consultation.scheduledAt + " – " + consultation.expiredAt;
  const participant = (role: keyof typeof PARTICIPANT_ROLE_KEYS) => tDashboard(PARTICIPANT_ROLE_KEYS[role]);

  return (
    <>
      <p className={styles.breadcrumb}>
        <Link href="/dashboard/consultations">{t("detail.back")}</Link>
      </p>
      <div className={styles.pageHead}>
        <div className={styles.titleWithStatus}>
          <h1>
            {consultation.patient.name} · {scheduled}
          </h1>
          <StatusBadge status={consultation.status} />
        </div>
        {manage && <EndOrCancel actions={consultationActions} consultationId={consultation.consultationId} status={consultation.status} label={consultation.patient.name} />}
      </div>

      <div className={styles.detailGrid}>
        <section aria-labelledby="facts" className={styles.panel}>
          <h2 id="facts">{t("detail.title")}</h2>
          <dl className={styles.facts}>
            <dt>{t("columns.patient")}</dt>
            <dd>
              {consultation.patient.name} · {consultation.patient.documentType} {consultation.patient.documentNumber}
            </dd>
            <dt>{t("columns.provider")}</dt>
            <dd>
              {consultation.provider.name} · {consultation.provider.professionalType}
              {consultation.provider.specialtyName ? " (" + consultation.provider.specialtyName + ")" : ""}
            </dd>
            <dt>{t("columns.type")}</dt>
            <dd>{catalogs.consultationType.get(consultation.consultationType)?.name ?? consultation.consultationType}</dd>
            <dt>{t("detail.when")}</dt>
            <dd>{t("detail.whenValue", { immediate: consultation.immediate ? "yes" : "no", range, minutes: consultation.durationMinutes, timeZone: tz })}</dd>
            <dt>{t("columns.created")}</dt>
            <dd>{createdAt ? local(createdAt) : consultation.createdAt}</dd>
          </dl>
        </section>

        {manage && (
          <section aria-labelledby="access" className={styles.panel}>
            <h2 id="access">{t("detail.access")}</h2>
            <dl className={styles.facts}>
              <JoinLinkFacts links={consultation.participantAccess} />
              <dt>{t("actions.pin")}</dt>
              <dd>
                <PinReveal actions={consultationActions} consultationId={consultation.consultationId} />{" "}
                <ReissueAccess actions={consultationActions} consultationId={consultation.consultationId} status={consultation.status} label={consultation.patient.name} />
              </dd>
              <dt>{t("detail.wrongPins")}</dt>
              <dd>
                <ul className={styles.plainList}>
                  {pinStatus.map((link) => (
                    <li key={link.role} className={link.locked ? styles.locked : undefined}>
                      {link.locked && link.lockedUntil
                        ? t("detail.wrongPinsLocked", { role: link.role, wrong: link.wrongPins, limit: PIN_DAILY_LIMIT, time: local(link.lockedUntil) })
                        : t("detail.wrongPinCount", { role: link.role, wrong: link.wrongPins, limit: PIN_DAILY_LIMIT })}
                    </li>
                  ))}
                </ul>
              </dd>
            </dl>
          </section>
        )}
      </div>

      {manage && (
        <GuestsPanel
          consultationId={consultation.consultationId}
          guests={guests}
          canAdd={consultation.status === "Pending" || consultation.status === "InProgress"}
          maxGuests={MAX_GUESTS}
          add={addGuestAction}
        />
      )}

      <LiveRefresh />
      <ConsultationTimeline entries={timeline} />

      <section aria-labelledby="chat" className={styles.panel}>
        <h2 id="chat">{t("detail.transcript")}</h2>
        {transcript.length === 0 ? (
          <p className={styles.muted}>{t("detail.noMessages")}</p>
        ) : (
          <ol className={styles.transcript}>
            {transcript.map((message) => (
              <li key={message.id}>
                <span className={styles.muted}>
                  <time dateTime={message.sentAt}>{local(message.sentAt)}</time> · {message.displayName} ({participant(message.role)})
                </span>
                {message.text ? <p>{message.text}</p> : null}
                {message.file ? <TranscriptFile file={message.file} /> : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="reports" className={styles.panel}>
        <h2 id="reports">{t("detail.reports")}</h2>
        {reports.length === 0 ? (
          <p className={styles.muted}>{t("detail.noReports")}</p>
        ) : (
          <ul className={styles.transcript}>
            {reports.map((report) => (
              <li key={report.issueReportId}>
                <span className={styles.muted}>
                  <time dateTime={report.reportedAt}>{local(report.reportedAt)}</time> · {participant(report.role)} · {t(CATEGORY_KEYS[report.category])}
                  {report.browser ? " · " + report.browser : ""}
                </span>
                <p>{report.description || t("detail.noDescription")}</p>
                {report.connectionStats && (
                  <p className={styles.muted}>
                    {t("detail.connection", {
                      transport: report.connectionStats.transport,
                      candidate: report.connectionStats.candidateType ?? t("detail.unknown"),
                      roundTrip: report.connectionStats.roundTripTimeMs ?? "?",
                      loss: report.connectionStats.packetLossPercent ?? "?",
                      inbound: report.connectionStats.inboundBitrateKbps ?? "?",
                      outbound: report.connectionStats.outboundBitrateKbps ?? "?",
                    })}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      {manage && (
        <section aria-labelledby="deliveries" className={styles.panel}>
          <h2 id="deliveries">{t("detail.deliveries")}</h2>
          <DeliveriesTable
            rows={deliveries.map((d) => ({ id: d.id, event: d.event, status: d.status, attempts: d.attemptCount, last: d.lastAttemptAt ? local(d.lastAttemptAt) : "", code: d.lastStatusCode, error: d.lastError }))}
          />
        </section>
      )}
    </>
  );
}

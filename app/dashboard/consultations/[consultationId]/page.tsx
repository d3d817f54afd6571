import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EndOrCancel, PinReveal, ReissueAccess } from "@/components/dashboard/ConsultationRowActions";
import { JoinLinkFacts } from "@/components/dashboard/JoinLinkFacts";
import { DeliveriesTable } from "@/components/dashboard/DeliveriesTable";
import { StatusBadge } from "@/components/dashboard/ConsultationsTable";
import { ConsultationTimeline } from "@/components/dashboard/ConsultationTimeline";
import { GuestsPanel } from "@/components/dashboard/GuestsPanel";
import { PARTICIPANT_ROLE_LABELS } from "@/components/dashboard/labels";
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
import { can } from "@/lib/staff";
import { formatLocal } from "@/lib/time";
import { deliveriesOfConsultation } from "@/lib/webhooks/deliveries";
import { consultationActions } from "../row-actions";
import { addGuestAction } from "./actions";

export const metadata: Metadata = { title: "Consultation" };

export default async function ConsultationDetailPage({ params }: { params: Promise<{ consultationId: string }> }) {
  const { staff: member, db, organization } = await staffRequest("consultations.view");
  const { consultationId } = await params;
  const ownOnly = member.role === "provider";
  const scope = { organizationId: member.organizationId, providerId: ownOnly ? (member.providerId ?? "none") : undefined };
  if (!(await consultationInScope(db, scope, consultationId))) notFound();

  const tz = organization.timezone;
  const manage = can(member.role, "consultations.manage");
  const access = { organizationId: member.organizationId, appUrl: appUrl(), sealer: appSealer() };
  const [consultation, timeline, transcript, reports, deliveries, catalogs, pinStatus, guests] = await Promise.all([
    getConsultation(db, { organizationId: member.organizationId, timeZone: tz, appUrl: appUrl(), sealer: appSealer() }, consultationId),
    consultationTimeline(db, member.organizationId, consultationId),
    // Staff may read the consultation's files: each gets a download link minted for this page.
    consultationTranscript(db, member.organizationId, consultationId, { appSecret: appSecret(), now: new Date() }),
    issueReportsOf(db, member.organizationId, consultationId),
    manage ? deliveriesOfConsultation(db, { organizationId: member.organizationId }, consultationId) : Promise.resolve([]),
    loadCatalogs(db),
    manage ? linkPinStatus(db, member.organizationId, consultationId, new Date()) : Promise.resolve([]),
    manage ? listGuests(db, access, consultationId) : Promise.resolve([]),
  ]);
  const local = (iso: string | Date) => formatLocal(new Date(iso), tz);

  return (
    <>
      <p className={styles.breadcrumb}>
        <Link href="/dashboard/consultations">← Consultations</Link>
      </p>
      <div className={styles.pageHead}>
        <div className={styles.titleWithStatus}>
          <h1>
            {consultation.patient.name} · {consultation.scheduledAt}
          </h1>
          <StatusBadge status={consultation.status} />
        </div>
        {manage && <EndOrCancel actions={consultationActions} consultationId={consultation.consultationId} status={consultation.status} label={consultation.patient.name} />}
      </div>

      <div className={styles.detailGrid}>
        <section aria-labelledby="facts" className={styles.panel}>
          <h2 id="facts">Consultation</h2>
          <dl className={styles.facts}>
            <dt>Patient</dt>
            <dd>
              {consultation.patient.name} · {consultation.patient.documentType} {consultation.patient.documentNumber}
            </dd>
            <dt>Provider</dt>
            <dd>
              {consultation.provider.name} · {consultation.provider.professionalType}
              {consultation.provider.specialtyName ? ` (${consultation.provider.specialtyName})` : ""}
            </dd>
            <dt>Type</dt>
            <dd>{catalogs.consultationType.get(consultation.consultationType)?.name ?? consultation.consultationType}</dd>
            <dt>When</dt>
            <dd>
              {consultation.immediate ? "Immediate, " : ""}
              {consultation.scheduledAt} to {consultation.expiredAt} ({consultation.durationMinutes} min, {tz})
            </dd>
            <dt>Created</dt>
            <dd>{consultation.createdAt}</dd>
          </dl>
        </section>

        {manage && (
          <section aria-labelledby="access" className={styles.panel}>
            <h2 id="access">Links and PIN</h2>
            <dl className={styles.facts}>
              <JoinLinkFacts links={consultation.participantAccess} />
              <dt>PIN</dt>
              <dd>
                <PinReveal actions={consultationActions} consultationId={consultation.consultationId} />{" "}
                <ReissueAccess actions={consultationActions} consultationId={consultation.consultationId} status={consultation.status} label={consultation.patient.name} />
              </dd>
              <dt>Wrong PINs</dt>
              <dd>
                <ul className={styles.plainList}>
                  {pinStatus.map((link) => (
                    <li key={link.role} className={link.locked ? styles.locked : undefined}>
                      {PARTICIPANT_ROLE_LABELS[link.role]} link: {link.wrongPins} of {PIN_DAILY_LIMIT} in the last 24 hours
                      {link.locked && link.lockedUntil ? ` — locked until ${local(link.lockedUntil)}; reissue the PIN to open it` : ""}
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
      <ConsultationTimeline entries={timeline} timeZone={tz} />

      <section aria-labelledby="chat" className={styles.panel}>
        <h2 id="chat">Chat transcript</h2>
        {transcript.length === 0 ? (
          <p className={styles.muted}>No messages.</p>
        ) : (
          <ol className={styles.transcript}>
            {transcript.map((message) => (
              <li key={message.id}>
                <span className={styles.muted}>
                  <time dateTime={message.sentAt}>{local(message.sentAt)}</time> · {message.displayName} ({PARTICIPANT_ROLE_LABELS[message.role]})
                </span>
                {message.text ? <p>{message.text}</p> : null}
                {message.file ? <TranscriptFile file={message.file} /> : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="reports" className={styles.panel}>
        <h2 id="reports">Problems reported from the call</h2>
        {reports.length === 0 ? (
          <p className={styles.muted}>None.</p>
        ) : (
          <ul className={styles.transcript}>
            {reports.map((report) => (
              <li key={report.issueReportId}>
                <span className={styles.muted}>
                  <time dateTime={report.reportedAt}>{local(report.reportedAt)}</time> · {PARTICIPANT_ROLE_LABELS[report.role]} · {report.category}
                  {report.browser ? ` · ${report.browser}` : ""}
                </span>
                <p>{report.description || "(no description)"}</p>
                {report.connectionStats && (
                  <p className={styles.muted}>
                    {report.connectionStats.transport}, {report.connectionStats.candidateType ?? "unknown"} candidate · round trip {report.connectionStats.roundTripTimeMs ?? "?"} ms · loss{" "}
                    {report.connectionStats.packetLossPercent ?? "?"}% · in {report.connectionStats.inboundBitrateKbps ?? "?"} kbps · out {report.connectionStats.outboundBitrateKbps ?? "?"} kbps
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      {manage && (
        <section aria-labelledby="deliveries" className={styles.panel}>
          <h2 id="deliveries">Webhook deliveries</h2>
          <DeliveriesTable
            rows={deliveries.map((d) => ({ id: d.id, event: d.event, status: d.status, attempts: d.attemptCount, last: d.lastAttemptAt ? local(d.lastAttemptAt) : "", code: d.lastStatusCode, error: d.lastError }))}
          />
        </section>
      )}
    </>
  );
}

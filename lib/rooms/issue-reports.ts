import Bowser from "bowser";
import { sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import type { IssueReport, ReportIssue } from "./schema";
import type { ParticipantSession } from "./session";

import { ISSUE_REPORTS_PER_HOUR } from "@/lib/limits";

export { ISSUE_REPORTS_PER_HOUR };

/** "Chrome 142 on Android 15": what support needs from a user agent, without the noise. */
export function browserLabel(userAgent: string | null | undefined): string | null {
  const parts = browserParts(userAgent);
  if (!parts) return null;
  return [parts.browser, parts.os].filter(Boolean).join(" on ") || parts.raw;
}

/** A user agent's browser and system (`Chrome 120`, `Windows 10`), each empty when unknown, for a page to join in its own words; `raw`: the start of the header itself. */
export function browserParts(userAgent: string | null | undefined): { browser: string; os: string; raw: string } | null {
  if (!userAgent) return null;
  const parsed = Bowser.parse(userAgent);
  const browser = [parsed.browser.name, parsed.browser.version?.split(".")[0]].filter(Boolean).join(" ");
  const os = [parsed.os.name, parsed.os.versionName ?? parsed.os.version].filter(Boolean).join(" ");
  return { browser, os, raw: userAgent.slice(0, 120) };
}

type ReportRow = {
  id: string;
  consultation_id: string | null;
  reporter_role: IssueReport["role"];
  category: IssueReport["category"];
  description: string;
  browser: string | null;
  connection_stats: IssueReport["connectionStats"];
  reported_at: Date | string;
};

function toReport(row: ReportRow): IssueReport {
  return {
    issueReportId: row.id,
    consultationId: row.consultation_id,
    role: row.reporter_role,
    category: row.category,
    description: row.description,
    browser: row.browser,
    connectionStats: row.connection_stats,
    reportedAt: new Date(row.reported_at).toISOString(),
  };
}

/**
 * Files a problem from the call with the consultation: who (by role), what, the browser, and
 * the connection's figures at that moment. Allowed while the participant's session lasts, so
 * someone who dropped out of the call can still say why.
 */
export async function reportIssue(db: Database, session: ParticipantSession, input: ReportIssue, context: { now: Date; userAgent: string | null }): Promise<IssueReport> {
  return db.transaction(async (tx) => {
    // One participant's reports are counted one after another, or parallel ones would all read the same count.
    await tx.execute(sql`select id from room_participants where id = ${session.participantId} for update`);
    return fileReport(tx, session, input, context);
  });
}

async function fileReport(db: Db, session: ParticipantSession, input: ReportIssue, context: { now: Date; userAgent: string | null }): Promise<IssueReport> {
  const since = new Date(context.now.getTime() - 3600_000).toISOString();
  const [{ recent }] = (await db.execute<{ recent: number }>(sql`
    select count(*)::int as recent from issue_reports where participant_id = ${session.participantId} and reported_at > ${since}`)) as unknown as [{ recent: number }];
  if (recent >= ISSUE_REPORTS_PER_HOUR) {
    throw new AppError("too_many_reports", `At most ${ISSUE_REPORTS_PER_HOUR} reports an hour from one participant. The clinic has your earlier reports.`, [], { "Retry-After": "3600" });
  }
  const userAgent = context.userAgent?.slice(0, 400) ?? null;
  const rows = await db.execute<ReportRow>(sql`
    insert into issue_reports (organization_id, consultation_id, room_id, participant_id, reporter_role, category, description, browser, user_agent, connection_stats, reported_at)
    select p.organization_id, r.consultation_id, p.room_id, p.id, p.role, ${input.category}, ${input.description}, ${browserLabel(userAgent)}, ${userAgent},
      ${input.connectionStats ? JSON.stringify(input.connectionStats) : null}::jsonb, ${context.now.toISOString()}
    from room_participants p join rooms r on r.id = p.room_id
    where p.id = ${session.participantId} and p.room_id = ${session.roomId} and p.organization_id = ${session.organizationId}
    returning id, consultation_id, reporter_role, category, description, browser, connection_stats, reported_at`);
  if (!rows[0]) throw AppError.notFound("The room");
  return toReport(rows[0]);
}

/** A consultation's issue reports, oldest first, for the clinic. */
export async function issueReportsOf(db: Db, organizationId: string, consultationId: string): Promise<IssueReport[]> {
  const rows = await db.execute<ReportRow>(sql`
    select id, consultation_id, reporter_role, category, description, browser, connection_stats, reported_at from issue_reports
    where organization_id = ${organizationId} and consultation_id = ${consultationId}
    order by reported_at, id`);
  return rows.map(toReport);
}

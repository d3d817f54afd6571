import type { Db } from "@/db/client";
import { formatLocal } from "@/lib/time";
import { listConsultationTable, type ConsultationTableContext } from "./consultations";
import type { ConsultationTableQuery } from "./consultations-query";

/** The most rows one export holds; past it the file says so and the filters should narrow it. */
export const EXPORT_LIMIT = 10_000;
const BATCH = 1_000;

const HEADER = ["Time", "Status", "Provider", "Patient", "Document type", "Document number", "Type", "Duration (min)", "Immediate", "Created", "Consultation id"];

/**
 * One CSV field (RFC 4180), and never a formula: a spreadsheet would run a cell starting with
 * = + - @ (or a tab or CR), and patient names come from integrators' systems.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * The consultations table as CSV, with the table's filters and sort, all pages up to
 * EXPORT_LIMIT rows; times in the organization's timezone. `truncated` when more matched.
 */
export async function exportConsultations(db: Db, ctx: ConsultationTableContext, query: ConsultationTableQuery): Promise<{ csv: string; rows: number; total: number; truncated: boolean }> {
  const lines = [HEADER.map(csvField).join(",")];
  let total = 0;
  for (let page = 1; (page - 1) * BATCH < EXPORT_LIMIT; page++) {
    const batch = await listConsultationTable(db, ctx, { ...query, page, size: BATCH as ConsultationTableQuery["size"] });
    total = batch.total;
    for (const r of batch.rows) {
      lines.push(
        [
          r.startsAtLocal,
          r.status === "InProgress" ? "In progress" : r.status,
          r.provider.name,
          r.patient.name,
          r.patient.documentType,
          r.patient.documentNumber,
          r.consultationType.name,
          String(r.durationMinutes),
          r.immediate ? "yes" : "no",
          formatLocal(r.createdAt, ctx.timeZone),
          r.consultationId,
        ]
          .map(csvField)
          .join(","),
      );
    }
    if (page * BATCH >= batch.total) break;
  }
  const rows = lines.length - 1;
  // A BOM so spreadsheet programs read the accents in names as UTF-8.
  return { csv: `\uFEFF${lines.join("\r\n")}\r\n`, rows, total, truncated: total > rows };
}

import type { Db } from "@/db/client";
import { formatLocal } from "@/lib/time";
import { listConsultationTable, type ConsultationTableContext } from "./table";
import type { ConsultationTableQuery } from "./table-query";

/** The most rows one export holds; past it the file says so and the filters should narrow it. */
export const EXPORT_LIMIT = 10_000;
const BATCH = 1_000;

/** "No-show" (who never joined: patient, provider, both; empty otherwise) comes last, so the older columns keep their places. */
const HEADER = ["Time", "Status", "Provider", "Patient", "Document type", "Document number", "Type", "Duration (min)", "Immediate", "Created", "Consultation id", "No-show"];

/**
 * Where a spreadsheet may see a formula: a cell that starts with = + - @ or their full-width forms
 * ＝＋－＠ (Excel takes those in East Asian locales). A cell may start at the field's start or after
 * any separator a locale or a paste uses (`,`; `;` as in Colombia's Excel; tab; CR; LF), then any
 * spaces or double quotes a reader skips. A file read with another separator than ours splits a
 * field into several cells, where quoting does not help, so each such start is neutralized in place.
 */
const FORMULA_CELL = /(^|[,;\t\r\n])([\s"]*)(?=[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/gu;

/**
 * One CSV field (RFC 4180), and never a formula in any common locale: an apostrophe goes before
 * every formula start (see FORMULA_CELL), so `Juan;=1+1` is written `"Juan;'=1+1"`, `-2+3` is
 * `'-2+3`, a phone `+573001234567` is `'+573001234567` (text, as a phone should be; the export has
 * no phone column today), and `María-José` is left as it is. A field that begins with a tab or a
 * line break is prefixed too. Patient and provider names come from integrators' systems.
 */
export function csvField(value: string): string {
  let safe = value.replace(FORMULA_CELL, "$1$2'");
  if (/^[\t\r\n]/.test(safe)) safe = `'${safe}`;
  return /[",;\t\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
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
          r.noShow ?? "",
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

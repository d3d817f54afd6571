import { staffRequest } from "@/lib/auth/staff-action";
import { parseConsultationTableQuery, consultationTableSearch, type SearchParams } from "@/lib/consultations/table-query";
import { exportConsultations } from "@/lib/consultations/export";
import { formatLocal } from "@/lib/time";

/** The consultations table, with the same filters, as a CSV download; no file leaves without its audit row. */
export async function GET(request: Request): Promise<Response> {
  const { staff, organization, audited } = await staffRequest("consultations.manage");
  const params: SearchParams = {};
  for (const [key, value] of new URL(request.url).searchParams) {
    const seen = params[key];
    params[key] = seen === undefined ? value : [seen].flat().concat(value);
  }
  const { query } = parseConsultationTableQuery(params);
  const result = await audited(
    (tx) => exportConsultations(tx, { organizationId: staff.organizationId, timeZone: organization.timezone }, query),
    (exported) => ({ action: "export.consultations", detail: { rows: exported.rows, matched: exported.total, filters: consultationTableSearch({ ...query, page: undefined, size: undefined }) || "none" } }),
  );
  const day = formatLocal(new Date(), organization.timezone).slice(0, 10);
  return new Response(result.csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="consultations-${day}.csv"`,
      "Cache-Control": "no-store",
      "X-Export-Rows": String(result.rows),
      "X-Export-Truncated": String(result.truncated),
    },
  });
}

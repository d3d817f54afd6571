import { database } from "@/db/runtime";
import { requireStaff, staffOrganization } from "@/lib/auth/current-staff";
import { auditStaffAction } from "@/lib/auth/staff-auth";
import { parseConsultationTableQuery, consultationTableSearch, type SearchParams } from "@/lib/dashboard/consultations-query";
import { exportConsultations } from "@/lib/dashboard/export";
import { formatLocal } from "@/lib/time";

/** The consultations table, with the same filters, as a CSV download; every export is audited. */
export async function GET(request: Request): Promise<Response> {
  const member = await requireStaff("consultations.manage");
  const organization = await staffOrganization(member.organizationId);
  const params: SearchParams = {};
  for (const [key, value] of new URL(request.url).searchParams) {
    const seen = params[key];
    params[key] = seen === undefined ? value : [seen].flat().concat(value);
  }
  const { query } = parseConsultationTableQuery(params);
  const result = await exportConsultations(await database(), { organizationId: member.organizationId, timeZone: organization.timezone }, query);
  await auditStaffAction(member, "export.consultations", { rows: result.rows, matched: result.total, filters: consultationTableSearch({ ...query, page: undefined, size: undefined }) || "none" });
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

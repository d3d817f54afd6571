import { sql } from "drizzle-orm";
import type { Database, Db, Transaction } from "@/db/client";
import { AppError } from "@/lib/errors";
import { fieldErrorsOf, firstPerField } from "@/lib/validation/field-errors";
import { isBackgroundAlias } from "./alias";
import { virtualBackgroundView } from "./backgrounds";
import { companySettingsUpdateSchema, type Company, type CompanySettingsField } from "./schema";

type CompanyRow = {
  name: string;
  language: string;
  end_call_redirect_url: string | null;
  user_details_provider_url: string | null;
  end_call_redirect_timeout_ms: number;
  default_background_id: string | null;
  default_alias: string | null;
  default_created_at: Date | string | null;
};

const COMPANY = sql`
  select o.name, o.language, o.end_call_redirect_url, o.user_details_provider_url, o.end_call_redirect_timeout_ms, o.default_background_id,
    b.alias as default_alias, b.created_at as default_created_at
  from organizations o left join organization_backgrounds b on b.id = o.default_background_id and b.organization_id = o.id`;

function companyOf(row: CompanyRow, appUrl: string): Company {
  const background = row.default_alias && row.default_created_at ? virtualBackgroundView({ alias: row.default_alias, createdAt: new Date(row.default_created_at) }, appUrl) : null;
  return {
    name: row.name,
    default_language: row.language,
    default_background: background && { alias: background.background_alias, url: background.url, creation_date: background.creation_date },
    end_call_redirect_url: row.end_call_redirect_url ?? "",
    user_details_provider_url: row.user_details_provider_url ?? "",
    end_call_redirect_timeout_ms: row.end_call_redirect_timeout_ms,
  };
}

async function companyRow(db: Db, organizationId: string, lock = false): Promise<CompanyRow> {
  const [row] = await db.execute<CompanyRow>(sql`${COMPANY} where o.id = ${organizationId} ${lock ? sql`for update of o` : sql``}`);
  if (!row) throw AppError.notFound("Organization");
  return row;
}

/** The company's settings as the contract shows them (`url`s absolute on `appUrl`; unset addresses ""). */
export async function companySettingsOf(db: Db, organizationId: string, appUrl: string): Promise<Company> {
  return companyOf(await companyRow(db, organizationId), appUrl);
}

/** What changed, field by field (the contract's names), for the audit log. The default background is named by its alias. */
export type CompanyChanges = Partial<Record<CompanySettingsField, { from: string | number | null; to: string | number | null }>>;

const COLUMNS = {
  name: "name",
  default_language: "language",
  end_call_redirect_url: "end_call_redirect_url",
  user_details_provider_url: "user_details_provider_url",
  end_call_redirect_timeout_ms: "end_call_redirect_timeout_ms",
} as const;

/**
 * `PATCH /api/settings/update`: changes the fields given, in one transaction with the
 * organization locked. `background_alias` must name one of the organization's own backgrounds
 * (another's is refused the same as one that never was, so none is revealed); null clears it.
 */
export async function updateCompanySettings(
  db: Database | Transaction,
  organizationId: string,
  input: unknown,
  appUrl: string,
): Promise<{ company: Company; changes: CompanyChanges }> {
  const parsed = companySettingsUpdateSchema.safeParse(input);
  if (!parsed.success) {
    throw AppError.validation(firstPerField(fieldErrorsOf(parsed.error)));
  }
  const next = parsed.data;
  return db.transaction(async (tx) => {
    const current = await companyRow(tx, organizationId, true);
    const changes: CompanyChanges = {};
    const set: ReturnType<typeof sql>[] = [];
    for (const [field, column] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, (typeof COLUMNS)[keyof typeof COLUMNS]][]) {
      const value = next[field];
      if (value === undefined || value === current[column]) continue;
      changes[field] = { from: current[column], to: value };
      set.push(sql`${sql.identifier(column)} = ${value}`);
    }
    if (next.background_alias !== undefined) {
      const chosen = next.background_alias === null ? null : await ownBackground(tx, organizationId, next.background_alias);
      if ((chosen?.id ?? null) !== current.default_background_id) {
        changes.background_alias = { from: current.default_alias, to: chosen?.alias ?? null };
        set.push(sql`default_background_id = ${chosen?.id ?? null}`);
      }
    }
    if (set.length > 0) {
      await tx.execute(sql`update organizations set ${sql.join(set, sql`, `)}, updated_at = now() where id = ${organizationId}`);
    }
    return { company: companyOf(set.length > 0 ? await companyRow(tx, organizationId) : current, appUrl), changes };
  });
}

async function ownBackground(tx: Transaction, organizationId: string, alias: string): Promise<{ id: string; alias: string }> {
  const [row] = isBackgroundAlias(alias)
    ? await tx.execute<{ id: string; alias: string }>(sql`select id, alias from organization_backgrounds where organization_id = ${organizationId} and alias = ${alias} for key share`)
    : [];
  if (!row) {
    throw new AppError("unknown_background", `background_alias ${JSON.stringify(alias.slice(0, 40))} is not a background of this organization.`, [
      { field: "background_alias", code: "unknown_background", message: "is not one of this organization's backgrounds: use a background_alias that POST /api/settings/background-image answered" },
    ]);
  }
  return row;
}

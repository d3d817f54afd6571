import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { backgroundPath } from "./alias";

/** A backdrop a call may show behind a participant. `url` is the same-origin path `/api/backgrounds/<alias>`. */
export type CallBackground = { alias: string; url: string };

/** What the call page needs of its clinic's settings: the backdrops, the default one, where to go when the call ends. */
export type CallSettings = {
  /** Newest first. */
  backgrounds: CallBackground[];
  defaultBackground: CallBackground | null;
  endCallRedirectUrl: string | null;
  endCallRedirectTimeoutMs: number;
};

const DEFAULT_TIMEOUT_MS = 5000;

const background = (alias: string): CallBackground => ({ alias, url: backgroundPath(alias) });

/**
 * The organization's call settings, in one query. An organization that is not there has none
 * (no backdrops, no redirect): the call page shows the plain call.
 */
export async function callSettingsOf(db: Db, organizationId: string): Promise<CallSettings> {
  const [row] = await db.execute<{ end_call_redirect_url: string | null; end_call_redirect_timeout_ms: number; default_alias: string | null; aliases: string[] }>(sql`
    select o.end_call_redirect_url, o.end_call_redirect_timeout_ms, d.alias as default_alias,
      coalesce((select json_agg(b.alias order by b.created_at desc, b.id desc) from organization_backgrounds b where b.organization_id = o.id), '[]'::json) as aliases
    from organizations o
    left join organization_backgrounds d on d.id = o.default_background_id and d.organization_id = o.id
    where o.id = ${organizationId}`);
  if (!row) return { backgrounds: [], defaultBackground: null, endCallRedirectUrl: null, endCallRedirectTimeoutMs: DEFAULT_TIMEOUT_MS };
  return {
    backgrounds: row.aliases.map(background),
    defaultBackground: row.default_alias ? background(row.default_alias) : null,
    endCallRedirectUrl: row.end_call_redirect_url,
    endCallRedirectTimeoutMs: row.end_call_redirect_timeout_ms,
  };
}

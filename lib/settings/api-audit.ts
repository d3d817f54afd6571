import { sql } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { recordAudit, type StaffAudit } from "@/lib/staff/audit";

/** Who changed the settings through the API: the credential, from where. */
export type ApiSettingsActor = { organizationId: string; apiKeyId: string; ip: string | null; userAgent: string | null };

/**
 * Runs a settings change made through the API and writes its audit row in the same transaction
 * (the clinic's audit log shows what its integration changed, as it shows its admins' changes),
 * by the credential's public key id. `audit` says what to record; null records nothing.
 */
export function auditedByApi<T>(db: Database, actor: ApiSettingsActor, audit: (result: T) => StaffAudit | null): (write: (tx: Transaction) => Promise<T>) => Promise<T> {
  return (write) =>
    db.transaction(async (tx) => {
      const result = await write(tx);
      const what = audit(result);
      if (what) {
        const [key] = await tx.execute<{ key_id: string }>(sql`select key_id from api_keys where id = ${actor.apiKeyId} and organization_id = ${actor.organizationId}`);
        await recordAudit(tx, {
          organizationId: actor.organizationId,
          action: what.action,
          actor: { label: key ? `API credential ${key.key_id}` : "API credential" },
          target: what.target,
          ip: actor.ip,
          userAgent: actor.userAgent,
          detail: what.detail,
        });
      }
      return result;
    });
}

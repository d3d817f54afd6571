import { and, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { webhookDeliveries } from "@/db/schema";
import { isSealed, type Sealer } from "@/lib/crypto";

/**
 * Seals the delivery bodies an older version kept in plain text (they carry both join links).
 * Until then they are read as they are (lib/crypto `openStored`), so they are sent with the same
 * bytes either way. Runs when the jobs start, in batches; returns how many it sealed.
 */
export async function sealPlainDeliveryBodies(db: Database, sealer: Sealer, batch = 500): Promise<number> {
  let sealed = 0;
  let after: string | undefined;
  for (;;) {
    const rows = await db
      .select({ id: webhookDeliveries.id, body: webhookDeliveries.body })
      .from(webhookDeliveries)
      .where(and(sql`${webhookDeliveries.body} like '{%'`, after ? sql`${webhookDeliveries.id} > ${after}::uuid` : undefined))
      .orderBy(webhookDeliveries.id)
      .limit(batch);
    const plain = rows.filter((r) => !isSealed(r.body));
    if (plain.length > 0) {
      const values = plain.map((r) => ({ id: r.id, body: sealer.seal(r.body) }));
      // Only rows still plain: another instance may be sealing them at the same time.
      await db.execute(sql`
        update ${webhookDeliveries} d set body = v.body
        from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(id uuid, body text)
        where d.id = v.id and d.body like '{%'`);
      sealed += plain.length;
    }
    if (rows.length < batch) return sealed;
    after = rows.at(-1)!.id;
  }
}

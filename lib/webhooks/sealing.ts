import type { Database } from "@/db/client";
import { webhookDeliveries } from "@/db/schema";
import type { Sealer } from "@/lib/crypto";
import { sealPlainColumn } from "@/lib/security/seal-plain";

/**
 * Seals the delivery bodies an older version kept in plain text (they carry both join links).
 * Until then they are read as they are (lib/crypto `openStored`), so they are sent with the same
 * bytes either way. Runs when the jobs start, in batches; returns how many it sealed.
 */
export function sealPlainDeliveryBodies(db: Database, sealer: Sealer, batch = 500): Promise<number> {
  return sealPlainColumn(db, sealer, { table: webhookDeliveries, column: webhookDeliveries.body, key: [webhookDeliveries.id] }, batch);
}

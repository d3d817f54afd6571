import { and, asc, count, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { webhookEndpoints } from "@/db/schema";
import type { Sealer } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { isoSeconds } from "@/lib/time";
import { createWebhookEndpointSchema, MAX_ENDPOINTS_PER_ORGANIZATION, updateWebhookEndpointSchema, type WebhookEndpointDeleted, type WebhookEndpointView } from "./schema";
import { newWebhookSecret } from "./signing";
import { assertWebhookUrlAllowed } from "./url-guard";
import { isUuid } from "@/lib/http/uuid";

/** What endpoint management needs to act for one organization. */
export type WebhookContext = { organizationId: string; sealer: Sealer; allowInsecure: boolean };

/** After a rotation the old secret keeps signing for this long, so receivers can switch without losing events. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 3600 * 1000;


type EndpointRow = typeof webhookEndpoints.$inferSelect;

export function endpointView(row: EndpointRow, now = new Date()): WebhookEndpointView {
  const rotating = row.previousSecretExpiresAt && row.previousSecretExpiresAt > now;
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events as WebhookEndpointView["events"],
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    disabledAt: row.disabledAt ? isoSeconds(row.disabledAt) : null,
    previousSecretExpiresAt: rotating ? isoSeconds(row.previousSecretExpiresAt!) : null,
    createdAt: isoSeconds(row.createdAt),
    updatedAt: isoSeconds(row.updatedAt),
  };
}

/** The URL as stored, after the SSRF checks (scheme, and every address its host resolves to). */
async function checkedUrl(raw: string, ctx: WebhookContext): Promise<string> {
  return (await assertWebhookUrlAllowed(raw, { allowInsecure: ctx.allowInsecure })).toString();
}

export async function createEndpoint(db: Db, ctx: WebhookContext, body: unknown, now = new Date()) {
  const input = createWebhookEndpointSchema.parse(body);
  const url = await checkedUrl(input.url, ctx);
  return db.transaction(async (tx) => {
    // Serializes creations per organization so the limit holds under concurrent requests.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('webhook_endpoints'), hashtext(${ctx.organizationId}))`);
    const [existing] = await tx.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.organizationId, ctx.organizationId));
    if ((existing?.n ?? 0) >= MAX_ENDPOINTS_PER_ORGANIZATION) {
      throw AppError.conflict("webhook_endpoint_limit", `An organization can have at most ${MAX_ENDPOINTS_PER_ORGANIZATION} webhook endpoints; delete one first.`);
    }
    const secret = newWebhookSecret();
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        organizationId: ctx.organizationId,
        url,
        events: input.events,
        description: input.description || null,
        secretSealed: ctx.sealer.seal(secret),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return { ...endpointView(row!, now), secret };
  });
}

export async function listEndpoints(db: Db, ctx: Pick<WebhookContext, "organizationId">, now = new Date()): Promise<WebhookEndpointView[]> {
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.organizationId, ctx.organizationId))
    .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
  return rows.map((row) => endpointView(row, now));
}

/** One endpoint of the organization; another organization's id is not found. */
export async function findEndpoint(db: Db, ctx: Pick<WebhookContext, "organizationId">, endpointId: string, options: { lock?: boolean } = {}): Promise<EndpointRow> {
  if (!isUuid(endpointId)) throw AppError.notFound("Webhook endpoint");
  const query = db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.organizationId, ctx.organizationId)));
  const [row] = options.lock ? await query.for("update") : await query;
  if (!row) throw AppError.notFound("Webhook endpoint");
  return row;
}

export async function getEndpoint(db: Db, ctx: Pick<WebhookContext, "organizationId">, endpointId: string, now = new Date()) {
  return endpointView(await findEndpoint(db, ctx, endpointId), now);
}

export async function updateEndpoint(db: Db, ctx: WebhookContext, endpointId: string, body: unknown, now = new Date()) {
  const input = updateWebhookEndpointSchema.parse(body);
  const url = input.url === undefined ? undefined : await checkedUrl(input.url, ctx);
  return db.transaction(async (tx) => {
    const current = await findEndpoint(tx, ctx, endpointId, { lock: true });
    const enabling = input.enabled === true && !current.enabled;
    const disabling = input.enabled === false && current.enabled;
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        ...(url !== undefined ? { url } : {}),
        ...(input.events ? { events: input.events } : {}),
        ...(input.description !== undefined ? { description: input.description || null } : {}),
        ...(enabling ? { enabled: true, disabledReason: null, disabledAt: null, failingSince: null } : {}),
        ...(disabling ? { enabled: false, disabledReason: "manual" as const, disabledAt: now } : {}),
        updatedAt: now,
      })
      .where(eq(webhookEndpoints.id, current.id))
      .returning();
    return endpointView(row!, now);
  });
}

/** Deletes the endpoint with its delivery log; pending deliveries to it stop. */
export async function deleteEndpoint(db: Db, ctx: Pick<WebhookContext, "organizationId">, endpointId: string): Promise<WebhookEndpointDeleted> {
  const found = await findEndpoint(db, ctx, endpointId);
  await db.delete(webhookEndpoints).where(and(eq(webhookEndpoints.id, found.id), eq(webhookEndpoints.organizationId, ctx.organizationId)));
  return { id: found.id, deleted: true };
}

/**
 * A new secret, shown once. The current one becomes the previous secret and keeps signing
 * alongside for 24 hours; rotating again within that time drops the oldest at once.
 */
export async function rotateSecret(db: Db, ctx: WebhookContext, endpointId: string, now = new Date()) {
  return db.transaction(async (tx) => {
    const current = await findEndpoint(tx, ctx, endpointId, { lock: true });
    const secret = newWebhookSecret();
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        secretSealed: ctx.sealer.seal(secret),
        previousSecretSealed: current.secretSealed,
        previousSecretExpiresAt: new Date(now.getTime() + PREVIOUS_SECRET_GRACE_MS),
        updatedAt: now,
      })
      .where(eq(webhookEndpoints.id, current.id))
      .returning();
    return { ...endpointView(row!, now), secret };
  });
}

/** The secrets an attempt made at `now` is signed with. */
export function signingSecrets(row: EndpointRow, sealer: Sealer, now: Date): { current: string; previous: string | null } {
  const previous = row.previousSecretSealed && row.previousSecretExpiresAt && row.previousSecretExpiresAt > now ? sealer.open(row.previousSecretSealed) : null;
  return { current: sealer.open(row.secretSealed), previous };
}

import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { randomPin, randomToken, sha256, type Sealer } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/validation/uuid";
import { recordEvent } from "@/lib/outbox";
import { recordAudit, type AuditEntry } from "@/lib/staff/audit";
import { z } from "zod";

export const reissueAccessSchema = z
  .object({
    links: z
      .boolean({ error: "must be true or false" })
      .default(false)
      .describe("Also issue new join links for the patient and the provider; the old links then stop working (404, like an unknown link)."),
  })
  .meta({ id: "ReissueAccess" });

export type ReissuedAccess = { pin: string; links: boolean };

/**
 * Issues a consultation a new PIN, and with `links` new join links for both participants, for
 * one that is still Pending or InProgress. It lifts a link's lock: wrong PINs typed before it
 * no longer count toward the link's limits (the per-address limit still counts them). The
 * change, its audit row and the integrators' `consultation.access_reissued` commit together.
 * The PIN is in neither the audit row nor the event.
 */
export async function reissueAccess(
  db: Db,
  input: {
    organizationId: string;
    consultationId: string;
    links: boolean;
    now: Date;
    sealer: Sealer;
    actor: AuditEntry["actor"];
    ip?: string | null;
    userAgent?: string | null;
  },
): Promise<ReissuedAccess> {
  const { organizationId, consultationId, links, now, sealer } = input;
  if (!isUuid(consultationId)) throw AppError.notFound("Consultation");
  return db.transaction(async (tx) => {
    const [consultation] = await tx.execute<{ status: string; pin_sealed: string }>(sql`
      select status, access_pin_sealed as pin_sealed from consultations
      where id = ${consultationId} and organization_id = ${organizationId} for update`);
    if (!consultation) throw AppError.notFound("Consultation");
    if (consultation.status !== "Pending" && consultation.status !== "InProgress") {
      throw AppError.conflict("consultation_closed", `This consultation is ${consultation.status}: its PIN and links can no longer be reissued.`);
    }
    // A PIN typed at a link at this moment waits for this change (lib/rooms/pin.ts locks the participant too).
    const participants = await tx.execute<{ id: string }>(sql`
      select rp.id from room_participants rp join rooms r on r.id = rp.room_id
      where r.consultation_id = ${consultationId} and rp.organization_id = ${organizationId} order by rp.id for update of rp`);

    const old = sealer.open(consultation.pin_sealed);
    let pin = randomPin();
    while (pin === old) pin = randomPin();
    await tx.execute(sql`
      update consultations set access_pin_sealed = ${sealer.seal(pin)}, pin_issued_at = ${now.toISOString()}, updated_at = ${now.toISOString()}
      where id = ${consultationId}`);
    if (links) {
      for (const participant of participants) {
        const token = randomToken(32);
        await tx.execute(sql`
          update room_participants set access_token_hash = ${sha256(token)}, access_token_sealed = ${sealer.seal(token)}
          where id = ${participant.id}`);
      }
    }
    await recordAudit(tx, {
      organizationId,
      action: "consultation.access_reissued",
      actor: input.actor,
      target: { type: "consultation", id: consultationId },
      ip: input.ip,
      userAgent: input.userAgent,
      detail: { links },
    });
    await recordEvent(tx, {
      organizationId,
      event: "consultation.access_reissued",
      aggregateType: "consultation",
      aggregateId: consultationId,
      occurredAt: now,
      payload: { consultationId, status: consultation.status, reissued: { pin: true, links } },
    });
    return { pin, links };
  });
}

import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { randomToken, sha256, type Sealer } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/validation/uuid";
import { plainName } from "@/lib/validation/text";
import { joinUrl } from "./present";

/** With the patient and the provider, what a peer-to-peer call carries (4). */
export const MAX_GUESTS = 2;
export const GUEST_KINDS = ["companion", "interpreter"] as const;

export const addGuestSchema = z
  .object({
    name: plainName(z.string().trim().min(1).max(120)).describe("The guest's name, as the call screen shows it."),
    kind: z.enum(GUEST_KINDS).describe("`companion` (a relative, a carer) or `interpreter`."),
  })
  .strict()
  .meta({ id: "AddGuest" });
export type AddGuestInput = z.infer<typeof addGuestSchema>;

export const guestSchema = z
  .object({
    participantId: z.uuid(),
    name: z.string(),
    kind: z.enum(GUEST_KINDS),
    joinUrl: z.url().describe("The guest's own link: it opens with the consultation's PIN, like the patient's."),
  })
  .meta({ id: "Guest" });
export type Guest = z.infer<typeof guestSchema>;

type Ctx = { organizationId: string; appUrl: string; sealer: Sealer };

/**
 * A guest joins a consultation: a companion or an interpreter with their own link and the
 * consultation's PIN (the same limits hold per link). A guest is never a host (basic): only the
 * provider ends the call for everyone. At most MAX_GUESTS, while the consultation is live.
 */
export async function addGuest(db: Db, ctx: Ctx, consultationId: string, input: AddGuestInput): Promise<Guest> {
  if (!isUuid(consultationId)) throw AppError.notFound("Consultation");
  return db.transaction(async (tx) => {
    const [consultation] = await tx.execute<{ status: string; room_id: string }>(sql`
      select c.status, r.id as room_id from consultations c join rooms r on r.consultation_id = c.id
      where c.id = ${consultationId} and c.organization_id = ${ctx.organizationId}
      for update of c, r`);
    if (!consultation) throw AppError.notFound("Consultation");
    if (consultation.status !== "Pending" && consultation.status !== "InProgress") {
      throw AppError.conflict("consultation_closed", `This consultation is ${consultation.status}: it takes no more guests.`);
    }
    const [{ guests }] = (await tx.execute<{ guests: number }>(sql`
      select count(*)::int as guests from room_participants where room_id = ${consultation.room_id} and role = 'guest'`)) as unknown as [{ guests: number }];
    if (guests >= MAX_GUESTS) throw AppError.conflict("too_many_guests", `This consultation already has its ${MAX_GUESTS} guests.`);
    const token = randomToken(32);
    const [row] = await tx.execute<{ id: string }>(sql`
      insert into room_participants (organization_id, room_id, role, privilege, display_name, group_name, access_token_hash, access_token_sealed)
      values (${ctx.organizationId}, ${consultation.room_id}, 'guest', 'basic', ${input.name}, ${input.kind}, ${sha256(token)}, ${ctx.sealer.seal(token)})
      returning id`);
    await tx.execute(sql`update rooms set max_participants = max_participants + 1 where id = ${consultation.room_id}`);
    return { participantId: row!.id, name: input.name, kind: input.kind, joinUrl: joinUrl(ctx.appUrl, token, "guest") };
  });
}

/** A consultation's guests with their links (the token is kept sealed so links can be shown again). */
export async function listGuests(db: Db, ctx: Ctx, consultationId: string): Promise<Guest[]> {
  if (!isUuid(consultationId)) throw AppError.notFound("Consultation");
  const rows = await db.execute<{ id: string; display_name: string; group_name: Guest["kind"]; token_sealed: string; found: boolean }>(sql`
    select p.id, p.display_name, p.group_name, p.access_token_sealed as token_sealed
    from consultations c join rooms r on r.consultation_id = c.id join room_participants p on p.room_id = r.id and p.role = 'guest'
    where c.id = ${consultationId} and c.organization_id = ${ctx.organizationId}
    order by p.created_at, p.id`);
  if (rows.length === 0) {
    const [exists] = await db.execute(sql`select 1 from consultations where id = ${consultationId} and organization_id = ${ctx.organizationId}`);
    if (!exists) throw AppError.notFound("Consultation");
  }
  return rows.map((r) => ({ participantId: r.id, name: r.display_name, kind: r.group_name, joinUrl: joinUrl(ctx.appUrl, ctx.sealer.open(r.token_sealed), "guest") }));
}

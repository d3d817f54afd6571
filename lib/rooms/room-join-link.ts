import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { readRoomLink, roomLinkOpens, type RoomLink } from "./room-link";
import type { ParticipantSession } from "./session";
import { callWindow, refusalFor, type CallTimes } from "./window";

/** Someone else in the room, as the join screen names them: their name and their group. */
export type RoomCompanion = { name: string; group: string | null };

/** What a room user's personal link leads to: their place in a standalone room, and the room. */
export type RoomJoinLink = CallTimes & {
  link: RoomLink;
  participantId: string;
  roomId: string;
  organizationId: string;
  organizationName: string;
  timeZone: string;
  /** The organization's default language, and this person's own (the teleconsultation API's `language`), for the pages this link opens. */
  organizationLanguage: string;
  language: string | null;
  displayName: string;
  privilege: "plus" | "basic";
  group: string | null;
  description: string | null;
  /** Links minted before this no longer open the call (the room's who or when changed). */
  linksValidFrom: Date | null;
  /** The other participants of the room, in the order they were added. */
  others: RoomCompanion[];
};

type Row = {
  participant_id: string;
  room_id: string;
  organization_id: string;
  organization_name: string;
  time_zone: string;
  organization_language: string;
  language: string | null;
  display_name: string;
  privilege: "plus" | "basic";
  group_name: string | null;
  status: CallTimes["status"];
  description: string | null;
  trashed: boolean;
  starts_at_ms: number;
  ends_at_ms: number | null;
  links_valid_from_ms: number | null;
};

/**
 * The participant a room link names, in a standalone room (a consultation's participants join
 * with their link and PIN, never with a room link), with the room, its organization and the
 * others in it. Nothing for a token that is not a room link, whose signature does not hold, or
 * whose participant is gone. Every row is tied to the participant's organization.
 */
export async function findRoomJoinLink(db: Db, appSecret: string, token: string): Promise<RoomJoinLink | undefined> {
  const link = readRoomLink(appSecret, token);
  if (!link) return undefined;
  const rows = await db.execute<Row>(sql`
    select rp.id as participant_id, rp.room_id, rp.organization_id, o.name as organization_name, o.timezone as time_zone, o.language as organization_language,
      rp.language, rp.display_name, rp.privilege, rp.group_name, r.status, r.description, r.trashed_at is not null as trashed,
      extract(epoch from r.starts_at)::float8 * 1000 as starts_at_ms,
      extract(epoch from r.ends_at)::float8 * 1000 as ends_at_ms,
      extract(epoch from r.links_valid_from)::float8 * 1000 as links_valid_from_ms
    from room_participants rp
    join rooms r on r.id = rp.room_id and r.organization_id = rp.organization_id and r.consultation_id is null
    join organizations o on o.id = rp.organization_id
    where rp.id = ${link.participantId}`);
  const r = rows[0];
  if (!r) return undefined;
  const others = await db.execute<{ name: string; group_name: string | null }>(sql`
    select display_name as name, group_name from room_participants
    where room_id = ${r.room_id} and organization_id = ${r.organization_id} and id <> ${r.participant_id}
    order by created_at, id`);
  return {
    link,
    participantId: r.participant_id,
    roomId: r.room_id,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    timeZone: r.time_zone,
    organizationLanguage: r.organization_language,
    language: r.language,
    displayName: r.display_name,
    privilege: r.privilege,
    group: r.group_name,
    description: r.description,
    status: r.status,
    // A standalone room opens like a scheduled consultation: shortly before its start.
    immediate: false,
    trashed: r.trashed,
    startsAt: new Date(Number(r.starts_at_ms)),
    endsAt: r.ends_at_ms === null ? null : new Date(Number(r.ends_at_ms)),
    linksValidFrom: r.links_valid_from_ms === null ? null : new Date(Number(r.links_valid_from_ms)),
    others: others.map((o) => ({ name: o.name, group: o.group_name })),
  };
}

export type RoomLinkLimits = { ttlSeconds: number; opensMinutesBefore: number };

/** Whether the link itself still opens (young enough, minted after the room's last change). */
export function roomJoinLinkOpens(found: RoomJoinLink, now: Date, ttlSeconds: number): boolean {
  return roomLinkOpens(found.link, now, ttlSeconds, found.linksValidFrom);
}

export type RoomLinkAccepted = { session: ParticipantSession; found: RoomJoinLink };

const LINK_NOT_FOUND = "This link is not valid. Check that you opened the whole link you were sent.";

/**
 * A room user opens their personal link: no PIN (the integrator authenticated them when it
 * asked for the link). The link must be signed by us, young, minted after the room's last
 * change, for a participant still in a standalone room that is not deleted, completed or
 * expired. A room that opens later still gives the session (the call itself waits for its
 * window: joining checks it again), so a person who opens the link early and waits on the
 * countdown is not sent back for a new link.
 */
export async function openRoomLinkSession(db: Db, input: { appSecret: string; token: string; now: Date; limits: RoomLinkLimits }): Promise<RoomLinkAccepted> {
  const { now } = input;
  const found = await findRoomJoinLink(db, input.appSecret, input.token);
  if (!found) throw new AppError("link_not_found", LINK_NOT_FOUND);
  if (callWindow(found, now, input.limits.opensMinutesBefore).state !== "too_early") {
    const refusal = refusalFor(found, now, input.limits.opensMinutesBefore);
    if (refusal) throw refusal;
  }
  if (!roomJoinLinkOpens(found, now, input.limits.ttlSeconds)) {
    throw new AppError("room_link_expired", "This link has expired. Open the room again from the clinic's app to get a new one.");
  }
  return {
    found,
    session: { participantId: found.participantId, roomId: found.roomId, consultationId: null, organizationId: found.organizationId, role: "member" },
  };
}

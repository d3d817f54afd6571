import { sql, type SQL } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { AppError, type FieldError } from "@/lib/errors";
import { recordEvent, type DomainEvent } from "@/lib/outbox";
import { decodeCursor, encodeCursor } from "@/lib/pagination/cursor";
import {
  privilegeFor,
  roomGroupsOf,
  type RoomGroups,
} from "@/lib/rooms/groups";
import { createRoomIn, type RoomSettings } from "@/lib/teleconsultation/rooms";
import { isUuid } from "@/lib/validation/uuid";
import {
  actingParticipant,
  findChatSession,
  type ChatActor,
  type ChatSessionParticipant,
  type ChatSessionState,
} from "./access";
import { seesOnlyOwn } from "./actor";
import { notifyChatSession } from "./notify";
import {
  CHAT_CALL_SECONDS,
  DIRECTIVES,
  STAMP_FIELDS,
  type ChatSession,
  type CreateChatSessionInput,
  type Directive,
  type ListChatSessionsQuery,
  type UpdateChatSessionInput,
} from "./schema";

/** What a change works under: the server's clock, and the rooms' settings (for `"room": "new"`). */
export type ChatSessionContext = { now: Date; settings: RoomSettings };

/** A participant as the rules need them: who in the directory, and the privilege their groups give (null: no configured group). */
type Person = Pick<
  ChatSessionParticipant,
  "roomUserId" | "externalId" | "privilege"
>;

/** The state machine: what each directive needs, what it makes, and the event it sends. */
const TRANSITIONS: Record<
  Directive,
  {
    from: ChatSessionState;
    to: ChatSessionState;
    plusOnly: boolean;
    event: DomainEvent;
  }
> = {
  start: {
    from: "created",
    to: "started",
    plusOnly: false,
    event: "chat_session.started",
  },
  accept: {
    from: "started",
    to: "accepted",
    plusOnly: true,
    event: "chat_session.accepted",
  },
  reject: {
    from: "started",
    to: "rejected",
    plusOnly: true,
    event: "chat_session.rejected",
  },
  finish: {
    from: "accepted",
    to: "finished",
    plusOnly: false,
    event: "chat_session.finished",
  },
};

const CLOSED: readonly ChatSessionState[] = ["rejected", "finished"];

const article = (word: string) => (/^[aeiou]/.test(word) ? "an" : "a");

function stateConflict(
  state: ChatSessionState,
  directive: Directive,
): AppError {
  const { from } = TRANSITIONS[directive];
  return new AppError(
    "chat_session_state",
    `The chat session is ${state}, not ${from}: ${directive} takes ${article(from)} ${from} session.`,
  );
}

function closedConflict(state: ChatSessionState): AppError {
  return new AppError(
    "chat_session_state",
    `The chat session is ${state}: it no longer changes.`,
  );
}

const notFound = () => AppError.notFound("The chat session");

// ---------------------------------------------------------------------------------------------
// Reading

type ViewRow = {
  id: string;
  created_us: string;
  created_ms: number;
  created_by: string | null;
  title: string | null;
  state: ChatSessionState;
  room_id: string | null;
  started_ms: number | null;
  started_by: string | null;
  accepted_ms: number | null;
  accepted_by: string | null;
  rejected_ms: number | null;
  rejected_by: string | null;
  reject_reason: string | null;
  finished_ms: number | null;
  finished_by: string | null;
  finish_reason: string | null;
  participants: string[];
  unread: number | null;
};

const epochMs = (column: SQL) =>
  sql`(floor(extract(epoch from ${column}) * 1000))::float8`;

/**
 * The sessions `actor` may see (the organization's chat consultations; for a user, only their
 * own) that match `where`, as the contract shows them. `unread` is counted for the actor's user
 * when they take part: messages from others (in the chat or in its call) after their last seen.
 */
function viewQuery(db: Db, actor: ChatActor, where: SQL[], tail: SQL) {
  const me = actor.user?.roomUserId ?? null;
  const scope = seesOnlyOwn(actor)
    ? me
      ? sql`and exists (select 1 from chat_session_participants o where o.chat_session_id = s.id and o.room_user_id = ${me})`
      : sql`and false`
    : sql``;
  const unread = me
    ? sql`(select (select count(*)::int from chat_messages m
          where m.chat_session_id = s.id and m.id > mp.last_seen_message_id
            and m.sender_user_id is distinct from ${me}
            and not exists (select 1 from room_participants rp where rp.id = m.sender_id and rp.room_user_id = ${me}))
        from chat_session_participants mp where mp.chat_session_id = s.id and mp.room_user_id = ${me})`
    : sql`null::int`;
  return db.execute<ViewRow>(sql`
    select s.id, (extract(epoch from s.created_at) * 1000000)::bigint::text as created_us, ${epochMs(sql`s.created_at`)} as created_ms,
      cb.external_id as created_by, s.title, s.state, s.room_id,
      ${epochMs(sql`s.started_at`)} as started_ms, sb.external_id as started_by,
      ${epochMs(sql`s.accepted_at`)} as accepted_ms, ab.external_id as accepted_by,
      ${epochMs(sql`s.rejected_at`)} as rejected_ms, rb.external_id as rejected_by, s.reject_reason,
      ${epochMs(sql`s.finished_at`)} as finished_ms, fb.external_id as finished_by, s.finish_reason,
      coalesce((select array_agg(u.external_id order by p.position) from chat_session_participants p join room_users u on u.id = p.room_user_id
        where p.chat_session_id = s.id), '{}') as participants,
      ${unread} as unread
    from chat_sessions s
      left join room_users cb on cb.id = s.created_by
      left join room_users sb on sb.id = s.started_by
      left join room_users ab on ab.id = s.accepted_by
      left join room_users rb on rb.id = s.rejected_by
      left join room_users fb on fb.id = s.finished_by
    where s.organization_id = ${actor.organizationId} and s.origin = 'api' ${scope}
      ${sql.join(
        where.map((w) => sql`and ${w}`),
        sql` `,
      )}
    ${tail}`);
}

function toView(row: ViewRow): ChatSession {
  return {
    id: row.id,
    createdAt: Number(row.created_ms),
    createdBy: row.created_by,
    type: "telemed",
    title: row.title,
    state: row.state,
    room: row.room_id,
    startedAt: row.started_ms === null ? null : Number(row.started_ms),
    startedBy: row.started_by,
    acceptedAt: row.accepted_ms === null ? null : Number(row.accepted_ms),
    acceptedBy: row.accepted_by,
    rejectedAt: row.rejected_ms === null ? null : Number(row.rejected_ms),
    rejectedBy: row.rejected_by,
    rejectReason: row.reject_reason,
    finishedAt: row.finished_ms === null ? null : Number(row.finished_ms),
    finishedBy: row.finished_by,
    finishReason: row.finish_reason,
    participants: row.participants,
    ...(row.unread === null ? {} : { unread: Number(row.unread) }),
  };
}

/** `GET /api/chat-sessions/{id}`: one session `actor` may see, with `unread` for their user; anything else is 404. */
export async function getChatSession(
  db: Db,
  actor: ChatActor,
  id: string,
): Promise<ChatSession> {
  if (!isUuid(id)) throw notFound();
  const [row] = await viewQuery(db, actor, [sql`s.id = ${id}`], sql``);
  if (!row) throw notFound();
  return toView(row);
}

/**
 * `GET /api/chat-sessions`: the sessions `actor` may see, newest first, filtered by participant
 * (an account id), room and state, a page at a time (keyset: the cursor is the last row's
 * creation time in microseconds and id, so a page never repeats or skips a row).
 */
export async function listChatSessions(
  db: Db,
  actor: ChatActor,
  query: ListChatSessionsQuery,
): Promise<{ items: ChatSession[]; nextCursor: string | null }> {
  const where: SQL[] = [];
  if (query.participant !== undefined) {
    where.push(sql`exists (select 1 from chat_session_participants fp join room_users fu on fu.id = fp.room_user_id
      where fp.chat_session_id = s.id and fu.organization_id = ${actor.organizationId} and fu.external_id = ${query.participant})`);
  }
  if (query.room !== undefined) where.push(sql`s.room_id = ${query.room}`);
  if (query.state !== undefined) where.push(sql`s.state = ${query.state}`);
  if (query.cursor !== undefined) {
    const [micros, id] = decodeCursor(query.cursor, 2) as [string, string];
    if (!/^\d{1,17}$/.test(micros) || !isUuid(id))
      throw AppError.badRequest(
        "invalid_cursor",
        "The cursor is not valid.",
        "cursor",
      );
    where.push(
      sql`(s.created_at, s.id) < (timestamptz 'epoch' + ${micros}::bigint * interval '1 microsecond', ${id}::uuid)`,
    );
  }
  const rows = await viewQuery(
    db,
    actor,
    where,
    sql`order by s.created_at desc, s.id desc limit ${query.limit + 1}`,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toView),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor([last.created_us, last.id])
        : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Who takes part

/** The directory's users for these account ids, in the order given; unknown ones are a 400 at `field[i]`, all at once. */
async function directoryUsers(
  tx: Db,
  organizationId: string,
  ids: string[],
  groups: RoomGroups,
  field = "participants",
): Promise<Person[]> {
  const rows = ids.length
    ? await tx.execute<{
        id: string;
        external_id: string;
        groups: string[];
      }>(sql`
        select id, external_id, groups from room_users
        where organization_id = ${organizationId} and external_id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})`)
    : [];
  const known = new Map(rows.map((row) => [row.external_id, row]));
  const problems: FieldError[] = [];
  const people: Person[] = [];
  ids.forEach((externalId, i) => {
    const row = known.get(externalId);
    if (!row) {
      problems.push({
        field: `${field}[${i}]`,
        code: "unknown_room_user",
        message: `no user with userExternalId ${JSON.stringify(externalId)} in the organization's directory (a teleconsultation room names a user, with fullName and groups, the first time)`,
      });
      return;
    }
    people.push({
      roomUserId: row.id,
      externalId,
      privilege: privilegeFor(row.groups, groups),
    });
  });
  if (problems.length > 0)
    throw new AppError(
      "unknown_room_user",
      problems.map((p) => `${p.field}: ${p.message}`).join("; "),
      problems,
    );
  return people;
}

/** A room of the organization to link: a standalone room or a consultation's, not deleted. */
async function linkableRoom(
  tx: Db,
  organizationId: string,
  roomId: string,
): Promise<string> {
  const [row] = await tx.execute<{ id: string }>(sql`
    select id from rooms where id = ${roomId} and organization_id = ${organizationId} and trashed_at is null`);
  if (!row) {
    throw AppError.validation([
      {
        field: "room",
        code: "room_not_found",
        message:
          "no room with this id in the organization (a deleted room cannot be linked)",
      },
    ]);
  }
  return row.id;
}

/**
 * `"room": "new"`: a teleconsultation room for the session's participants, starting now and
 * lasting CHAT_CALL_SECONDS (no end when rooms are unlimited), made in the caller's transaction.
 * Like any room whose people are all known, it needs a plus participant, and it is ready (its
 * personal links exist, `room.ready` is sent) at once.
 */
async function newRoomFor(
  tx: Db,
  organizationId: string,
  ctx: ChatSessionContext,
  people: Person[],
): Promise<string> {
  if (!people.some((p) => p.privilege === "plus")) {
    const message =
      "a new room needs a plus participant (a host, such as a doctor) among the session's participants";
    throw new AppError("no_plus_user", `room: ${message}`, [
      { field: "room", code: "no_plus_user", message },
    ]);
  }
  const { roomId } = await createRoomIn(
    tx,
    { organizationId, now: ctx.now, settings: ctx.settings },
    {
      participants: people.map((p) => p.externalId),
      start_date: ctx.now.toISOString(),
      duration_in_seconds: CHAT_CALL_SECONDS,
    },
  );
  return roomId;
}

// ---------------------------------------------------------------------------------------------
// Creating

type Stamp = { at: Date; by: Person } | null;
type History = {
  state: ChatSessionState;
  createdAt: Date;
  started: Stamp;
  accepted: Stamp;
  rejected: Stamp;
  finished: Stamp;
};

const STEPS = [
  { name: "started", at: "startedAt", by: "startedBy", plusOnly: false },
  { name: "accepted", at: "acceptedAt", by: "acceptedBy", plusOnly: true },
  { name: "rejected", at: "rejectedAt", by: "rejectedBy", plusOnly: true },
  { name: "finished", at: "finishedAt", by: "finishedBy", plusOnly: false },
] as const;

/**
 * The explicit timestamps of a POST (an integrator importing history), taken only when they
 * are a path of the state machine: each `*At` with its `*By`, every `*By` a participant (a plus
 * one to accept or reject), accepted or rejected only after started, not both, finished only
 * after accepted, times in order (createdAt ≤ startedAt ≤ acceptedAt | rejectedAt ≤
 * finishedAt) and none after the server's clock. The state is the path's last step. Every
 * problem is a 400 at its field, all at once.
 */
function importedHistory(
  input: CreateChatSessionInput,
  people: Person[],
  now: Date,
): History {
  const problems: FieldError[] = [];
  const problem = (field: string, code: string, message: string) =>
    problems.push({ field, code, message });
  const byId = new Map(people.map((p) => [p.externalId, p]));
  const stamps: Record<(typeof STEPS)[number]["name"], Stamp> = {
    started: null,
    accepted: null,
    rejected: null,
    finished: null,
  };
  const given = (step: (typeof STEPS)[number]) =>
    input[step.at] !== undefined || input[step.by] !== undefined;

  for (const step of STEPS) {
    const at = input[step.at];
    const who = input[step.by];
    if (at !== undefined && who === undefined)
      problem(step.by, "required", `is required with ${step.at}`);
    if (who !== undefined && at === undefined)
      problem(step.at, "required", `is required with ${step.by}`);
    if (at !== undefined && at > now.getTime())
      problem(step.at, "in_the_future", "must not be after the server's clock");
    const person = who === undefined ? undefined : byId.get(who);
    if (who !== undefined && !person)
      problem(
        step.by,
        "not_a_participant",
        `${JSON.stringify(who)} is not one of the participants`,
      );
    if (person && step.plusOnly && person.privilege !== "plus")
      problem(
        step.by,
        "plus_required",
        "must be a plus participant (a host, such as a doctor)",
      );
    if (at !== undefined && person)
      stamps[step.name] = { at: new Date(at), by: person };
  }
  const [started, accepted, rejected, finished] = STEPS.map(given) as [
    boolean,
    boolean,
    boolean,
    boolean,
  ];
  if (accepted && !started)
    problem(
      "acceptedAt",
      "invalid_transition",
      "needs startedAt: a session is accepted after it was started",
    );
  if (rejected && !started)
    problem(
      "rejectedAt",
      "invalid_transition",
      "needs startedAt: a session is rejected after it was started",
    );
  if (accepted && rejected)
    problem(
      "rejectedAt",
      "invalid_transition",
      "a session is accepted or rejected, not both",
    );
  if (finished && !accepted)
    problem(
      "finishedAt",
      "invalid_transition",
      "needs acceptedAt: only an accepted session is finished",
    );
  if (input.rejectReason !== undefined && !rejected)
    problem("rejectReason", "invalid_transition", "needs rejectedAt");
  if (input.finishReason !== undefined && !finished)
    problem("finishReason", "invalid_transition", "needs finishedAt");
  if (input.createdAt !== undefined && input.createdAt > now.getTime())
    problem(
      "createdAt",
      "in_the_future",
      "must not be after the server's clock",
    );

  // Times in order, each against the step before it.
  const order: [string, number | undefined][] = [
    ["createdAt", input.createdAt],
    ["startedAt", input.startedAt],
    [
      input.acceptedAt !== undefined ? "acceptedAt" : "rejectedAt",
      input.acceptedAt ?? input.rejectedAt,
    ],
    ["finishedAt", input.finishedAt],
  ];
  let before: [string, number] | undefined;
  for (const [field, value] of order) {
    if (value === undefined) continue;
    if (before && value < before[1])
      problem(field, "out_of_order", `must not be before ${before[0]}`);
    before = [field, value];
  }
  if (problems.length > 0)
    throw AppError.validation(
      problems,
      "The timestamps are not a path of the chat session's states (created → started → accepted | rejected; accepted → finished).",
    );

  const state: ChatSessionState = finished
    ? "finished"
    : rejected
      ? "rejected"
      : accepted
        ? "accepted"
        : started
          ? "started"
          : "created";
  const createdAt =
    input.createdAt !== undefined
      ? new Date(input.createdAt)
      : (stamps.started?.at ?? now);
  return { state, createdAt, ...stamps };
}

/**
 * `POST /api/chat-sessions`: a session between 2 to 25 users of the directory, `created`, made by
 * the user the request names (who must take part), or by the integrator. With explicit
 * timestamps (an integrator importing history, see importedHistory) it starts in the state they
 * lead to, and sends no webhook: the integrator's system is where that history comes from.
 */
export async function createChatSession(
  db: Database,
  actor: ChatActor,
  ctx: ChatSessionContext,
  input: CreateChatSessionInput,
): Promise<ChatSession> {
  const stamped = STAMP_FIELDS.filter((field) => input[field] !== undefined);
  if (stamped.length > 0 && actor.kind !== "integrator") {
    throw AppError.validation(
      stamped.map((field) => ({
        field,
        code: "integrator_only",
        message:
          "explicit timestamps are for an integrator importing history (the organization's API credential); a user acts with PATCH directives",
      })),
    );
  }
  return db.transaction(async (tx) => {
    const groups = await roomGroupsOf(tx, actor.organizationId);
    const people = await directoryUsers(
      tx,
      actor.organizationId,
      input.participants,
      groups,
    );
    if (
      seesOnlyOwn(actor) &&
      !people.some((p) => p.roomUserId === actor.user?.roomUserId)
    ) {
      throw new AppError(
        "not_a_participant",
        "A user creates sessions they take part in: add them to participants (or create it with the organization's credential alone).",
      );
    }
    const history = importedHistory(input, people, ctx.now);
    const roomId =
      input.room === "new"
        ? await newRoomFor(tx, actor.organizationId, ctx, people)
        : input.room
          ? await linkableRoom(tx, actor.organizationId, input.room)
          : null;
    const at = (stamp: Stamp) => stamp?.at.toISOString() ?? null;
    const by = (stamp: Stamp) => stamp?.by.roomUserId ?? null;
    const [row] = await tx.execute<{ id: string }>(sql`
      insert into chat_sessions (organization_id, origin, room_id, type, title, state, created_by,
        started_at, started_by, accepted_at, accepted_by, rejected_at, rejected_by, reject_reason, finished_at, finished_by, finish_reason, created_at, updated_at)
      values (${actor.organizationId}, 'api', ${roomId}, 'telemed', ${input.title ?? null}, ${history.state}, ${actor.user?.roomUserId ?? null},
        ${at(history.started)}, ${by(history.started)}, ${at(history.accepted)}, ${by(history.accepted)},
        ${at(history.rejected)}, ${by(history.rejected)}, ${input.rejectReason ?? null},
        ${at(history.finished)}, ${by(history.finished)}, ${input.finishReason ?? null},
        ${history.createdAt.toISOString()}, ${ctx.now.toISOString()})
      returning id`);
    const id = row!.id;
    await insertParticipants(tx, actor.organizationId, id, people);
    await notifyChatSession(tx, id);
    return getChatSession(tx, actor, id);
  });
}

async function insertParticipants(
  tx: Db,
  organizationId: string,
  chatSessionId: string,
  people: Person[],
): Promise<void> {
  await tx.execute(sql`
    insert into chat_session_participants (chat_session_id, room_user_id, organization_id, position)
    values ${sql.join(
      people.map(
        (p, i) =>
          sql`(${chatSessionId}, ${p.roomUserId}, ${organizationId}, ${i})`,
      ),
      sql`, `,
    )}
    on conflict (chat_session_id, room_user_id) do update set position = excluded.position`);
}

// ---------------------------------------------------------------------------------------------
// Changing

/**
 * `PATCH /api/chat-sessions/{id}`: in one transaction, with the session's row locked (two
 * directives at once: the second sees the first's state), any of
 * - `title`, `room` (`"new"`, a room id, or null), `participants` (the list replaced): by a
 *   participant or the integrator, while the session is not rejected or finished;
 * - one directive, `start`, `accept`, `reject` or `finish`: by a participant (accept and reject by
 *   a plus one), stamped with the server's clock and that participant, from the state the
 *   machine allows (else 409 naming the state), with its webhook event;
 * - `seen`: everything so far is seen by the acting participant.
 * Explicit timestamps are refused (400): the directives set them.
 */
export async function patchChatSession(
  db: Database,
  actor: ChatActor,
  ctx: ChatSessionContext,
  id: string,
  input: UpdateChatSessionInput,
): Promise<ChatSession> {
  const stamped = STAMP_FIELDS.filter((field) => input[field] !== undefined);
  if (stamped.length > 0) {
    throw AppError.validation(
      stamped.map((field) => ({
        field,
        code: "use_directive",
        message:
          "is set by a directive on PATCH (start, accept, reject, finish) from the server's clock and the acting user; explicit timestamps are taken only when a session is created (history import)",
      })),
    );
  }
  if (Object.values(input).every((value) => value === undefined)) {
    throw AppError.validation([
      {
        field: "body",
        code: "empty",
        message:
          "give a field to change (title, room, participants), a directive (start, accept, reject, finish) or seen",
      },
    ]);
  }
  const directive = DIRECTIVES.find((d) => input[d] !== undefined);
  const edits =
    input.title !== undefined ||
    input.room !== undefined ||
    input.participants !== undefined;

  return db.transaction(async (tx) => {
    let session = await findChatSession(tx, actor, id, { lock: true });
    // A user the request names acts as themself: only as a participant (the integrator alone, or staff, may change fields).
    if (
      actor.kind !== "staff" &&
      actor.user &&
      !session.participants.some((p) => p.roomUserId === actor.user!.roomUserId)
    )
      actingParticipant(session, actor);
    let roomId = session.roomId;
    if (edits) {
      if (CLOSED.includes(session.state)) throw closedConflict(session.state);
      let people: Person[] = session.participants;
      if (input.participants !== undefined) {
        people = await directoryUsers(
          tx,
          actor.organizationId,
          input.participants,
          await roomGroupsOf(tx, actor.organizationId),
        );
        if (
          seesOnlyOwn(actor) &&
          !people.some((p) => p.roomUserId === actor.user?.roomUserId)
        ) {
          throw AppError.validation([
            {
              field: "participants",
              code: "acting_user_removed",
              message:
                "must keep the acting user (X-User-Id or the user token's); the integrator's credential alone may remove them",
            },
          ]);
        }
        await tx.execute(sql`
          delete from chat_session_participants where chat_session_id = ${id}
            and not (room_user_id = any(${`{${people.map((p) => p.roomUserId).join(",")}}`}::uuid[]))`);
        await insertParticipants(tx, actor.organizationId, id, people);
      }
      if (input.room !== undefined) {
        roomId =
          input.room === "new"
            ? await newRoomFor(tx, actor.organizationId, ctx, people)
            : input.room === null
              ? null
              : await linkableRoom(tx, actor.organizationId, input.room);
      }
      await tx.execute(sql`
        update chat_sessions set
          title = ${input.title !== undefined ? sql`${input.title}` : sql`title`},
          room_id = ${roomId},
          updated_at = ${ctx.now.toISOString()}
        where id = ${id}`);
      // Who takes part, and with which privilege, as the directive below must see it.
      if (input.participants !== undefined)
        session = await findChatSession(tx, actor, id);
    }

    if (directive) {
      const participant = actingParticipant(session, actor);
      const transition = TRANSITIONS[directive];
      if (transition.plusOnly && participant.privilege !== "plus") {
        throw new AppError(
          "chat_plus_required",
          `Only a plus participant (a host, such as a doctor) may ${directive} a chat session.`,
        );
      }
      if (session.state !== transition.from)
        throw stateConflict(session.state, directive);
      const given = input[directive];
      const reason = typeof given === "string" ? given : null;
      // The stamp's columns are named after the state (`accepted_at`…) and the reason's after the directive (`reject_reason`): never from a request.
      await tx.execute(sql`
        update chat_sessions set state = ${transition.to},
          ${sql.raw(`${transition.to}_at`)} = ${ctx.now.toISOString()}, ${sql.raw(`${transition.to}_by`)} = ${participant.roomUserId},
          ${reason === null ? sql`` : sql`${sql.raw(`${directive}_reason`)} = ${reason},`} updated_at = ${ctx.now.toISOString()}
        where id = ${id}`);
      // Ids and who only: the reason is the clinician's own words about the session, never a message.
      await recordEvent(tx, {
        organizationId: actor.organizationId,
        event: transition.event,
        aggregateType: "chat_session",
        aggregateId: id,
        occurredAt: ctx.now,
        payload: {
          state: transition.to,
          room: roomId,
          participants: session.participants.map((p) => p.externalId),
          actor: participant.externalId,
          at: ctx.now.getTime(),
          ...(reason === null ? {} : { reason }),
        },
      });
    }

    if (input.seen) {
      const participant = actingParticipant(session, actor);
      await tx.execute(sql`
        update chat_session_participants set
          last_seen_message_id = greatest(last_seen_message_id, coalesce((select max(m.id) from chat_messages m where m.chat_session_id = ${id}), 0)),
          seen_at = ${ctx.now.toISOString()}
        where chat_session_id = ${id} and room_user_id = ${participant.roomUserId}`);
    }

    await notifyChatSession(tx, id);
    return getChatSession(tx, actor, id);
  });
}

import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  GET as readOne,
  PATCH as patch,
} from "@/app/api/chat-sessions/[chatSessionId]/route";
import { GET as list, POST as create } from "@/app/api/chat-sessions/route";
import { POST as credentials } from "@/app/api/credentials/route";
import { call, createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { insertStandaloneRoom } from "@/test/standalone-rooms";

const test = setupTestDatabase();

type Headers = Record<string, string>;
let counter = 0;

/** A user of the organization's directory (as a teleconsultation room would have made them). */
async function addUser(
  tenant: Tenant,
  group: "doctor" | "patient" | "customer",
  prefix: string = group,
): Promise<string> {
  const externalId = `${prefix}-${++counter}`;
  await test.db.execute(sql`
    insert into room_users (organization_id, external_id, full_name, groups)
    values (${tenant.organization.id}, ${externalId}, ${`Person ${counter}`}, array[${group}]::text[])`);
  return externalId;
}

const as = (tenant: Tenant, userExternalId: string): Headers => ({
  ...tenant.headers,
  "x-user-id": userExternalId,
});

async function tokenOf(
  tenant: Tenant,
  userExternalId: string,
): Promise<Headers> {
  const minted = await call(credentials, {
    path: "/api/credentials",
    headers: as(tenant, userExternalId),
    body: {},
  });
  expect(minted.status, minted.text).toBe(201);
  return { authorization: `Bearer ${minted.json.accessToken}` };
}

const post = (headers: Headers, body: unknown) =>
  call(create, { path: "/api/chat-sessions", headers, body });
const get = (headers: Headers, id: string) =>
  call(readOne, {
    path: `/api/chat-sessions/${id}`,
    headers,
    params: { chatSessionId: id },
  });
const change = (headers: Headers, id: string, body: unknown) =>
  call(patch, {
    method: "PATCH",
    path: `/api/chat-sessions/${id}`,
    headers,
    params: { chatSessionId: id },
    body,
  });
const listAs = (headers: Headers, query = "") =>
  call(list, { path: `/api/chat-sessions${query}`, headers });

async function outboxOf(sessionId: string) {
  return test.db.execute<{
    event: string;
    aggregate_type: string;
    payload: Record<string, unknown>;
  }>(sql`
    select event, aggregate_type, payload from outbox_events where aggregate_id = ${sessionId} order by sequence`);
}

const STAMPS = [
  "createdAt",
  "startedAt",
  "acceptedAt",
  "rejectedAt",
  "finishedAt",
] as const;

describe("/api/chat-sessions: the contract's examples", () => {
  let tenant: Tenant;
  let doctor: string;
  let patient: string;
  beforeAll(async () => {
    tenant = await createTenant(test.db);
    doctor = await addUser(tenant, "doctor");
    patient = await addUser(tenant, "patient");
  });

  it('creates with {"participants": [...], "title": "Hello"} verbatim: 200, created, timestamps as numbers', async () => {
    const before = Date.now();
    const res = await post(tenant.headers, {
      participants: [doctor, patient],
      title: "Hello",
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      createdAt: expect.any(Number),
      createdBy: null,
      type: "telemed",
      title: "Hello",
      state: "created",
      room: null,
      startedAt: null,
      startedBy: null,
      acceptedAt: null,
      acceptedBy: null,
      rejectedAt: null,
      rejectedBy: null,
      rejectReason: null,
      finishedAt: null,
      finishedBy: null,
      finishReason: null,
      participants: [doctor, patient],
    });
    expect(res.json.createdAt).toBeGreaterThanOrEqual(before - 5);
    expect(res.json.createdAt).toBeLessThanOrEqual(Date.now() + 5);
    // No user named: no unread count.
    expect(res.json).not.toHaveProperty("unread");

    const read = await get(tenant.headers, res.json.id);
    expect(read.status, read.text).toBe(200);
    expect(read.json).toEqual(res.json);
  });

  it('marks a session seen with {"seen": true} verbatim', async () => {
    const created = await post(as(tenant, patient), {
      participants: [doctor, patient],
      title: "Hello",
    });
    expect(created.json).toMatchObject({ createdBy: patient, unread: 0 });
    const id = created.json.id;
    const doctorRow = await test.db.execute<{ id: string }>(
      sql`select id from room_users where external_id = ${doctor}`,
    );
    for (const text of ["Hello, how can I help?", "Tell me your symptoms."]) {
      await test.db.execute(sql`
        insert into chat_messages (organization_id, chat_session_id, sender_user_id, sender_role, sender_name, body, sent_at)
        values (${tenant.organization.id}, ${id}, ${doctorRow[0]!.id}, 'member', 'Doctor', ${text}, now())`);
    }
    expect((await get(as(tenant, patient), id)).json.unread).toBe(2);
    // Their own messages are never unread for the doctor.
    expect((await get(as(tenant, doctor), id)).json.unread).toBe(0);

    const seen = await change(as(tenant, patient), id, { seen: true });
    expect(seen.status, seen.text).toBe(200);
    expect(seen.json).toMatchObject({ id, state: "created", unread: 0 });
    expect((await get(as(tenant, patient), id)).json.unread).toBe(0);
    const [mark] = await test.db.execute<{ seen_at: Date | null }>(sql`
      select p.seen_at from chat_session_participants p join room_users u on u.id = p.room_user_id where p.chat_session_id = ${id} and u.external_id = ${patient}`);
    expect(mark!.seen_at).not.toBeNull();
  });
});

describe("directives: the state machine", () => {
  let tenant: Tenant;
  let doctor: string;
  let nurse: string;
  let patient: string;
  let outsider: string;
  beforeAll(async () => {
    tenant = await createTenant(test.db);
    doctor = await addUser(tenant, "doctor");
    nurse = await addUser(tenant, "doctor", "second-doctor");
    patient = await addUser(tenant, "patient");
    outsider = await addUser(tenant, "doctor", "outsider");
  });

  const newSession = async (body: Record<string, unknown> = {}) => {
    const res = await post(tenant.headers, {
      participants: [doctor, nurse, patient],
      ...body,
    });
    expect(res.status, res.text).toBe(200);
    return res.json.id as string;
  };

  it("goes created → started → accepted → finished, stamping the server's time and the acting user, with an outbox row each", async () => {
    const id = await newSession({ title: "Rash" });
    const t0 = Date.now();
    const started = await change(as(tenant, patient), id, { start: true });
    expect(started.status, started.text).toBe(200);
    expect(started.json).toMatchObject({
      state: "started",
      startedBy: patient,
      acceptedAt: null,
    });
    expect(typeof started.json.startedAt).toBe("number");
    expect(started.json.startedAt).toBeGreaterThanOrEqual(t0 - 5);

    const accepted = await change(as(tenant, doctor), id, { accept: true });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.json).toMatchObject({
      state: "accepted",
      acceptedBy: doctor,
      startedBy: patient,
    });
    expect(accepted.json.acceptedAt).toBeGreaterThanOrEqual(
      accepted.json.startedAt,
    );

    const token = await tokenOf(tenant, patient);
    const finished = await change(token, id, {
      finish: "Feeling better, thanks",
    });
    expect(finished.status, finished.text).toBe(200);
    expect(finished.json).toMatchObject({
      state: "finished",
      finishedBy: patient,
      finishReason: "Feeling better, thanks",
      rejectReason: null,
    });
    for (const field of STAMPS.filter((f) => f !== "rejectedAt"))
      expect(typeof finished.json[field], field).toBe("number");

    const events = await outboxOf(id);
    expect(events.map((e) => e.event)).toEqual([
      "chat_session.started",
      "chat_session.accepted",
      "chat_session.finished",
    ]);
    expect(events.every((e) => e.aggregate_type === "chat_session")).toBe(true);
    expect(events[0]!.payload).toEqual({
      state: "started",
      room: null,
      participants: [doctor, nurse, patient],
      actor: patient,
      at: started.json.startedAt,
    });
    expect(events[1]!.payload).toMatchObject({
      state: "accepted",
      actor: doctor,
      at: accepted.json.acceptedAt,
    });
    expect(events[2]!.payload).toMatchObject({
      state: "finished",
      actor: patient,
      reason: "Feeling better, thanks",
    });
    // Ids and who only: never the title (or any message).
    expect(JSON.stringify(events)).not.toContain("Rash");
  });

  it("goes started → rejected with a reason, by a plus participant", async () => {
    const id = await newSession();
    await change(as(tenant, patient), id, { start: true });
    const rejected = await change(as(tenant, nurse), id, {
      reject: "Please come to the clinic",
    });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.json).toMatchObject({
      state: "rejected",
      rejectedBy: nurse,
      rejectReason: "Please come to the clinic",
      acceptedAt: null,
    });
    const plain = await newSession();
    await change(as(tenant, patient), plain, { start: true });
    const noReason = await change(as(tenant, doctor), plain, { reject: true });
    expect(noReason.json).toMatchObject({
      state: "rejected",
      rejectReason: null,
    });
    const [event] = (await outboxOf(plain)).filter(
      (e) => e.event === "chat_session.rejected",
    );
    expect(event!.payload).not.toHaveProperty("reason");
  });

  it("refuses every other step with 409 chat_session_state naming the current state, changing nothing", async () => {
    const t = Date.now() - 60_000;
    // Sessions in each state, imported as history.
    const inState = {
      created: {},
      started: { startedAt: t, startedBy: patient },
      accepted: {
        startedAt: t,
        startedBy: patient,
        acceptedAt: t + 1000,
        acceptedBy: doctor,
      },
      rejected: {
        startedAt: t,
        startedBy: patient,
        rejectedAt: t + 1000,
        rejectedBy: doctor,
      },
      finished: {
        startedAt: t,
        startedBy: patient,
        acceptedAt: t + 1000,
        acceptedBy: doctor,
        finishedAt: t + 2000,
        finishedBy: doctor,
      },
    };
    const allowed: Record<string, string> = {
      start: "created",
      accept: "started",
      reject: "started",
      finish: "accepted",
    };
    const after: Record<string, string> = {
      start: "started",
      accept: "accepted",
      reject: "rejected",
      finish: "finished",
    };
    for (const [state, stamps] of Object.entries(inState)) {
      for (const directive of ["start", "accept", "reject", "finish"]) {
        const id = await newSession(stamps);
        const res = await change(as(tenant, doctor), id, { [directive]: true });
        if (allowed[directive] === state) {
          expect(res.status, `${directive} on ${state}: ${res.text}`).toBe(200);
          expect(res.json.state).toBe(after[directive]);
        } else {
          expect(res.status, `${directive} on ${state}: ${res.text}`).toBe(409);
          expect(res.json.code).toBe("chat_session_state");
          expect(res.json.error).toContain(`is ${state}`);
          expect(res.json.error).toContain(directive);
          expect((await get(tenant.headers, id)).json.state).toBe(state);
          expect(await outboxOf(id)).toEqual([]);
        }
      }
    }
  });

  it("lets only participants act: the integrator alone is 403 chat_user_required, a non-participant 403 (X-User-Id) or 404 (user token)", async () => {
    const id = await newSession();
    const alone = await change(tenant.headers, id, { start: true });
    expect(alone.status, alone.text).toBe(403);
    expect(alone.json.code).toBe("chat_user_required");
    const aloneSeen = await change(tenant.headers, id, { seen: true });
    expect(aloneSeen.json.code).toBe("chat_user_required");

    const stranger = await change(as(tenant, outsider), id, { start: true });
    expect(stranger.status, stranger.text).toBe(403);
    expect(stranger.json.code).toBe("not_a_participant");
    expect(
      (await change(as(tenant, outsider), id, { title: "Mine now" })).json.code,
    ).toBe("not_a_participant");
    const strangerToken = await tokenOf(tenant, outsider);
    expect((await change(strangerToken, id, { start: true })).status).toBe(404);

    // An X-User-Id the directory does not know is the rooms' 401, not "no user".
    const unknown = await change(as(tenant, "nobody-at-all"), id, {
      start: true,
    });
    expect(unknown.status, unknown.text).toBe(401);
    expect(unknown.json.code).toBe("unauthorized_user");
    expect((await get(tenant.headers, id)).json.state).toBe("created");
  });

  it("keeps accepting and rejecting for plus participants: a basic one is 403 chat_plus_required", async () => {
    const id = await newSession();
    await change(as(tenant, patient), id, { start: true });
    for (const directive of [
      { accept: true },
      { reject: true },
      { reject: "no" },
    ]) {
      const res = await change(as(tenant, patient), id, directive);
      expect(res.status, res.text).toBe(403);
      expect(res.json.code).toBe("chat_plus_required");
    }
    expect((await get(tenant.headers, id)).json.state).toBe("started");
  });

  it("takes two accepts at the same instant one after the other: one 200, one 409", async () => {
    for (let round = 0; round < 3; round++) {
      const id = await newSession();
      await change(as(tenant, patient), id, { start: true });
      const answers = await Promise.all([
        change(as(tenant, doctor), id, { accept: true }),
        change(as(tenant, nurse), id, { accept: true }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      expect(answers.find((a) => a.status === 409)!.json.error).toContain(
        "is accepted",
      );
      expect((await outboxOf(id)).map((e) => e.event)).toEqual([
        "chat_session.started",
        "chat_session.accepted",
      ]);
    }
  });

  it("refuses malformed bodies with 400 naming the field, never 5xx", async () => {
    const id = await newSession();
    const cases: [unknown, string][] = [
      [{ start: false }, "start"],
      [{ start: "yes" }, "start"],
      [{ accept: 1 }, "accept"],
      [{ reject: 5 }, "reject"],
      [{ reject: "" }, "reject"],
      [{ reject: "x".repeat(501) }, "reject"],
      [{ reject: "bad\u0000reason" }, "reject"],
      [{ finish: {} }, "finish"],
      [{ finish: null }, "finish"],
      [{ seen: false }, "seen"],
      [{ seen: "true" }, "seen"],
      [{ start: true, accept: true }, "accept"],
      [{ stop: true }, "stop"],
      [{ title: 42 }, "title"],
      [{ title: "x".repeat(10_000) }, "title"],
      [{ title: "line\nbreak" }, "title"],
      [{ type: "video" }, "type"],
      [{ room: "tomorrow" }, "room"],
      [{ room: 12 }, "room"],
      [{ participants: [doctor] }, "participants"],
      [{ participants: [doctor, doctor] }, "participants[1]"],
      [{ participants: "everyone" }, "participants"],
      [{ participants: [doctor, 7] }, "participants[1]"],
      [{ startedAt: Date.now() }, "startedAt"],
      [{ acceptedBy: doctor }, "acceptedBy"],
      [{ rejectReason: "no" }, "rejectReason"],
      [{ createdAt: Date.now() }, "createdAt"],
      [{}, "body"],
      [[], "body"],
      ["start", "body"],
      [null, "body"],
    ];
    for (const [body, field] of cases) {
      const res = await change(as(tenant, doctor), id, body);
      expect(
        res.status,
        `${JSON.stringify(body).slice(0, 80)}: ${res.text}`,
      ).toBe(400);
      expect(
        res.json.details.map((d: { field: string }) => d.field),
        JSON.stringify(body).slice(0, 80),
      ).toContain(field);
    }
    const notJson = await change(as(tenant, doctor), id, "{start: true");
    expect(notJson.status).toBe(400);
    expect(notJson.json.code).toBe("invalid_json");
    const huge = await change(as(tenant, doctor), id, {
      reject: "x".repeat(70_000),
    });
    expect(huge.status).toBe(400);
    expect(huge.json.code).toBe("payload_too_large");
    // A path that is no session id is simply not found.
    for (const bad of ["abc", "0".repeat(36), "../etc"])
      expect(
        (await change(as(tenant, doctor), bad, { start: true })).status,
      ).toBe(404);
    expect((await get(tenant.headers, id)).json.state).toBe("created");
  });
});

describe("POST /api/chat-sessions: who and with whom", () => {
  let tenant: Tenant;
  let doctor: string;
  let patient: string;
  let other: string;
  beforeAll(async () => {
    tenant = await createTenant(test.db);
    doctor = await addUser(tenant, "doctor");
    patient = await addUser(tenant, "patient");
    other = await addUser(tenant, "patient", "other");
  });

  it("makes the named user (X-User-Id or user token) the creator, who must take part", async () => {
    const byToken = await post(await tokenOf(tenant, patient), {
      participants: [doctor, patient],
    });
    expect(byToken.status, byToken.text).toBe(200);
    expect(byToken.json).toMatchObject({
      createdBy: patient,
      unread: 0,
      title: null,
    });
    const notIn = await post(as(tenant, other), {
      participants: [doctor, patient],
    });
    expect(notIn.status, notIn.text).toBe(403);
    expect(notIn.json.code).toBe("not_a_participant");
  });

  it("refuses unknown users, at participants[i], all at once", async () => {
    const res = await post(tenant.headers, {
      participants: [doctor, "ghost-1", patient, "ghost-2"],
    });
    expect(res.status, res.text).toBe(400);
    expect(res.json.code).toBe("unknown_room_user");
    expect(res.json.details.map((d: { field: string }) => d.field)).toEqual([
      "participants[1]",
      "participants[3]",
    ]);
    expect(res.json.error).toContain('"ghost-1"');
  });

  it("refuses malformed bodies with 400 naming the field, never 5xx", async () => {
    const many = Array.from({ length: 26 }, (_, i) => `p${i}`);
    const cases: [unknown, string][] = [
      [{}, "participants"],
      [{ title: "Hello" }, "participants"],
      [{ participants: [doctor] }, "participants"],
      [{ participants: many }, "participants"],
      [{ participants: [doctor, patient, doctor] }, "participants[2]"],
      [{ participants: [doctor, ""] }, "participants[1]"],
      [{ participants: [doctor, "x".repeat(201)] }, "participants[1]"],
      [{ participants: [doctor, "nul\u0000id"] }, "participants[1]"],
      [{ participants: { number: 2 } }, "participants"],
      [{ participants: [doctor, patient], title: ["Hello"] }, "title"],
      [{ participants: [doctor, patient], title: "x".repeat(201) }, "title"],
      [{ participants: [doctor, patient], title: "\u202eevil" }, "title"],
      [{ participants: [doctor, patient], type: "chat" }, "type"],
      [{ participants: [doctor, patient], room: "old" }, "room"],
      [{ participants: [doctor, patient], start: true }, "start"],
      [{ participants: [doctor, patient], seen: true }, "seen"],
      [{ participants: [doctor, patient], createdBy: doctor }, "createdBy"],
      [
        { participants: [doctor, patient], startedAt: "yesterday" },
        "startedAt",
      ],
      [
        { participants: [doctor, patient], startedAt: 1.5e12 + 0.5 },
        "startedAt",
      ],
      [{ participants: [doctor, patient], startedAt: 12 }, "startedAt"],
      [{ participants: [doctor, patient], startedAt: 1e300 }, "startedAt"],
      [[doctor, patient], "body"],
      [42, "body"],
    ];
    for (const [body, field] of cases) {
      const res = await post(tenant.headers, body);
      expect(
        res.status,
        `${JSON.stringify(body).slice(0, 80)}: ${res.text}`,
      ).toBe(400);
      expect(
        res.json.details.map((d: { field: string }) => d.field),
        JSON.stringify(body).slice(0, 80),
      ).toContain(field);
    }
    const wrongType = await call(create, {
      path: "/api/chat-sessions",
      headers: { ...tenant.headers, "content-type": "text/plain" },
      body: "{}",
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.code).toBe("unsupported_content_type");
  });
});

describe("importing history (explicit *At / *By on POST)", () => {
  let tenant: Tenant;
  let doctor: string;
  let patient: string;
  let outsider: string;
  beforeAll(async () => {
    tenant = await createTenant(test.db);
    doctor = await addUser(tenant, "doctor");
    patient = await addUser(tenant, "patient");
    outsider = await addUser(tenant, "doctor", "outsider");
  });

  it("takes a path of the state machine from the integrator: the state follows, no webhooks", async () => {
    const t = Date.UTC(2024, 4, 1, 15, 0);
    const body = {
      participants: [doctor, patient],
      title: "Imported",
      createdAt: t,
      startedAt: t + 60_000,
      startedBy: patient,
      acceptedAt: t + 120_000,
      acceptedBy: doctor,
      finishedAt: t + 600_000,
      finishedBy: doctor,
      finishReason: "Done",
    };
    const res = await post(tenant.headers, body);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      state: "finished",
      createdBy: null,
      ...body,
      participants: [doctor, patient],
    });
    expect(await outboxOf(res.json.id)).toEqual([]);

    const rejected = await post(as(tenant, patient), {
      participants: [doctor, patient],
      startedAt: t,
      startedBy: patient,
      rejectedAt: t + 1,
      rejectedBy: doctor,
      rejectReason: "Not by chat",
    });
    expect(rejected.status, rejected.text).toBe(200);
    // createdAt defaults to the start when only the start is given.
    expect(rejected.json).toMatchObject({
      state: "rejected",
      createdAt: t,
      createdBy: patient,
      rejectReason: "Not by chat",
    });
    const started = await post(tenant.headers, {
      participants: [doctor, patient],
      startedAt: t,
      startedBy: patient,
    });
    expect(started.json).toMatchObject({
      state: "started",
      createdAt: t,
      startedAt: t,
    });
    const old = await post(tenant.headers, {
      participants: [doctor, patient],
      createdAt: t,
    });
    expect(old.json).toMatchObject({ state: "created", createdAt: t });
  });

  it("refuses stamps that are not a path of the machine, naming each field", async () => {
    const t = Date.now() - 3600_000;
    const base = { participants: [doctor, patient] };
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { acceptedAt: t, acceptedBy: doctor },
        "acceptedAt",
        "invalid_transition",
      ],
      [
        { rejectedAt: t, rejectedBy: doctor },
        "rejectedAt",
        "invalid_transition",
      ],
      [
        {
          startedAt: t,
          startedBy: patient,
          finishedAt: t + 2,
          finishedBy: doctor,
        },
        "finishedAt",
        "invalid_transition",
      ],
      [
        {
          startedAt: t,
          startedBy: patient,
          acceptedAt: t + 1,
          acceptedBy: doctor,
          rejectedAt: t + 1,
          rejectedBy: doctor,
        },
        "rejectedAt",
        "invalid_transition",
      ],
      [{ startedAt: t }, "startedBy", "required"],
      [{ startedBy: patient }, "startedAt", "required"],
      [{ startedAt: t, startedBy: outsider }, "startedBy", "not_a_participant"],
      [{ startedAt: t, startedBy: "ghost" }, "startedBy", "not_a_participant"],
      [
        {
          startedAt: t,
          startedBy: patient,
          acceptedAt: t + 1,
          acceptedBy: patient,
        },
        "acceptedBy",
        "plus_required",
      ],
      [
        { startedAt: Date.now() + 3600_000, startedBy: patient },
        "startedAt",
        "in_the_future",
      ],
      [{ createdAt: Date.now() + 3600_000 }, "createdAt", "in_the_future"],
      [
        {
          startedAt: t,
          startedBy: patient,
          acceptedAt: t - 1,
          acceptedBy: doctor,
        },
        "acceptedAt",
        "out_of_order",
      ],
      [
        { createdAt: t + 10, startedAt: t, startedBy: patient },
        "startedAt",
        "out_of_order",
      ],
      [{ rejectReason: "why" }, "rejectReason", "invalid_transition"],
      [
        { startedAt: t, startedBy: patient, finishReason: "why" },
        "finishReason",
        "invalid_transition",
      ],
    ];
    for (const [stamps, field, code] of cases) {
      const res = await post(tenant.headers, { ...base, ...stamps });
      expect(res.status, `${JSON.stringify(stamps)}: ${res.text}`).toBe(400);
      expect(res.json.details, JSON.stringify(stamps)).toContainEqual(
        expect.objectContaining({ field, code }),
      );
    }
    // A user acts with directives: explicit stamps are the integrator's.
    const byToken = await post(await tokenOf(tenant, patient), {
      ...base,
      startedAt: t,
      startedBy: patient,
    });
    expect(byToken.status, byToken.text).toBe(400);
    expect(byToken.json.details).toEqual([
      expect.objectContaining({ field: "startedAt", code: "integrator_only" }),
      expect.objectContaining({ field: "startedBy", code: "integrator_only" }),
    ]);
    // On PATCH, never: the directives stamp.
    const made = await post(tenant.headers, base);
    const patched = await change(as(tenant, patient), made.json.id, {
      startedAt: t,
      startedBy: patient,
    });
    expect(patched.status, patched.text).toBe(400);
    expect(patched.json.details.map((d: { code: string }) => d.code)).toEqual([
      "use_directive",
      "use_directive",
    ]);
  });
});

describe("GET /api/chat-sessions: newest first, filters, cursor pages, who sees what", () => {
  let tenant: Tenant;
  let doctor: string;
  let patientA: string;
  let patientB: string;
  const ids: string[] = [];
  beforeAll(async () => {
    tenant = await createTenant(test.db);
    doctor = await addUser(tenant, "doctor");
    patientA = await addUser(tenant, "patient");
    patientB = await addUser(tenant, "patient");
    for (let i = 0; i < 7; i++) {
      const res = await post(tenant.headers, {
        participants: [doctor, i % 2 === 0 ? patientA : patientB],
        title: `Session ${i}`,
      });
      expect(res.status, res.text).toBe(200);
      ids.push(res.json.id);
    }
    // Two share one creation instant: the id breaks the tie, and pages neither repeat nor skip them.
    await test.db.execute(
      sql`update chat_sessions set created_at = (select created_at from chat_sessions where id = ${ids[3]!}) where id = ${ids[4]!}`,
    );
    await change(as(tenant, patientA), ids[0]!, { start: true });
    await change(as(tenant, patientA), ids[2]!, { start: true });
  });

  it("answers a bare array, newest first, with the next page in Link and X-Next-Cursor", async () => {
    const all = await listAs(tenant.headers);
    expect(all.status, all.text).toBe(200);
    expect(Array.isArray(all.json)).toBe(true);
    expect(all.json).toHaveLength(7);
    expect(all.headers.get("link")).toBeNull();
    expect(all.headers.get("x-next-cursor")).toBeNull();
    const order = all.json.map((s: { id: string }) => s.id);
    const created = all.json.map((s: { createdAt: number }) => s.createdAt);
    expect([...created].sort((a, b) => b - a)).toEqual(created);
    expect(new Set(order)).toEqual(new Set(ids));

    const seen: string[] = [];
    let query = "?limit=3";
    for (let page = 0; page < 5; page++) {
      const res = await listAs(tenant.headers, query);
      expect(res.status, res.text).toBe(200);
      seen.push(...res.json.map((s: { id: string }) => s.id));
      const next = res.headers.get("x-next-cursor");
      if (!next) break;
      expect(res.headers.get("link")).toBe(
        `</api/chat-sessions?limit=3&cursor=${next}>; rel="next"`,
      );
      query = `?limit=3&cursor=${next}`;
    }
    expect(seen).toEqual(order);
  });

  it("filters by participant, state and room", async () => {
    const ofA = await listAs(tenant.headers, `?participant=${patientA}`);
    expect(ofA.json.map((s: { id: string }) => s.id).sort()).toEqual(
      [ids[0], ids[2], ids[4], ids[6]].sort(),
    );
    const started = await listAs(tenant.headers, "?state=started");
    expect(started.json.map((s: { id: string }) => s.id).sort()).toEqual(
      [ids[0], ids[2]].sort(),
    );
    const both = await listAs(
      tenant.headers,
      `?state=created&participant=${patientB}`,
    );
    expect(both.json.map((s: { id: string }) => s.id).sort()).toEqual(
      [ids[1], ids[3], ids[5]].sort(),
    );
    expect((await listAs(tenant.headers, "?participant=nobody")).json).toEqual(
      [],
    );

    const room = await insertStandaloneRoom(test.db, tenant.organization.id);
    const linked = await change(tenant.headers, ids[5]!, { room: room.roomId });
    expect(linked.status, linked.text).toBe(200);
    expect(linked.json.room).toBe(room.roomId);
    expect(
      (await listAs(tenant.headers, `?room=${room.roomId}`)).json.map(
        (s: { id: string }) => s.id,
      ),
    ).toEqual([ids[5]]);
  });

  it("shows a user (X-User-Id or user token) only their own sessions, with unread; others' are 404", async () => {
    for (const headers of [
      as(tenant, patientB),
      await tokenOf(tenant, patientB),
    ]) {
      const mine = await listAs(headers);
      expect(mine.status, mine.text).toBe(200);
      expect(mine.json.map((s: { id: string }) => s.id).sort()).toEqual(
        [ids[1], ids[3], ids[5]].sort(),
      );
      expect(mine.json.every((s: { unread: number }) => s.unread === 0)).toBe(
        true,
      );
      // Asking for someone else's sessions gives nothing more.
      expect((await listAs(headers, `?participant=${patientA}`)).json).toEqual(
        [],
      );
      const others = await get(headers, ids[0]!);
      expect(others.status, others.text).toBe(404);
      expect(others.json.code).toBe("not_found");
      expect((await get(headers, ids[1]!)).status).toBe(200);
    }
    // The integrator alone sees them all, without unread.
    const all = await listAs(tenant.headers, "?limit=1");
    expect(all.json[0]).not.toHaveProperty("unread");
  });

  it("refuses bad queries with 400 naming the parameter", async () => {
    for (const [query, field] of [
      ["?limit=0", "limit"],
      ["?limit=101", "limit"],
      ["?limit=abc", "limit"],
      ["?state=open", "state"],
      ["?room=not-a-uuid", "room"],
      ["?cursor=garbage", "cursor"],
      [
        `?cursor=${Buffer.from(JSON.stringify(["1e99", ids[0]])).toString("base64url")}`,
        "cursor",
      ],
      [
        `?cursor=${Buffer.from(JSON.stringify(["123", "not-a-uuid"])).toString("base64url")}`,
        "cursor",
      ],
      [`?participant=${"x".repeat(300)}`, "participant"],
    ] as const) {
      const res = await listAs(tenant.headers, query);
      expect(res.status, `${query}: ${res.text}`).toBe(400);
      expect(res.json.details.map((d: { field: string }) => d.field)).toContain(
        field,
      );
    }
  });

  it("never shows another organization's sessions, or a call's own chat", async () => {
    const other = await createTenant(test.db);
    const otherDoctor = await addUser(other, "doctor");
    const otherPatient = await addUser(other, "patient");
    const theirs = await post(other.headers, {
      participants: [otherDoctor, otherPatient],
    });
    expect(theirs.status).toBe(200);
    expect((await get(tenant.headers, theirs.json.id)).status).toBe(404);
    expect(
      (await change(tenant.headers, theirs.json.id, { title: "Hijack" }))
        .status,
    ).toBe(404);
    expect(
      (await listAs(tenant.headers, "?limit=100")).json.map(
        (s: { id: string }) => s.id,
      ),
    ).not.toContain(theirs.json.id);
    // Same external id in another organization: not ours.
    expect(
      (await post(tenant.headers, { participants: [otherDoctor, doctor] }))
        .status,
    ).toBe(400);

    const room = await insertStandaloneRoom(test.db, tenant.organization.id);
    const [callChat] = await test.db.execute<{ id: string }>(sql`
      insert into chat_sessions (organization_id, room_id, origin) values (${tenant.organization.id}, ${room.roomId}, 'call') returning id`);
    expect((await get(tenant.headers, callChat!.id)).status).toBe(404);
    expect(
      (await change(tenant.headers, callChat!.id, { title: "x" })).status,
    ).toBe(404);
    expect(
      (await listAs(tenant.headers, "?limit=100")).json.map(
        (s: { id: string }) => s.id,
      ),
    ).not.toContain(callChat!.id);
    expect((await listAs(tenant.headers, `?room=${room.roomId}`)).json).toEqual(
      [],
    );
  });
});

describe("room: linking a call, or making one", () => {
  let tenant: Tenant;
  let doctor: string;
  let patient: string;
  let customer: string;
  beforeAll(async () => {
    tenant = await createTenant(test.db);
    doctor = await addUser(tenant, "doctor");
    patient = await addUser(tenant, "patient");
    customer = await addUser(tenant, "customer");
  });

  it('"new" makes a standalone room with the session\'s participants, starting now, ready at once', async () => {
    const before = Date.now();
    const res = await post(as(tenant, patient), {
      participants: [doctor, patient, customer],
      title: "Video please",
      room: "new",
    });
    expect(res.status, res.text).toBe(200);
    const roomId = res.json.room;
    expect(roomId).toMatch(/^[0-9a-f-]{36}$/);
    const [room] = await test.db.execute<{
      consultation_id: string | null;
      status: string;
      starts_at: Date;
      ends_at: Date | null;
      max_participants: number;
      ready_at: Date | null;
    }>(sql`
      select consultation_id, status, starts_at, ends_at, max_participants, ready_at from rooms where id = ${roomId} and organization_id = ${tenant.organization.id}`);
    expect(room).toMatchObject({
      consultation_id: null,
      status: "Pending",
      max_participants: 3,
    });
    expect(new Date(room!.starts_at).getTime()).toBeGreaterThanOrEqual(
      before - 1000,
    );
    expect(
      new Date(room!.ends_at!).getTime() - new Date(room!.starts_at).getTime(),
    ).toBe(3600_000);
    expect(room!.ready_at).not.toBeNull();
    const members = await test.db.execute<{
      external_id: string;
      privilege: string;
    }>(sql`
      select u.external_id, p.privilege from room_participants p join room_users u on u.id = p.room_user_id where p.room_id = ${roomId} order by u.external_id`);
    expect(
      members.map((m) => `${m.external_id}:${m.privilege}`).sort(),
    ).toEqual(
      [`${customer}:basic`, `${doctor}:plus`, `${patient}:basic`].sort(),
    );
    const ready = await test.db.execute<{ event: string }>(
      sql`select event from outbox_events where aggregate_id = ${roomId}`,
    );
    expect(ready.map((e) => e.event)).toEqual(["room.ready"]);
  });

  it('"new" on PATCH turns a chat into a call; null unlinks; a closed session no longer changes', async () => {
    const made = await post(tenant.headers, {
      participants: [doctor, patient],
    });
    const linked = await change(as(tenant, doctor), made.json.id, {
      room: "new",
    });
    expect(linked.status, linked.text).toBe(200);
    expect(linked.json.room).toMatch(/^[0-9a-f-]{36}$/);
    const unlinked = await change(tenant.headers, made.json.id, {
      room: null,
      title: "Back to text",
    });
    expect(unlinked.json).toMatchObject({ room: null, title: "Back to text" });

    await change(as(tenant, patient), made.json.id, { start: true });
    await change(as(tenant, doctor), made.json.id, { reject: true });
    const closed = await change(tenant.headers, made.json.id, { room: "new" });
    expect(closed.status, closed.text).toBe(409);
    expect(closed.json).toMatchObject({ code: "chat_session_state" });
    expect(closed.json.error).toContain("is rejected");
  });

  it("links a room of the organization (standalone or a consultation's), refuses others at `room`", async () => {
    const room = await insertStandaloneRoom(test.db, tenant.organization.id);
    const linked = await post(tenant.headers, {
      participants: [doctor, patient],
      room: room.roomId,
    });
    expect(linked.status, linked.text).toBe(200);
    expect(linked.json.room).toBe(room.roomId);

    const trashed = await insertStandaloneRoom(test.db, tenant.organization.id);
    await test.db.execute(
      sql`update rooms set trashed_at = now() where id = ${trashed.roomId}`,
    );
    const other = await createTenant(test.db);
    const theirs = await insertStandaloneRoom(test.db, other.organization.id);
    for (const roomId of [trashed.roomId, theirs.roomId, crypto.randomUUID()]) {
      const res = await post(tenant.headers, {
        participants: [doctor, patient],
        room: roomId,
      });
      expect(res.status, res.text).toBe(400);
      expect(res.json.details).toEqual([
        expect.objectContaining({ field: "room", code: "room_not_found" }),
      ]);
    }
  });

  it('"new" needs a plus participant, like any room', async () => {
    const res = await post(tenant.headers, {
      participants: [patient, customer],
      room: "new",
    });
    expect(res.status, res.text).toBe(400);
    expect(res.json.code).toBe("no_plus_user");
    expect(res.json.details).toEqual([
      expect.objectContaining({ field: "room" }),
    ]);
    expect(
      (await listAs(tenant.headers, `?participant=${customer}`)).json.filter(
        (s: { room: string | null }) => s.room === null,
      ),
    ).toEqual([]);
  });

  it("replaces participants, keeping read marks, while open", async () => {
    const made = await post(as(tenant, doctor), {
      participants: [doctor, patient],
    });
    const replaced = await change(as(tenant, doctor), made.json.id, {
      participants: [doctor, customer, patient],
    });
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.json.participants).toEqual([doctor, customer, patient]);
    expect((await get(as(tenant, customer), made.json.id)).status).toBe(200);
    const dropped = await change(tenant.headers, made.json.id, {
      participants: [doctor, customer],
    });
    expect(dropped.json.participants).toEqual([doctor, customer]);
    expect((await get(as(tenant, patient), made.json.id)).status).toBe(404);
    const selfRemoval = await change(as(tenant, customer), made.json.id, {
      participants: [doctor, patient],
    });
    expect(selfRemoval.status, selfRemoval.text).toBe(400);
    expect(selfRemoval.json.details[0].field).toBe("participants");
    const unknown = await change(tenant.headers, made.json.id, {
      participants: [doctor, "ghost"],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.details[0].field).toBe("participants[1]");
  });
});

describe("unread counts messages from others, in the chat and in its call", () => {
  it("does not count a participant's own call messages", async () => {
    const tenant = await createTenant(test.db);
    const room = await insertStandaloneRoom(test.db, tenant.organization.id);
    const [doctor, patient] = room.participants;
    const made = await post(as(tenant, patient!.externalId), {
      participants: [doctor!.externalId, patient!.externalId],
      room: room.roomId,
    });
    expect(made.status, made.text).toBe(200);
    const id = made.json.id;
    for (const sender of [doctor!, patient!, doctor!]) {
      await test.db.execute(sql`
        insert into chat_messages (organization_id, chat_session_id, room_id, sender_id, sender_role, sender_name, body, sent_at)
        values (${tenant.organization.id}, ${id}, ${room.roomId}, ${sender.participantId}, 'member', ${sender.fullName}, 'in the call', now())`);
    }
    expect((await get(as(tenant, patient!.externalId), id)).json.unread).toBe(
      2,
    );
    expect((await get(as(tenant, doctor!.externalId), id)).json.unread).toBe(1);
    expect(
      (await change(as(tenant, doctor!.externalId), id, { seen: true })).json
        .unread,
    ).toBe(0);
    expect((await get(as(tenant, patient!.externalId), id)).json.unread).toBe(
      2,
    );
  });
});

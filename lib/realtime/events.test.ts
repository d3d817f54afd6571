import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Database, type Db } from "@/db/client";
import { appSealer, appUrl } from "@/lib/config";
import { createConsultation } from "@/lib/consultations/create";
import { createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { immediateGeneralExample } from "@/test/fixtures/seed-examples";
import { publishRoomEvent, purgeRoomEvents, roomEventsFor } from "./events";
import { roomHub } from "./hub";
import { roomEventStream } from "./stream";

const test = setupTestDatabase();
let tenant: Tenant;
/** Another app instance: its own pool on the same database. */
let otherInstance: Database;

beforeAll(async () => {
  tenant = await createTenant(test.db);
  otherInstance = connect(test.url, { max: 4 });
});
afterAll(async () => {
  await otherInstance?.$client.end({ timeout: 5 });
});

type Room = { roomId: string; patient: string; provider: string };

let people = 0;
async function newRoom(): Promise<Room> {
  const example = immediateGeneralExample();
  const n = ++people;
  const view = await createConsultation(
    test.db,
    { organizationId: tenant.organization.id, timeZone: tenant.organization.timezone, appUrl: appUrl(), sealer: appSealer() },
    {
      ...example,
      provider: { ...example.provider, documentNumber: String(70_000_000 + n) },
      patient: { ...example.patient, documentNumber: String(80_000_000 + n) },
    },
  );
  const rows = await test.db.execute<{ room_id: string; id: string; role: string }>(sql`
    select rp.room_id, rp.id, rp.role from room_participants rp join rooms r on r.id = rp.room_id where r.consultation_id = ${view.consultationId}`);
  return {
    roomId: rows[0]!.room_id,
    patient: rows.find((r) => r.role === "patient")!.id,
    provider: rows.find((r) => r.role === "provider")!.id,
  };
}

/** A third participant (an interpreter, say) in the same room. */
async function addParticipant(room: Room): Promise<string> {
  const [row] = await test.db.execute<{ id: string }>(sql`
    insert into room_participants (organization_id, room_id, role, display_name, access_token_hash, access_token_sealed)
    values (${tenant.organization.id}, ${room.roomId}, 'patient', 'Intérprete', ${randomBytes(32).toString("hex")}, 'unused')
    returning id`);
  return row!.id;
}

const publish = (db: Db, room: Room, event: { kind: "signal" | "presence" | "media" | "room-ended"; senderId?: string | null; recipientId?: string | null; payload?: Record<string, unknown> }) =>
  publishRoomEvent(db, { organizationId: tenant.organization.id, roomId: room.roomId, payload: {}, ...event });

/** A promise `register` settles by calling `done`, failing after `ms`. */
function within<T>(ms: number, what: string, register: (done: (value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

describe("publishRoomEvent", () => {
  it("commits a room's events in id order under concurrent publishers, so a reader following ids misses none", async () => {
    const room = await newRoom();
    const other = await newRoom();
    let publishing = true;
    const seen: number[] = [];
    // A reader doing what every stream does: read after the last id it got, again and again.
    const reader = (async () => {
      let cursor = 0;
      for (;;) {
        const done = !publishing;
        const batch = await roomEventsFor(test.db, room.roomId, room.patient, cursor);
        for (const event of batch) {
          seen.push(event.id);
          cursor = event.id;
        }
        if (done && batch.length === 0) return;
      }
    })();
    const ids = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 5 === 4
          ? publish(otherInstance, other, { kind: "media", senderId: other.provider, payload: { i } })
          : publish(i % 2 ? otherInstance : test.db, room, { kind: "signal", senderId: room.provider, recipientId: room.patient, payload: { i } }),
      ),
    );
    publishing = false;
    await reader;

    const mine = ids.filter((_, i) => i % 5 !== 4);
    expect(new Set(ids).size).toBe(50);
    expect(seen).toEqual([...mine].sort((a, b) => a - b));
    const stored = await roomEventsFor(test.db, room.roomId, room.patient, 0);
    expect(stored.map((e) => e.id)).toEqual(seen);
    expect(stored.map((e) => e.payload.i).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 50 }, (_, i) => i).filter((i) => i % 5 !== 4),
    );
  });
});

describe("roomEventsFor", () => {
  it("gives a participant what is addressed to them or to everyone, never their own, and only of their room", async () => {
    const room = await newRoom();
    const interpreter = await addParticipant(room);
    const elsewhere = await newRoom();
    const e = {
      toPatient: await publish(test.db, room, { kind: "signal", senderId: room.provider, recipientId: room.patient, payload: { n: 1 } }),
      toProvider: await publish(test.db, room, { kind: "signal", senderId: room.patient, recipientId: room.provider, payload: { n: 2 } }),
      toInterpreter: await publish(test.db, room, { kind: "signal", senderId: room.provider, recipientId: interpreter, payload: { n: 3 } }),
      providerMedia: await publish(test.db, room, { kind: "media", senderId: room.provider, payload: { audio: false } }),
      otherRoom: await publish(test.db, elsewhere, { kind: "media", senderId: elsewhere.provider, payload: {} }),
      ended: await publish(test.db, room, { kind: "room-ended", payload: { reason: "timeout" } }),
    };
    const idsFor = async (participant: string, after = 0, limit?: number) =>
      (await roomEventsFor(test.db, room.roomId, participant, after, limit)).map((event) => event.id);

    expect(await idsFor(room.patient)).toEqual([e.toPatient, e.providerMedia, e.ended]);
    expect(await idsFor(room.provider)).toEqual([e.toProvider, e.ended]);
    expect(await idsFor(interpreter)).toEqual([e.toInterpreter, e.providerMedia, e.ended]);
    expect(await idsFor(room.patient, e.toPatient)).toEqual([e.providerMedia, e.ended]);
    expect(await idsFor(room.patient, 0, 2)).toEqual([e.toPatient, e.providerMedia]);

    const [first] = await roomEventsFor(test.db, room.roomId, room.patient, 0);
    expect(first).toEqual({ id: e.toPatient, kind: "signal", senderId: room.provider, recipientId: room.patient, payload: { n: 1 } });
    expect(e.otherRoom).toBeGreaterThan(0);
  });
});

describe("purgeRoomEvents", () => {
  it("drops events older than a day and keeps the recent ones", async () => {
    const room = await newRoom();
    const old = await publish(test.db, room, { kind: "media", senderId: room.patient, payload: { audio: true } });
    const recent = await publish(test.db, room, { kind: "media", senderId: room.patient, payload: { audio: false } });
    await test.db.execute(sql`update room_events set created_at = now() - interval '25 hours' where id = ${old}`);
    expect(await purgeRoomEvents(test.db, new Date())).toBeGreaterThanOrEqual(1);
    expect((await roomEventsFor(test.db, room.roomId, room.provider, 0)).map((e) => e.id)).toEqual([recent]);
  });
});

describe("the room hub", () => {
  it("wakes this instance's subscribers of a room when another instance publishes, with the event already readable", async () => {
    const room = await newRoom();
    const quiet = await newRoom();
    const sentinel = await newRoom();
    const hub = roomHub(test.db);
    const wakes = { room: 0, quiet: 0 };
    let onWake: () => void = () => {};
    const unsubscribeRoom = await hub.subscribe(room.roomId, () => {
      wakes.room++;
      onWake();
    });
    const unsubscribeQuiet = await hub.subscribe(quiet.roomId, () => wakes.quiet++);
    wakes.room = wakes.quiet = 0; // (starting to listen wakes everyone once)

    const delivered = within<number[]>(3000, "NOTIFY", (done) => {
      // Read on wake, as a stream does: NOTIFY is sent at commit, so the event must be there.
      onWake = () => void roomEventsFor(test.db, room.roomId, room.patient, 0).then((events) => done(events.map((event) => event.id)));
    });
    const id = await publish(otherInstance, room, { kind: "signal", senderId: room.provider, recipientId: room.patient });
    expect(await delivered).toEqual([id]);

    // An event published inside a longer transaction is announced only once that commits.
    let woken = false;
    const afterCommit = within<void>(3000, "NOTIFY after commit", (done) => {
      onWake = () => {
        woken = true;
        done();
      };
    });
    await otherInstance.transaction(async (tx) => {
      await publish(tx, room, { kind: "media", senderId: room.provider, payload: { audio: true } });
      await tx.execute(sql`select pg_sleep(0.05)`);
      expect(woken).toBe(false);
    });
    await afterCommit;
    expect(wakes.quiet).toBe(0);

    // Once unsubscribed, the room's news wakes nobody here. Notifications arrive in commit
    // order, so by the time a later one for a watched room arrives, this one would have.
    unsubscribeRoom();
    unsubscribeQuiet();
    const roomWakes = wakes.room;
    let sentinelWoken!: () => void;
    const sentinelArrived = within<void>(3000, "sentinel NOTIFY", (done) => (sentinelWoken = () => done()));
    const unsubscribeSentinel = await hub.subscribe(sentinel.roomId, () => sentinelWoken());
    await publish(otherInstance, room, { kind: "media", senderId: room.provider });
    await publish(otherInstance, quiet, { kind: "media", senderId: quiet.provider });
    await publish(otherInstance, sentinel, { kind: "media", senderId: sentinel.provider });
    await sentinelArrived;
    expect(wakes).toEqual({ room: roomWakes, quiet: 0 });
    unsubscribeSentinel();
  });
});

describe("roomEventStream", () => {
  const decoder = new TextDecoder();

  it("closes when the client goes away, and then stops its heartbeat", async () => {
    const room = await newRoom();
    const client = new AbortController();
    let heartbeats = 0;
    const stream = roomEventStream(test.db, {
      roomId: room.roomId,
      participantId: room.patient,
      after: 0,
      hello: async () => ({ participants: [] }),
      heartbeat: async () => (heartbeats++, true),
      heartbeatMs: 10,
      signal: client.signal,
    });
    const reader = stream.getReader();
    expect(decoder.decode((await reader.read()).value)).toBe("retry: 1500\n\n");
    expect(decoder.decode((await reader.read()).value)).toBe('event: hello\ndata: {"participants":[]}\n\n');
    // Heartbeats flow while the client is there.
    while (heartbeats === 0) expect(decoder.decode((await reader.read()).value)).toBe(": ping\n\n");
    client.abort();
    const countAtAbort = heartbeats;
    for (;;) if ((await reader.read()).done) break;
    await new Promise((r) => setTimeout(r, 60));
    expect(heartbeats).toBe(countAtAbort);
  });

  it("keeps no heartbeat going for a client that left while the stream was starting", async () => {
    const room = await newRoom();
    let releaseHello!: () => void;
    const helloAsked = new Promise<void>((resolve) => {
      releaseHello = resolve;
    });
    let heartbeats = 0;
    const stream = roomEventStream(test.db, {
      roomId: room.roomId,
      participantId: room.patient,
      after: 0,
      hello: async () => {
        await helloAsked;
        return { participants: [] };
      },
      // In the route, each heartbeat marks the participant as still in the call.
      heartbeat: async () => (heartbeats++, true),
      heartbeatMs: 10,
    });
    const reader = stream.getReader();
    expect(decoder.decode((await reader.read()).value)).toBe("retry: 1500\n\n");
    // The tab is closed while the server is still looking up who is in the room.
    await reader.cancel();
    releaseHello();
    await new Promise((r) => setTimeout(r, 80));
    expect(heartbeats).toBe(0);
  });
});

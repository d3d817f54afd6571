import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { cancelConsultation } from "@/lib/rooms/completion";
import { createStaffMember, runAudited, signInWithPassword, staffAuditEntry, startStaffSession, type StaffMember } from "@/lib/staff";
import { createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { enterPin, newConsultation } from "@/test/rooms";
import { clientAddress, parseAddress, requestContextFrom } from "./client-address";

// Issue 13: whatever a client writes in X-Forwarded-For, no route that reads the client's
// address answers 500, skips a counted failure or loses an audit row.

const test = setupTestDatabase();

/** mulberry32: a small PRNG, seeded, so a failing value is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ["1", "9", "255", "256", "0x7f", "ff", "fe80", "::", ":", ".", ",", ", ", "%", "%eth0", "[", "]", ":80", "-", " ", "a", "z", "ffff", "1.2.3.4", "::1", "'", '"', ";", "\\", "é"];

/** Header values a client might send: the ones the issue names, near misses, and random junk from a fixed seed. */
function malformedValues(): string[] {
  const random = seeded(13);
  const generated = Array.from({ length: 40 }, () => {
    const n = 1 + Math.floor(random() * 12);
    return Array.from({ length: n }, () => PIECES[Math.floor(random() * PIECES.length)]!).join("");
  });
  return [
    "not-an-ip",
    "fe80::1%eth0",
    "fe80::1%eth0%eth1",
    "x".repeat(500),
    "1".repeat(500),
    "1.2.3.4,,,,5.6.7.8",
    ",,,",
    "",
    " ",
    "1.2.3.4:80",
    "[2001:db8::1]:443",
    "[2001:db8::1",
    "999.999.999.999",
    "1.2.3",
    "0x7f.0.0.1",
    "::ffff:192.0.2.1",
    "192.0.2.1/24",
    "<script>alert(1)</script>",
    "198.51.100.1, not-an-ip",
    "not-an-ip, 198.51.100.1",
    // Headers are byte strings: a character past Latin-1 arrives as its UTF-8 bytes.
    "é".repeat(40),
    ...generated,
  ];
}

const VALUES = malformedValues();
const headersWith = (xff: string) => new Headers({ "x-forwarded-for": xff, "user-agent": "fuzz" });

let tenant: Tenant;
let member: StaffMember;
beforeAll(async () => {
  tenant = await createTenant(test.db);
  member = await createStaffMember(test.db, tenant.organization.id, { email: "fuzz@clinic.example", name: "Fuzz", role: "admin", password: "correct horse battery" });
});

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await test.db.execute<{ n: number }>(query);
  return row!.n;
}

describe("a malformed X-Forwarded-For", () => {
  it("gives a client address that is null or one PostgreSQL's inet keeps as it is, at any proxy depth", async () => {
    expect(VALUES.length).toBeGreaterThan(50);
    for (const value of VALUES) {
      for (const hops of [0, 1, 2, 3]) {
        const address = clientAddress(headersWith(value), hops);
        if (address === null) continue;
        const [row] = await test.db.execute<{ host: string }>(sql`select host(${address}::inet) as host`);
        expect(row!.host, `${JSON.stringify(value)} at ${hops} hops`).toBe(address);
      }
    }
  });

  it("on POST /api/join/{token}/session never answers 500, and every wrong PIN is counted and audited; the right PIN then meets the limit", async () => {
    const link = await newConsultation(tenant);
    const wrong = link.pin === "000000" ? "111111" : "000000";
    const attempts = sql`select count(*)::int as n from pin_attempts a join rooms r on r.id = (select room_id from room_participants where id = a.participant_id) where r.consultation_id = ${link.consultationId}`;
    const audited = sql`select count(*)::int as n from audit_log where action = 'pin.failed' and target_id = ${link.consultationId}`;
    for (const [i, value] of VALUES.entries()) {
      const res = await enterPin(link.patientToken, "patient", wrong, { "x-forwarded-for": value });
      expect([401, 429], `${JSON.stringify(value)}: ${res.text}`).toContain(res.status);
      expect(res.json.success).toBe(false);
      expect(await count(attempts), JSON.stringify(value)).toBe(i + 1);
      expect(await count(audited), JSON.stringify(value)).toBe(i + 1);
    }
    const right = await enterPin(link.patientToken, "patient", link.pin, { "x-forwarded-for": "not-an-ip" });
    expect(right.status).toBe(429);
  });

  it("on the staff sign-in path never throws, and every failure is counted and audited", async () => {
    const attempts = sql`select count(*)::int as n from sign_in_attempts where email = ${member.email}`;
    const audited = sql`select count(*)::int as n from audit_log where action = 'staff.sign_in_failed' and actor_user_id = ${member.userId}`;
    for (const [i, value] of VALUES.entries()) {
      // What requestContext() builds from the request's headers.
      const ctx = requestContextFrom(headersWith(value), 0);
      const result = await signInWithPassword(test.db, member.email, "not the password", ctx);
      expect(result.ok, JSON.stringify(value)).toBe(false);
      expect(await count(attempts), JSON.stringify(value)).toBe(i + 1);
      expect(await count(audited), JSON.stringify(value)).toBe(i + 1);
      // A session started from such a request keeps no address rather than failing.
      await expect(startStaffSession(test.db, member.userId, 60, ctx)).resolves.toEqual(expect.any(String));
    }
  });

  it("on a staff action never loses the audit row: the change and its row commit together", async () => {
    for (const value of VALUES.slice(0, 30)) {
      const ctx = requestContextFrom(headersWith(value), 0);
      const entry = staffAuditEntry(member, ctx, { action: "consultation.cancelled" });
      expect(entry.ip == null || parseAddress(entry.ip) === entry.ip, JSON.stringify(value)).toBe(true);

      const { consultationId } = await newConsultation(tenant);
      const result = await runAudited(
        test.db,
        ctx,
        member,
        (tx) => cancelConsultation(tx, tenant.organization.id, consultationId, new Date()),
        (r) => (r.changed ? { action: "consultation.cancelled", target: { type: "consultation", id: consultationId } } : null),
      );
      expect(result.changed).toBe(true);
      expect(await count(sql`select count(*)::int as n from audit_log where action = 'consultation.cancelled' and target_id = ${consultationId}`), JSON.stringify(value)).toBe(1);
    }
  });
});

describe("a caller that passes the header's raw text as the address", () => {
  it("still cannot fail a sign-in's count, its audit row or a session: the writers of inet columns check again", async () => {
    const before = await count(sql`select count(*)::int as n from sign_in_attempts where email = ${member.email}`);
    for (const ip of ["not-an-ip", "fe80::1%eth0%eth1", "x".repeat(500), "1.2.3.4, 5.6.7.8"]) {
      const result = await signInWithPassword(test.db, member.email, "not the password", { ip, userAgent: "raw" });
      expect(result.ok).toBe(false);
      await expect(startStaffSession(test.db, member.userId, 60, { ip, userAgent: "raw" })).resolves.toEqual(expect.any(String));
    }
    expect(await count(sql`select count(*)::int as n from sign_in_attempts where email = ${member.email}`)).toBe(before + 4);
    const last = await test.db.execute<{ ip: string | null }>(sql`select host(ip) as ip from sign_in_attempts where email = ${member.email} order by id desc limit 4`);
    expect(last.map((r) => r.ip)).toEqual([null, null, null, null]);
    expect(await count(sql`select count(*)::int as n from audit_log where action = 'staff.sign_in_failed' and user_agent = 'raw' and ip is null`)).toBe(4);
  });
});

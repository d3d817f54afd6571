import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { exportConsultations } from "@/lib/consultations/export";
import { parseConsultationTableQuery } from "@/lib/consultations/table-query";
import { requestContextFrom } from "@/lib/security/client-address";
import { cancelConsultation } from "@/lib/rooms/completion";
import { createTenant, refusal, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { newConsultation } from "@/test/rooms";
import { createStaffMember, inviteStaffMember, runAudited, setPasswordWithToken, type StaffMember } from ".";

// Issue 13 item 2: an audited staff action and its audit row commit together or not at all.

const test = setupTestDatabase();
let tenant: Tenant;
let admin: StaffMember;
const fromHere = requestContextFrom(new Headers({ "x-forwarded-for": "203.0.113.9", "user-agent": "vitest" }), 0);

beforeAll(async () => {
  tenant = await createTenant(test.db);
  admin = await createStaffMember(test.db, tenant.organization.id, { email: "admin@audit.example", name: "Admin", role: "admin", password: "correct horse battery" });
});

async function consultationState(consultationId: string): Promise<{ status: string; events: string[] }> {
  const [row] = await test.db.execute<{ status: string }>(sql`select status from consultations where id = ${consultationId}`);
  const events = await test.db.execute<{ event: string }>(sql`select event from outbox_events where aggregate_id = ${consultationId} order by id`);
  return { status: row!.status, events: events.map((e) => e.event) };
}

async function auditOf(action: string, targetId?: string): Promise<{ ip: string | null; user_agent: string | null; actor_label: string }[]> {
  return test.db.execute<{ ip: string | null; user_agent: string | null; actor_label: string }>(sql`
    select host(ip) as ip, user_agent, actor_label from audit_log
    where organization_id = ${tenant.organization.id} and action = ${action} and (${targetId ?? null}::text is null or target_id = ${targetId ?? null})
    order by id`);
}

/** Makes every audit row of `action` fail to write while `work` runs (a constraint that refuses it). */
async function withAuditRefused<T>(action: string, work: () => Promise<T>): Promise<T> {
  await test.db.execute(sql.raw(`alter table audit_log add constraint refuse_for_test check (action <> '${action}') not valid`));
  try {
    return await work();
  } finally {
    await test.db.execute(sql`alter table audit_log drop constraint refuse_for_test`);
  }
}

const cancel = (consultationId: string, ctx = fromHere) =>
  runAudited(
    test.db,
    ctx,
    admin,
    (tx) => cancelConsultation(tx, tenant.organization.id, consultationId, new Date()),
    (result) => (result.changed ? { action: "consultation.cancelled", target: { type: "consultation", id: consultationId } } : null),
  );

describe("an audited staff action", () => {
  it("is rolled back, webhook event and all, when its audit row cannot be written", async () => {
    const { consultationId } = await newConsultation(tenant);
    const before = await consultationState(consultationId);
    await expect(withAuditRefused("consultation.cancelled", () => cancel(consultationId))).rejects.toThrow();
    expect(await consultationState(consultationId)).toEqual(before);
    expect(before.status).toBe("Pending");
    expect(await auditOf("consultation.cancelled", consultationId)).toEqual([]);
  });

  it("keeps its audit row when X-Forwarded-For is not an address: the change and the row commit together, with no address", async () => {
    for (const xff of ["not-an-ip", "fe80::1%eth0", "1.2.3.4,,, ", "x".repeat(500)]) {
      const { consultationId } = await newConsultation(tenant);
      const ctx = requestContextFrom(new Headers({ "x-forwarded-for": xff, "user-agent": "Mozilla/5.0" }), 0);
      expect(await cancel(consultationId, ctx)).toEqual({ status: "Expired", changed: true });
      const state = await consultationState(consultationId);
      expect(state.status).toBe("Expired");
      expect(state.events).toContain("consultation.expired");
      const rows = await auditOf("consultation.cancelled", consultationId);
      expect(rows).toEqual([{ ip: xff === "fe80::1%eth0" ? "fe80::1" : xff.startsWith("1.2.3.4") ? "1.2.3.4" : null, user_agent: "Mozilla/5.0", actor_label: admin.email }]);
    }
  });

  it("writes no row when it changed nothing, and none when the domain refuses it", async () => {
    const { consultationId } = await newConsultation(tenant);
    await cancel(consultationId);
    expect(await cancel(consultationId)).toEqual({ status: "Expired", changed: false });
    expect(await auditOf("consultation.cancelled", consultationId)).toHaveLength(1);
    const refused = await refusal(cancel("00000000-0000-4000-8000-000000000000"));
    expect(refused.status).toBe(404);
    expect(await auditOf("consultation.cancelled", "00000000-0000-4000-8000-000000000000")).toEqual([]);
  });

  it("that only reads (an export, a PIN) hands nothing out unless its showing is on record", async () => {
    const { query } = parseConsultationTableQuery({});
    const exportIt = () =>
      runAudited(
        test.db,
        fromHere,
        admin,
        (tx) => exportConsultations(tx, { organizationId: tenant.organization.id, timeZone: tenant.organization.timezone }, query),
        (result) => ({ action: "export.consultations", detail: { rows: result.rows } }),
      );
    await expect(withAuditRefused("export.consultations", exportIt)).rejects.toThrow();
    expect(await auditOf("export.consultations")).toEqual([]);
    const exported = await exportIt();
    expect(exported.rows).toBeGreaterThan(0);
    expect(await auditOf("export.consultations")).toEqual([{ ip: "203.0.113.9", user_agent: "vitest", actor_label: admin.email }]);
  });

  it("can name its actor from its result (setting a password), and the link is not used up when the row fails", async () => {
    const invitation = await inviteStaffMember(test.db, { organizationId: tenant.organization.id, appUrl: "https://x.example", mailer: () => {} }, { email: "new@audit.example", name: "New", role: "scheduler" });
    const token = new URL(invitation.link).searchParams.get("token")!;
    const setIt = () =>
      runAudited<StaffMember>(
        test.db,
        fromHere,
        (member) => member,
        (tx) => setPasswordWithToken(tx, { token, password: "a long enough passphrase", confirmation: "a long enough passphrase" }),
        () => ({ action: "staff.password_set" }),
      );
    await expect(withAuditRefused("staff.password_set", setIt)).rejects.toThrow();
    // The link still works: the password was not set without its row.
    const member = await setIt();
    expect(member.email).toBe("new@audit.example");
    expect(await auditOf("staff.password_set")).toEqual([{ ip: "203.0.113.9", user_agent: "vitest", actor_label: "new@audit.example" }]);
  });
});

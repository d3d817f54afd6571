import { and, eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { auditLog, consultations, providers } from "@/db/schema";
import { appSealer } from "@/lib/config";
import { findJoinLink } from "@/lib/rooms/join-link";
import { cancelConsultation, endConsultationByStaff } from "@/lib/rooms/completion";
import { serializeWebhook } from "@/lib/webhooks/payload";
import { createTenant, refusal } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { outboxOf } from "@/test/livekit";
import { enterPin, inCall, newConsultation } from "@/test/rooms";
import { providerDay, providerJoin } from "./agenda";
import { scheduleConsultation, type NewConsultationForm } from "./schedule";

const ctx = setupTestDatabase();
const TZ = "America/Bogota";
// 10:00 in Bogotá on a Saturday.
const NOW = new Date("2026-11-21T15:00:00Z");
const OPENS_BEFORE = 15;

let documents = 0;
async function clinic() {
  const { organization } = await createTenant(ctx.db, { timezone: TZ });
  const provider = async (name: string) => {
    const [row] = await ctx.db
      .insert(providers)
      .values({ organizationId: organization.id, name, documentType: "CC", documentNumber: String(80_000_000 + ++documents), professionalType: "MedicoGeneral", phone: "+573009876543", email: `p${documents}@x.example` })
      .returning();
    return row!;
  };
  const org = { organizationId: organization.id, timeZone: TZ, appUrl: "http://localhost:3000", sealer: appSealer(), now: NOW };
  const book = (providerId: string, patientName: string, scheduledAt?: string) =>
    scheduleConsultation(ctx.db, org, {
      providerId,
      patient: { documentType: "CC", documentNumber: String(90_000_000 + ++documents), name: patientName, phone: "+573001112233", email: "p@x.example" },
      consultationType: "ConsultaGeneral",
      durationMinutes: "20",
      when: scheduledAt ? "scheduled" : "now",
      ...(scheduledAt ? { scheduledAt } : {}),
    } satisfies NewConsultationForm);
  return { organizationId: organization.id, provider, book };
}

describe("a provider's day", () => {
  test("lists their own consultations still to happen: today's first, then the next days', with when Join opens", async () => {
    const c = await clinic();
    const ana = await c.provider("Dra. Ana Martínez");
    const other = await c.provider("Dr. Otro Médico");
    const now = await c.book(ana.id, "Paciente Ahora");
    const later = await c.book(ana.id, "Paciente Tarde", "2026-11-21T16:00");
    const tomorrow = await c.book(ana.id, "Paciente Mañana", "2026-11-22T09:00");
    await c.book(ana.id, "Paciente Lejano", "2026-12-15T09:00"); // past the week ahead
    await c.book(other.id, "Paciente Ajeno");
    const cancelled = await c.book(ana.id, "Paciente Cancelado", "2026-11-21T17:00");
    await cancelConsultation(ctx.db, c.organizationId, cancelled.consultationId, NOW);

    const day = await providerDay(ctx.db, { organizationId: c.organizationId, providerId: ana.id, timeZone: TZ }, NOW, OPENS_BEFORE);
    expect(day.today).toBe("2026-11-21");
    expect(day.now.map((d) => [d.patientName, d.window.state])).toEqual([
      ["Paciente Ahora", "open"],
      ["Paciente Tarde", "too_early"],
    ]);
    expect(day.now[0]!.consultationId).toBe(now.consultationId);
    expect(day.now[1]).toMatchObject({ consultationId: later.consultationId, window: { opensAt: new Date("2026-11-21T20:45:00Z") } });
    expect(day.later.map((d) => d.consultationId)).toEqual([tomorrow.consultationId]);

    // Another clinic's provider id gives nothing, even with the right provider.
    const elsewhere = await clinic();
    const none = await providerDay(ctx.db, { organizationId: elsewhere.organizationId, providerId: ana.id, timeZone: TZ }, NOW, OPENS_BEFORE);
    expect([...none.now, ...none.later]).toEqual([]);
  });

  test("Join gives the provider's own link and the session the PIN would have given, and only for an open call of theirs", async () => {
    const c = await clinic();
    const ana = await c.provider("Dra. Ana Martínez");
    const other = await c.provider("Dr. Otro Médico");
    const open = await c.book(ana.id, "Paciente Ahora");
    const early = await c.book(ana.id, "Paciente Tarde", "2026-11-21T16:00");
    const scope = { organizationId: c.organizationId, providerId: ana.id, sealer: appSealer() };

    const joined = await providerJoin(ctx.db, scope, open.consultationId, NOW, OPENS_BEFORE);
    expect(`http://localhost:3000/join/${joined.token}?type=provider`).toBe(open.participantAccess.providerUrl);
    const link = await findJoinLink(ctx.db, joined.token);
    expect(joined.session).toEqual({ participantId: link!.participantId, roomId: link!.roomId, consultationId: open.consultationId, organizationId: c.organizationId, role: "provider" });

    expect((await refusal(providerJoin(ctx.db, scope, early.consultationId, NOW, OPENS_BEFORE))).code).toBe("room_not_open");
    expect((await refusal(providerJoin(ctx.db, { ...scope, providerId: other.id }, open.consultationId, NOW, OPENS_BEFORE))).status).toBe(404);
    const elsewhere = await clinic();
    expect((await refusal(providerJoin(ctx.db, { ...scope, organizationId: elsewhere.organizationId }, open.consultationId, NOW, OPENS_BEFORE))).status).toBe(404);
    expect((await refusal(providerJoin(ctx.db, scope, "not-a-uuid", NOW, OPENS_BEFORE))).status).toBe(404);
    await cancelConsultation(ctx.db, c.organizationId, open.consultationId, NOW);
    expect((await refusal(providerJoin(ctx.db, scope, open.consultationId, NOW, OPENS_BEFORE))).code).toBe("consultation_expired");
  });
});

describe("staff cancel and end consultations", () => {
  test("cancelling a pending consultation expires it at once, says so to integrators, and frees its slot", async () => {
    const c = await clinic();
    const ana = await c.provider("Dra. Ana Martínez");
    const booked = await c.book(ana.id, "Paciente Uno", "2026-11-21T16:00");
    expect(await cancelConsultation(ctx.db, c.organizationId, booked.consultationId, NOW)).toEqual({ status: "Expired", changed: true });
    const [row] = await ctx.db.select().from(consultations).where(eq(consultations.id, booked.consultationId));
    expect(row).toMatchObject({ status: "Expired", expiredAt: NOW, completionReason: "cancelled" });
    expect((await outboxOf(ctx.db, booked.consultationId)).map((e) => e.event)).toEqual(["consultation.created", "consultation.expired"]);
    const [expired] = await ctx.db.execute<{ payload: Record<string, unknown> }>(
      sql`select payload from outbox_events where aggregate_id = ${booked.consultationId} and event = 'consultation.expired'`,
    );
    expect(expired!.payload).toMatchObject({ reason: "cancelled" });
    // What the clinic's system is told.
    const body = JSON.parse(
      serializeWebhook(
        { event: "consultation.expired", organizationId: c.organizationId, aggregateId: booked.consultationId, occurredAt: NOW, payload: expired!.payload } as Parameters<typeof serializeWebhook>[0],
        {} as Parameters<typeof serializeWebhook>[1],
        TZ,
      ),
    );
    expect(body.data).toEqual({ status: "Expired", expiredAt: "2026-11-21 10:00", expirationReason: "cancelled", noShow: null });
    // Cancelling again changes nothing; the same slot can be booked again.
    expect(await cancelConsultation(ctx.db, c.organizationId, booked.consultationId, NOW)).toEqual({ status: "Expired", changed: false });
    await expect(c.book(ana.id, "Paciente Dos", "2026-11-21T16:00")).resolves.toMatchObject({ status: "Pending" });

    const elsewhere = await clinic();
    const other = await c.book(ana.id, "Paciente Tres", "2026-11-21T18:00");
    expect((await refusal(cancelConsultation(ctx.db, elsewhere.organizationId, other.consultationId, NOW))).status).toBe(404);
    expect((await refusal(cancelConsultation(ctx.db, c.organizationId, "nope", NOW))).status).toBe(404);
    const [still] = await ctx.db.select({ status: consultations.status }).from(consultations).where(eq(consultations.id, other.consultationId));
    expect(still!.status).toBe("Pending");
  });

  test("a call in progress is ended for everyone by staff, and cannot be cancelled", async () => {
    const tenant = await createTenant(ctx.db);
    const { link } = await inCall(tenant);
    const refused = await refusal(cancelConsultation(ctx.db, tenant.organization.id, link.consultationId, new Date()));
    expect([refused.status, refused.code]).toEqual([409, "consultation_not_pending"]);
    const ended = await endConsultationByStaff(ctx.db, tenant.organization.id, link.consultationId, new Date());
    expect(ended).toMatchObject({ status: "Completed", changed: true });
    const [row] = await ctx.db.select().from(consultations).where(eq(consultations.id, link.consultationId));
    expect(row).toMatchObject({ status: "Completed", completionReason: "ended_by_staff" });
    const events = await outboxOf(ctx.db, link.consultationId);
    expect(events.at(-1)).toMatchObject({ event: "consultation.completed", reason: "ended_by_staff" });
    const pending = await newConsultation(tenant);
    expect((await refusal(endConsultationByStaff(ctx.db, tenant.organization.id, pending.consultationId, new Date()))).code).toBe("consultation_not_in_progress");
  });
});

describe("wrong PINs", () => {
  test("are in the clinic's audit log, with the address and browser, never the PIN typed", async () => {
    const tenant = await createTenant(ctx.db);
    const link = await newConsultation(tenant);
    const wrong = link.pin === "000000" ? "111111" : "000000";
    const res = await enterPin(link.patientToken, "patient", wrong, { "x-forwarded-for": "198.51.100.9", "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36" });
    expect(res.status).toBe(401);
    expect((await enterPin(link.patientToken, "patient", link.pin)).status).toBe(201);
    const rows = await ctx.db.select().from(auditLog).where(and(eq(auditLog.organizationId, tenant.organization.id), eq(auditLog.action, "pin.failed")));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ targetType: "consultation", targetId: link.consultationId, actorLabel: "patient link", detail: { role: "patient", outcome: "rejected" } });
    expect(rows[0]!.userAgent).toContain("Chrome");
    expect(JSON.stringify(rows[0])).not.toContain(wrong);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { GET as getRoute } from "@/app/api/consultations/[consultationId]/route";
import { POST as reissueRoute } from "@/app/api/consultations/[consultationId]/reissue-access/route";
import { appSealer, appUrl } from "@/lib/config";
import { enterPin as enterPinAt, linkPinStatus, PIN_DAILY_LIMIT } from "@/lib/rooms/pin";
import { cancelConsultation, endConsultationByStaff } from "@/lib/rooms/completion";
import { webhookBody } from "@/lib/webhooks/payload";
import { call, createTenant, refusal, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { enterPin, inCall, newConsultation, type Link } from "@/test/rooms";
import { reissueAccess } from "@/lib/consultations/reissue";

const test = setupTestDatabase();

let tenant: Tenant;
let other: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db);
  other = await createTenant(test.db);
});

const wrongFor = (pin: string) => (pin === "000000" ? "111111" : "000000");
const tokenOf = (url: string) => new URL(url).pathname.split("/").pop()!;
const reissue = (t: Tenant, consultationId: string, body?: unknown) =>
  call(reissueRoute, { method: "POST", path: `/api/consultations/${consultationId}/reissue-access`, headers: t.headers, body, params: { consultationId } });
const getConsultation = (t: Tenant, consultationId: string) =>
  call(getRoute, { path: `/api/consultations/${consultationId}`, headers: t.headers, params: { consultationId } });

/** The PIN typed at a link at a given moment, through the domain function the join route calls. */
function typePin(link: Link, pin: string, address: string, now: Date, token = link.patientToken) {
  return enterPinAt(test.db, { token, role: "patient", pin, address, now, sealer: appSealer(), limits: { opensMinutesBefore: 15, addressLimitPerHour: PIN_DAILY_LIMIT } });
}

/** Ten wrong PINs at the patient's link, as fast as the delays allow: the link is then locked for a day. */
async function lockOut(link: Link, address: string, start: Date): Promise<Date> {
  const wrong = wrongFor(link.pin);
  let at = start.getTime();
  for (const wait of [0, 1, 1, 1, 1, 30, 60, 120, 240, 480]) {
    at += wait * 1000;
    expect(await refusal(typePin(link, wrong, address, new Date(at)))).toMatchObject({ status: 401, code: "invalid_pin" });
  }
  return new Date(at);
}

describe("reissuing a consultation's PIN and links (issue 13, item 12)", () => {
  it("after 10 wrong PINs lock the link, a reissued PIN opens it: the new PIN is accepted, the old refused, the per-address limit unchanged", async () => {
    const link = await newConsultation(tenant);
    const attacker = "198.51.100.7";
    const start = new Date(Date.now() + 1000);
    let at = await lockOut(link, attacker, start);
    // Locked: even the right PIN, from anywhere.
    at = new Date(at.getTime() + 1000);
    expect(await refusal(typePin(link, link.pin, "203.0.113.9", at))).toMatchObject({ status: 429, code: "pin_locked" });
    expect(await linkPinStatus(test.db, tenant.organization.id, link.consultationId, at)).toContainEqual(expect.objectContaining({ role: "patient", wrongPins: 10, locked: true }));

    at = new Date(at.getTime() + 1000);
    const staff = { userId: null, label: "scheduler@clinic.test" };
    const { pin } = await reissueAccess(test.db, {
      organizationId: tenant.organization.id,
      consultationId: link.consultationId,
      links: false,
      now: at,
      sealer: appSealer(),
      actor: staff,
    });
    expect(pin).toMatch(/^\d{6}$/);
    expect(pin).not.toBe(link.pin);
    expect(await linkPinStatus(test.db, tenant.organization.id, link.consultationId, at)).toContainEqual({ role: "patient", wrongPins: 0, locked: false, lockedUntil: null });

    at = new Date(at.getTime() + 1000);
    // The old PIN is now just a wrong PIN (not a lock), the new one opens the link.
    expect(await refusal(typePin(link, link.pin, "203.0.113.9", at))).toMatchObject({ status: 401, code: "invalid_pin" });
    // The address that typed the ten wrong PINs is still held back by its own limit.
    expect(await refusal(typePin(link, pin, attacker, new Date(at.getTime() + 1000)))).toMatchObject({ status: 429, code: "too_many_attempts" });
    const accepted = await typePin(link, pin, "203.0.113.9", new Date(at.getTime() + 2000));
    expect(accepted.session.consultationId).toBe(link.consultationId);
  });

  it("through the API: answers with the new PIN; with links=true the old link is 404 and the new one works; audited without the PIN; webhook event in the outbox", async () => {
    const link = await newConsultation(tenant);
    const res = await reissue(tenant, link.consultationId, { links: true });
    expect(res.status, res.text).toBe(200);
    const view = res.json.data;
    expect(view.consultationId).toBe(link.consultationId);
    expect(view.accessPin).toMatch(/^\d{6}$/);
    expect(view.accessPin).not.toBe(link.pin);
    const patientToken = tokenOf(view.participantAccess.patientUrl);
    const providerToken = tokenOf(view.participantAccess.providerUrl);
    expect(patientToken).not.toBe(link.patientToken);
    expect(providerToken).not.toBe(link.providerToken);
    // GET answers the same new PIN and links.
    expect((await getConsultation(tenant, link.consultationId)).json.data).toMatchObject({ accessPin: view.accessPin, participantAccess: view.participantAccess });

    // The old links are unknown now, whatever PIN; the new ones take the new PIN.
    for (const [token, type] of [[link.patientToken, "patient"], [link.providerToken, "provider"]] as const) {
      const old = await enterPin(token, type, view.accessPin);
      expect(old.status).toBe(404);
      expect(old.json.error.code).toBe("link_not_found");
    }
    expect((await enterPin(patientToken, "patient", link.pin)).status).toBe(401);
    expect((await enterPin(patientToken, "patient", view.accessPin)).status).toBe(201);
    expect((await enterPin(providerToken, "provider", view.accessPin)).status).toBe(201);

    const audit = await test.db.$client<{ action: string; actor_label: string; target_id: string; detail: unknown }[]>`
      select action, actor_label, target_id, detail from audit_log where organization_id = ${tenant.organization.id} and action = 'consultation.access_reissued' and target_id = ${link.consultationId}`;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_label: "API credential", detail: { links: true } });
    const auditText = JSON.stringify(audit);
    expect(auditText).not.toContain(view.accessPin);
    expect(auditText).not.toContain(patientToken);

    const outbox = await test.db.$client<{ id: string; event: string; payload: Record<string, unknown>; occurred_at: string }[]>`
      select id, event, payload, occurred_at from outbox_events where aggregate_id = ${link.consultationId} and event = 'consultation.access_reissued'`;
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.payload).toEqual({ consultationId: link.consultationId, status: "Pending", reissued: { pin: true, links: true } });
    // What an integrator receives: the consultation with its new links, never the PIN.
    const ctx = { timeZone: tenant.organization.timezone, appUrl: appUrl(), sealer: appSealer() };
    const body = await webhookBody(
      test.db,
      { id: outbox[0]!.id, organizationId: tenant.organization.id, event: "consultation.access_reissued", aggregateId: link.consultationId, payload: outbox[0]!.payload, occurredAt: new Date(outbox[0]!.occurred_at) },
      ctx,
    );
    const sent = JSON.parse(body);
    expect(sent).toMatchObject({ event: "consultation.access_reissued", data: { status: "Pending", participantAccess: view.participantAccess, reissued: { pin: true, links: true } } });
    expect(body).not.toContain(view.accessPin);
    expect(sent.data).not.toHaveProperty("accessPin");
  });

  it("keeps the links without links=true (the body may be left out) and refuses a bad body with the field", async () => {
    const link = await newConsultation(tenant);
    const res = await reissue(tenant, link.consultationId);
    expect(res.status, res.text).toBe(200);
    expect(tokenOf(res.json.data.participantAccess.patientUrl)).toBe(link.patientToken);
    expect((await enterPin(link.patientToken, "patient", res.json.data.accessPin)).status).toBe(201);

    const bad = await reissue(tenant, link.consultationId, { links: "yes" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0]).toMatchObject({ field: "links" });
  });

  it("answers 409 for a Completed or Expired consultation and changes nothing; 404 for another organization's", async () => {
    const cancelled = await newConsultation(tenant);
    await cancelConsultation(test.db, tenant.organization.id, cancelled.consultationId, new Date());
    const { link: ended } = await inCall(tenant);
    await endConsultationByStaff(test.db, tenant.organization.id, ended.consultationId, new Date());
    for (const link of [cancelled, ended]) {
      const res = await reissue(tenant, link.consultationId, { links: true });
      expect(res.status, res.text).toBe(409);
      expect(res.json.error.code).toBe("consultation_closed");
      expect((await getConsultation(tenant, link.consultationId)).json.data.accessPin).toBe(link.pin);
    }

    const theirs = await newConsultation(other);
    const res = await reissue(tenant, theirs.consultationId, { links: true });
    expect(res.status).toBe(404);
    expect((await getConsultation(other, theirs.consultationId)).json.data.accessPin).toBe(theirs.pin);
    expect((await reissue(tenant, "not-a-uuid")).status).toBe(404);
    const [events] = await test.db.$client<{ n: number }[]>`
      select count(*)::int as n from outbox_events where event = 'consultation.access_reissued' and aggregate_id in (${cancelled.consultationId}, ${ended.consultationId}, ${theirs.consultationId})`;
    expect(events!.n).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { GET as listGuests, POST as addGuest } from "@/app/api/consultations/[consultationId]/guests/route";
import { POST as endRoute } from "@/app/api/rooms/[roomId]/end/route";
import { call, createTenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { enterPin, join, newConsultation, roomCall, signIn, type Participant } from "@/test/rooms";

const test = setupTestDatabase();

describe("guests on a consultation", () => {
  it("a companion and an interpreter get their own links, open them with the consultation's PIN, and join as basic participants", async () => {
    const tenant = await createTenant(test.db);
    const link = await newConsultation(tenant);
    const path = `/api/consultations/${link.consultationId}/guests`;
    const params = { consultationId: link.consultationId };

    const interpreter = await call(addGuest, { path, headers: tenant.headers, params, body: { name: "Ana Ruiz", kind: "interpreter" } });
    expect(interpreter.status, interpreter.text).toBe(201);
    expect(interpreter.json.data).toMatchObject({ name: "Ana Ruiz", kind: "interpreter" });
    expect(interpreter.json.data.joinUrl).toMatch(/^https:\/\/portal\.test\/join\/[A-Za-z0-9_-]{43}\?type=guest$/);
    const companion = await call(addGuest, { path, headers: tenant.headers, params, body: { name: "José García", kind: "companion" } });
    expect(companion.status).toBe(201);
    const third = await call(addGuest, { path, headers: tenant.headers, params, body: { name: "One Too Many", kind: "companion" } });
    expect(third.status, third.text).toBe(409);
    expect(third.json.error.code).toBe("too_many_guests");

    const listed = await call(listGuests, { path, headers: tenant.headers, params });
    expect(listed.json.data.map((g: { name: string }) => g.name)).toEqual(["Ana Ruiz", "José García"]);
    expect(listed.json.data[0].joinUrl).toBe(interpreter.json.data.joinUrl);

    // The guest's link takes the consultation's PIN, and a wrong one is refused like at any link.
    const token = new URL(interpreter.json.data.joinUrl).pathname.split("/").pop()!;
    const wrong = await enterPin(token, "guest", link.pin === "000000" ? "111111" : "000000");
    expect(wrong.status).toBe(401);
    const asPatientType = await enterPin(token, "patient", link.pin);
    expect(asPatientType.status).toBe(404);
    const accepted = await enterPin(token, "guest", link.pin);
    expect(accepted.status, accepted.text).toBe(201);
    const guest: Participant = { ...accepted.json.data, id: accepted.json.data.participantId, cookie: accepted.headers.get("set-cookie")!.split(";")[0]! };
    expect(guest.role).toBe("guest");

    // Four in the call: the patient, the provider and both guests (the room grew with them).
    const provider = await signIn(link, "provider");
    const patient = await signIn(link, "patient");
    await join(provider);
    await join(patient);
    const joined = await join(guest);
    expect(joined.json.data.participant).toMatchObject({ role: "guest", privilege: "basic", group: "interpreter", displayName: "Ana Ruiz" });
    expect(joined.json.data.maxParticipants).toBe(4);

    // A guest is not a host: only the provider ends the call for everyone.
    const refused = await roomCall(endRoute, "end", guest, { reason: "ended_by_provider" });
    expect(refused.status, refused.text).toBe(403);
    const ended = await roomCall(endRoute, "end", provider, { reason: "ended_by_provider" });
    expect(ended.status, ended.text).toBe(200);
    const closed = await call(addGuest, { path, headers: tenant.headers, params, body: { name: "Late", kind: "companion" } });
    expect(closed.status).toBe(409);
    expect(closed.json.error.code).toBe("consultation_closed");
  });

  it("refuses bad input at its field, and another organization's consultation is not found", async () => {
    const tenant = await createTenant(test.db);
    const other = await createTenant(test.db);
    const link = await newConsultation(tenant);
    const path = `/api/consultations/${link.consultationId}/guests`;
    const params = { consultationId: link.consultationId };
    for (const [body, field] of [
      [{ name: "", kind: "companion" }, "name"],
      [{ name: "Ana\u202eRuiz", kind: "companion" }, "name"],
      [{ name: "Ana", kind: "doctor" }, "kind"],
      [{ name: "Ana", kind: "companion", role: "provider" }, ""],
    ] as const) {
      const res = await call(addGuest, { path, headers: tenant.headers, params, body });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.details[0].field).toContain(field);
    }
    for (const res of [
      await call(addGuest, { path, headers: other.headers, params, body: { name: "Ana", kind: "companion" } }),
      await call(listGuests, { path, headers: other.headers, params }),
      await call(listGuests, { path: "/x", headers: tenant.headers, params: { consultationId: "nope" } }),
    ]) {
      expect(res.status, res.text).toBe(404);
    }
    const none = await call(listGuests, { path, headers: tenant.headers, params });
    expect(none.json.data).toEqual([]);
  });
});

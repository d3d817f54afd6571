import { expect, type APIRequestContext } from "@playwright/test";

/** For specs that call the e2e web server's API as the demo organization. */
export function demoAuthorization(): { authorization: string } {
  const bearer = process.env.E2E_API_BEARER;
  if (!bearer) throw new Error("E2E_API_BEARER is not set: the e2e web server (e2e/web-server.ts) announces it when ready");
  return { authorization: `Bearer ${bearer}` };
}

/** A member of a teleconsultation room, as the API takes them (new to the room-user directory). */
export type RoomPerson = { userExternalId: string; groups: string[]; fullName: string; language: "it" | "en" | "es" };

/** A demo-clinic room of these people, open since a minute ago for half an hour, made through `POST /api/teleconsultation`. */
export async function createRoom(request: APIRequestContext, people: RoomPerson[]): Promise<string> {
  const response = await request.post("/api/teleconsultation", {
    headers: demoAuthorization(),
    data: { participants: { number: people.length, data: people }, start_date: new Date(Date.now() - 60_000).toISOString(), duration_in_seconds: 1800 },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()).roomId;
}

import http from "node:http";
import type { AddressInfo } from "node:net";
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

/** One webhook as a receiver got it: its body parsed, and as sent (to check what it must not carry). */
export type ReceivedWebhook = { event: string; data: Record<string, any>; raw: string };

/** A real receiver on 127.0.0.1, registered as a webhook endpoint of the demo clinic for `events`; `close` removes both. */
export async function startWebhookReceiver(request: APIRequestContext, events: string[]) {
  const received: ReceivedWebhook[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      received.push({ ...JSON.parse(raw), raw });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  const created = await request.post("/api/webhooks", { headers: demoAuthorization(), data: { url, events } });
  expect(created.status(), await created.text()).toBe(201);
  const endpointId = (await created.json()).data.id as string;
  return {
    received,
    close: async () => {
      await request.delete(`/api/webhooks/${endpointId}`, { headers: demoAuthorization() });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

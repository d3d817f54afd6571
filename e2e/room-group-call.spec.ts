import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { VIEWPORTS } from "./a11y";
import { createRoom, demoAuthorization, type RoomPerson, startWebhookReceiver } from "./api";
import { expectCallState, newCallPage, pathOf } from "./call";

/**
 * Rooms for more than two, made the way an integrator makes them: `POST /api/teleconsultation`,
 * each person's link from `GET /api/teleconsultation/{roomId}` with their `X-User-Id`, and
 * every browser decoding every other's video and receiving their audio (WebRTC getStats, per
 * connection). The host ends the call for everyone; the room then shows the time it was used,
 * and the integrator's webhook receiver has had the room's events.
 */

async function readRoom(request: APIRequestContext, roomId: string, userExternalId: string) {
  const response = await request.get(`/api/teleconsultation/${roomId}`, { headers: { ...demoAuthorization(), "x-user-id": userExternalId } });
  expect(response.status(), await response.text()).toBe(200);
  return response.json();
}

/** Per connected peer connection (by its place in the page's list): video frames decoded and audio bytes received so far. */
async function inboundPerPeer(page: Page): Promise<{ id: number; frames: number; audio: number }[]> {
  return page.evaluate(async () => {
    const all = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
    const out: { id: number; frames: number; audio: number }[] = [];
    for (const [id, pc] of all.entries()) {
      if (pc.connectionState !== "connected") continue;
      const totals = { id, frames: 0, audio: 0 };
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type === "inbound-rtp" && s.kind === "video") totals.frames += Number(s.framesDecoded ?? 0);
        if (s.type === "inbound-rtp" && s.kind === "audio") totals.audio += Number(s.bytesReceived ?? 0);
      });
      out.push(totals);
    }
    return out;
  });
}

/**
 * This page decodes video and receives audio from each of `others` people over its own
 * connection, and both keep coming: two samples two seconds apart, each connection up in both.
 * (A connection the mesh replaced while it came up is a new one: compared with itself only.)
 */
async function expectEveryoneFlowing(page: Page, others: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const before = await inboundPerPeer(page);
        await page.waitForTimeout(2_000);
        const after = await inboundPerPeer(page);
        const flowing = after.filter((n) => {
          const was = before.find((b) => b.id === n.id);
          return was !== undefined && n.frames > was.frames && n.audio > was.audio && n.frames > 10;
        });
        return flowing.length === others && after.length === others;
      },
      { timeout: 90_000, intervals: [500] },
    )
    .toBe(true);
}

async function groupCall(browser: import("@playwright/test").Browser, request: APIRequestContext, people: RoomPerson[], screens: string, viewport: "desktop" | "phone") {
  const receiver = await startWebhookReceiver(request, ["room.ready", "session_started", "session_ended"]);
  const pages: Page[] = [];
  try {
    const roomId = await createRoom(request, people);
    const links: string[] = [];
    for (const person of people) {
      const room = await readRoom(request, roomId, person.userExternalId);
      expect(room.accessLinkURL, person.userExternalId).toMatch(/\/join\/rl_/);
      expect(room.participantsBandyerCall).toHaveLength(people.length - 1);
      links.push(room.accessLinkURL);
    }
    const options = viewport === "phone" ? { viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : { viewport: VIEWPORTS.desktop };
    for (const [i, link] of links.entries()) {
      const { page } = await newCallPage(browser, options);
      pages.push(page);
      await page.goto(pathOf(link));
      const join = page.getByTestId("join-call");
      await expect(join).toBeEnabled({ timeout: 30_000 });
      await join.click();
      await expect(page.getByTestId("call-state"), people[i]!.fullName).toBeVisible();
    }

    for (const page of pages) await expectCallState(page, "active", 60_000);
    for (const page of pages) await expectEveryoneFlowing(page, people.length - 1);

    // Every tile names its person and group.
    const doctorPage = pages[0]!;
    await expect(doctorPage.locator("[data-remote-participant]")).toHaveCount(people.length - 1);
    for (const person of people.slice(1)) await expect(doctorPage.locator("[data-remote-participant]", { hasText: person.fullName })).toBeVisible();
    const dir = `${process.env.E2E_OUTPUT_DIR ?? "test-results"}/screens`;
    await doctorPage.screenshot({ path: `${dir}/${screens}-${viewport}.png` });
    await pages[1]!.screenshot({ path: `${dir}/${screens}-${viewport}-second.png` });
    // The same grid at the other size (the layout follows the width).
    const other = viewport === "phone" ? "desktop" : "phone";
    await doctorPage.setViewportSize(VIEWPORTS[other]);
    await expect(doctorPage.locator("[data-remote-participant]")).toHaveCount(people.length - 1);
    await doctorPage.screenshot({ path: `${dir}/${screens}-${other}.png` });
    await doctorPage.setViewportSize(VIEWPORTS[viewport]);

    // The host ends the call for everyone.
    await doctorPage.getByTestId("end-call").click();
    // The doctor reads Spanish (their `language`): "Finalizar la llamada para todos".
    await doctorPage.getByRole("button", { name: /para todos/ }).click();
    for (const page of pages) await expectCallState(page, "ended", 30_000);

    const after = await readRoom(request, roomId, people[1]!.userExternalId);
    expect(after.details.status).toBe("ENDED");
    expect(after.details.durationUsedInSeconds).toBeGreaterThan(0);
    expect(after.accessLinkURL).toBeNull();

    await expect
      .poll(() => receiver.received.filter((r) => r.data.roomId === roomId).map((r) => r.event).sort(), { timeout: 30_000 })
      .toEqual(["room.ready", ...Array(people.length).fill("session_ended"), ...Array(people.length).fill("session_started")]);
    const bodies = JSON.stringify(receiver.received.filter((r) => r.data.roomId === roomId));
    for (const person of people) {
      expect(bodies).toContain(person.userExternalId);
      expect(bodies).not.toContain(person.fullName);
    }
  } finally {
    for (const page of pages) await page.context().close();
    await receiver.close();
  }
}

const suffix = () => Math.random().toString(36).slice(2, 8);

test.describe("group calls in a teleconsultation room", () => {
  test("a doctor, a patient and an interpreter: everyone sees and hears the other two, and the doctor ends it for everyone", async ({ browser, request }) => {
    test.setTimeout(360_000);
    const s = suffix();
    await groupCall(
      browser,
      request,
      [
        { userExternalId: `doctor-${s}`, groups: ["doctor"], fullName: "Dr. Ana Martínez", language: "es" },
        { userExternalId: `patient-${s}`, groups: ["patient"], fullName: "Luis Pérez", language: "es" },
        { userExternalId: `interpreter-${s}`, groups: ["customer"], fullName: "Giulia Rossi", language: "it" },
      ],
      "group-call-3",
      "desktop",
    );
  });

  test("four people on phones", async ({ browser, request }) => {
    test.setTimeout(480_000);
    const s = suffix();
    await groupCall(
      browser,
      request,
      [
        { userExternalId: `doctor-${s}`, groups: ["doctor"], fullName: "Dr. Ana Martínez", language: "es" },
        { userExternalId: `patient-${s}`, groups: ["patient"], fullName: "Luis Pérez", language: "es" },
        { userExternalId: `nurse-${s}`, groups: ["doctor"], fullName: "Marta Gómez", language: "es" },
        { userExternalId: `family-${s}`, groups: ["customer"], fullName: "Carla Pérez", language: "en" },
      ],
      "group-call-4",
      "phone",
    );
  });
});

import { expect, test } from "@playwright/test";
import { mintRoomLink } from "../lib/rooms/room-link";
import { checkPage, VIEWPORTS } from "./a11y";
import { E2E_APP_SECRET } from "./app-env";
import { expectCallState, expectMediaFlowing, newCallPage, specDatabase } from "./call";

/**
 * A standalone room (the teleconsultation API's) of the demo clinic, written with SQL: a host
 * (doctor, plus) and a patient (basic), Pending since a minute ago, ending in 30 minutes (or
 * as `schedule` says; `minutes: null` is a room with no time limit).
 */
async function insertRoom(schedule: { startsInMinutes: number; minutes: number | null } = { startsInMinutes: -1, minutes: 31 }): Promise<{ roomId: string; doctor: string; patient: string }> {
  const db = specDatabase();
  const startsAt = new Date(Date.now() + schedule.startsInMinutes * 60_000);
  const endsAt = schedule.minutes === null ? null : new Date(startsAt.getTime() + schedule.minutes * 60_000);
  try {
    const suffix = Math.random().toString(36).slice(2, 10);
    const [org] = await db`select id from organizations where slug = 'demo-clinic'`;
    const [room] = await db`
      insert into rooms (organization_id, consultation_id, status, starts_at, ends_at, max_participants, ready_at, description)
      values (${org!.id}, null, 'Pending', ${startsAt}, ${endsAt}, 2, now() - interval '2 minutes', 'Follow-up on the test results')
      returning id`;
    const member = async (externalId: string, name: string, group: string, privilege: string) => {
      const [user] = await db`
        insert into room_users (organization_id, external_id, full_name, groups) values (${org!.id}, ${`${externalId}-${suffix}`}, ${name}, ${[group]}) returning id`;
      const [p] = await db`
        insert into room_participants (organization_id, room_id, role, privilege, display_name, room_user_id, group_name)
        values (${org!.id}, ${room!.id}, 'member', ${privilege}, ${name}, ${user!.id}, ${group}) returning id`;
      return p!.id as string;
    };
    const doctor = await member("doctor", "Dr. Ana Martínez", "doctor", "plus");
    const patient = await member("patient", "Luis Pérez", "patient", "basic");
    return { roomId: room!.id, doctor, patient };
  } finally {
    await db.end();
  }
}

const linkPath = (participantId: string, mintedAt = new Date()) => `/join/${mintRoomLink(E2E_APP_SECRET, participantId, mintedAt)}`;

test.describe("a room user's personal link", () => {
  test("two members open their links: no PIN, who and when, device check, and they see each other", async ({ browser }) => {
    // Two screens checked by axe and a call between two browsers: 1 to 3 min on a loaded 2-core machine.
    test.setTimeout(300_000);
    const room = await insertRoom();
    const doctor = await newCallPage(browser, { viewport: VIEWPORTS.desktop });
    const patient = await newCallPage(browser, { viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

    await test.step("the doctor's link shows who the call is with, then the device check, no PIN", async () => {
      await doctor.page.goto(linkPath(room.doctor));
      await expect(doctor.page.getByRole("heading", { level: 1 })).toHaveText("Video call with Luis Pérez");
      await expect(doctor.page.getByTestId("room-people")).toHaveText("Luis Pérez · Patient");
      await expect(doctor.page.getByTestId("room-you")).toHaveText("Dr. Ana Martínez · Doctor (host)");
      await expect(doctor.page.getByTestId("room-length")).toHaveText("31 minutes");
      await expect(doctor.page.getByLabel("6-digit PIN")).toHaveCount(0);
      await expect(doctor.page.getByTestId("join-call")).toBeEnabled();
      await checkPage(doctor.page, "room-link-desktop-join");
      await doctor.page.getByTestId("join-call").click();
      await expectCallState(doctor.page, "waiting");
      await expect(doctor.page.getByTestId("call-state")).toHaveText("Waiting for Luis Pérez to join");
    });

    await test.step("the patient opens theirs on a phone and joins; video and audio flow both ways", async () => {
      await patient.page.goto(linkPath(room.patient));
      await expect(patient.page.getByRole("heading", { level: 1 })).toHaveText("Video call with Dr. Ana Martínez");
      await expect(patient.page.getByTestId("room-people")).toHaveText("Dr. Ana Martínez · Doctor");
      await expect(patient.page.getByTestId("join-call")).toBeEnabled();
      await checkPage(patient.page, "room-link-phone-join", { fullPage: true });
      await patient.page.getByTestId("join-call").click();
      await expectCallState(patient.page, "active", 30_000);
      await expectCallState(doctor.page, "active", 30_000);
      await expectMediaFlowing(doctor.page);
      await expectMediaFlowing(patient.page);
      // The call screen is checked by e2e/room-screens.spec.ts; here it is only pictured.
      await patient.page.screenshot({ path: `${process.env.E2E_OUTPUT_DIR ?? "test-results"}/screens/room-link-phone-call.png` });
    });

    await test.step("a link past its time still opens the room in the browser that holds its session (a reload)", async () => {
      const again = await doctor.context.newPage();
      await again.goto(linkPath(room.doctor, new Date(Date.now() - 11 * 60_000)));
      await expect(again.getByRole("heading", { level: 1 })).toHaveText("Video call with Luis Pérez");
      await expect(again.getByTestId("join-call")).toBeEnabled();
      await again.close();
    });

    await test.step("the host ends the call for everyone; the room is Completed and its links say so", async () => {
      await doctor.page.getByTestId("end-call").click();
      await doctor.page.getByRole("dialog").getByRole("button", { name: /for everyone/ }).click();
      await expectCallState(doctor.page, "ended");
      await expectCallState(patient.page, "ended");
      const db = specDatabase();
      try {
        const [row] = await db`select status, completion_reason from rooms where id = ${room.roomId}`;
        expect(row).toMatchObject({ status: "Completed", completion_reason: "ended_by_host" });
      } finally {
        await db.end();
      }
      const after = await browser.newPage();
      await after.goto(linkPath(room.patient));
      await expect(after.getByRole("heading", { level: 1 })).toHaveText("This call has ended");
      await after.close();
    });

    await doctor.context.close();
    await patient.context.close();
  });

  test("links that do not open the call: too old (in a browser without its session), a deleted room's, a forged one", async ({ browser, page }) => {
    test.setTimeout(150_000); // an axe check alone took 50 s on a loaded 2-core machine
    const room = await insertRoom();
    const stranger = await newCallPage(browser, { viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await stranger.page.goto(linkPath(room.doctor, new Date(Date.now() - 11 * 60_000)));
    await expect(stranger.page.getByRole("heading", { level: 1 })).toHaveText("This link has expired");
    await expect(stranger.page.locator("[data-link-state]")).toHaveAttribute("data-link-state", "link_expired");
    await checkPage(stranger.page, "room-link-phone-expired");
    await stranger.context.close();

    const db = specDatabase();
    try {
      await db`update rooms set trashed_at = now() where id = ${room.roomId}`;
    } finally {
      await db.end();
    }
    await page.goto(linkPath(room.patient));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This call was cancelled");
    const forged = mintRoomLink("another-secret-that-is-at-least-32-characters", room.patient, new Date());
    const response = await page.goto(`/join/${forged}`);
    expect(response?.status()).toBe(404);
  });

  test("a room with no time limit that opens later: a countdown, then the device check, still without a PIN", async ({ browser }) => {
    test.setTimeout(150_000); // an axe check alone took 50 s on a loaded 2-core machine
    const room = await insertRoom({ startsInMinutes: 15 + 10 / 60, minutes: null });
    const patient = await newCallPage(browser, { viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await patient.page.goto(linkPath(room.patient));
    await expect(patient.page.getByTestId("room-length")).toHaveText("No time limit");
    await expect(patient.page.getByTestId("consultation-state")).toHaveText("Not open yet");
    await expect(patient.page.getByTestId("countdown")).toBeVisible();
    await checkPage(patient.page, "room-link-phone-countdown", { fullPage: true });
    // The link gave this browser its session while it waited: the device check comes without a new link.
    await expect(patient.page.getByTestId("join-call")).toBeEnabled({ timeout: 30_000 });
    await expect(patient.page.getByTestId("consultation-state")).toHaveText("Open: you can join now");
    await patient.context.close();
  });
});

import { randomBytes } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { connect } from "../db/client";
import { createOrganization } from "../lib/organizations";
import { createStaffMember } from "../lib/staff";
import { checkPage, VIEWPORTS } from "./a11y";
import { specDatabase } from "./call";
import { PASSWORD, signIn } from "./staff";

/**
 * The dashboard's Rooms (standalone rooms made through the teleconsultation API) and the room
 * groups setting, on the production build. Each test makes a clinic of its own; the rooms are
 * written straight into the tables, as the API leaves them.
 */

type Clinic = { organizationId: string; admin: { email: string; name: string } };

async function newClinic(timezone = "America/Bogota"): Promise<Clinic> {
  const db = connect(process.env.E2E_SPEC_DATABASE_URL!, { max: 1 });
  try {
    const suffix = randomBytes(3).toString("hex");
    const organization = await createOrganization(db, { name: `Clínica Salas ${suffix}`, timezone, language: "en" });
    const admin = { email: `admin-${suffix}@rooms.example`, name: `Admin ${suffix}` };
    await createStaffMember(db, organization.id, { ...admin, role: "admin", password: PASSWORD });
    return { organizationId: organization.id, admin };
  } finally {
    await db.$client.end();
  }
}

type Person = { name: string; group: string; privilege: "plus" | "basic"; stays?: [string, string | null][] };

async function insertRoom(
  organizationId: string,
  room: { startsAt: string; endsAt: string | null; status: string; max: number; callType: string; trashed?: boolean; description?: string },
  people: Person[],
): Promise<string> {
  const sql = specDatabase();
  try {
    const [row] = await sql<{ id: string }[]>`insert into rooms (organization_id, status, starts_at, ends_at, max_participants, call_type, description, trashed_at)
      values (${organizationId}, ${room.status}, ${room.startsAt}, ${room.endsAt}, ${room.max}, ${room.callType}, ${room.description ?? null}, ${room.trashed ? new Date() : null})
      returning id`;
    for (const person of people) {
      const [participant] = await sql<{ id: string }[]>`insert into room_participants (organization_id, room_id, role, privilege, display_name, group_name)
        values (${organizationId}, ${row!.id}, 'member', ${person.privilege}, ${person.name}, ${person.group}) returning id`;
      for (const [joined, left] of person.stays ?? []) {
        await sql`insert into room_attendances (organization_id, room_id, participant_id, joined_at, last_seen_at, left_at, end_reason)
          values (${organizationId}, ${row!.id}, ${participant!.id}, ${joined}, ${left ?? joined}, ${left}, ${left ? "left" : null})`;
      }
    }
    return row!.id;
  } finally {
    await sql.end();
  }
}

async function signedIn(browser: Browser, email: string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await signIn(page, email);
  await expect(page).toHaveURL(/\/dashboard\//);
  return page;
}

/** Three rooms of the clinic (one trashed) and one of another clinic. */
async function seedRooms(clinic: Clinic) {
  const grupal = await insertRoom(
    clinic.organizationId,
    { startsAt: "2026-06-02T15:00:00Z", endsAt: "2026-06-02T15:45:00Z", status: "Completed", max: 3, callType: "audio_video", description: "Junta médica" },
    [
      { name: "Dra. Ana Ruiz", group: "doctor", privilege: "plus", stays: [["2026-06-02T15:00:00Z", "2026-06-02T15:20:00Z"], ["2026-06-02T15:22:00Z", "2026-06-02T15:40:30Z"]] },
      { name: "Luis Pérez", group: "patient", privilege: "basic", stays: [["2026-06-02T15:01:00Z", "2026-06-02T15:40:30Z"]] },
      { name: "Marta Gil", group: "interpreter", privilege: "basic" },
    ],
  );
  await insertRoom(clinic.organizationId, { startsAt: "2026-06-03T14:00:00Z", endsAt: null, status: "Pending", max: 4, callType: "audio_only" }, [
    { name: "Dr. Tomás Vega", group: "doctor", privilege: "plus" },
    { name: "Carla Díaz", group: "customer", privilege: "basic" },
  ]);
  await insertRoom(clinic.organizationId, { startsAt: "2026-06-04T14:00:00Z", endsAt: "2026-06-04T14:30:00Z", status: "Pending", max: 2, callType: "audio_video", trashed: true }, [
    { name: "Sala Borrada", group: "doctor", privilege: "plus" },
  ]);
  const other = await newClinic();
  await insertRoom(other.organizationId, { startsAt: "2026-06-05T14:00:00Z", endsAt: "2026-06-05T14:30:00Z", status: "Pending", max: 2, callType: "audio_video" }, [
    { name: "Paciente Ajeno", group: "patient", privilege: "basic" },
  ]);
  return { grupal };
}

for (const [screen, viewport] of Object.entries(VIEWPORTS)) {
  test(`an admin opens Rooms and a room's attendance (${screen})`, async ({ browser }) => {
    const clinic = await newClinic();
    const { grupal } = await seedRooms(clinic);
    const page = await signedIn(browser, clinic.admin.email, viewport);

    const nav = page.getByRole("navigation", { name: "Dashboard" });
    await nav.getByRole("link", { name: "Rooms", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Rooms" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Rooms", exact: true })).toHaveAttribute("aria-current", "page");
    await expect(page.getByText("2 rooms · times in America/Bogota")).toBeVisible();

    const table = page.getByRole("region", { name: "Rooms, newest start first, times in America/Bogota" });
    const rows = table.getByRole("row");
    // The header row, then the newest start first; neither the trashed room nor the other clinic's.
    await expect(rows).toHaveCount(3);
    await expect(table).not.toContainText("Sala Borrada");
    await expect(table).not.toContainText("Paciente Ajeno");
    const open = rows.nth(1);
    await expect(open).toContainText("Jun 3, 2026, 09:00");
    await expect(open).toContainText("No limit");
    await expect(open).toContainText("Waiting for participants (2 of 4 known)");
    await expect(open).toContainText("Dr. Tomás Vega · doctor Host");
    await expect(open).toContainText("Nobody joined");
    await expect(open).toContainText("Audio only");
    const done = rows.nth(2);
    await expect(done).toContainText("Jun 2, 2026, 10:00");
    await expect(done).toContainText("45 min");
    await expect(done).toContainText("Completed");
    await expect(done).not.toContainText("Waiting for participants");
    await expect(done).toContainText("Marta Gil · interpreter");
    await expect(done).toContainText("Dra. Ana Ruiz: 38 min 30 s (2 stays)");
    await expect(done).toContainText("Luis Pérez: 39 min 30 s");
    await expect(done).toContainText("Audio and video");
    await checkPage(page, `rooms-list-${screen}`, { fullPage: true });

    // By keyboard: the row's start is a link to the room.
    const link = done.getByRole("link", { name: "Room at Jun 2, 2026, 10:00: details and attendance" });
    await link.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/dashboard/rooms/${grupal}$`));
    await expect(page.getByRole("heading", { level: 1, name: "Room · Jun 2, 2026, 10:00" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: "Participants and attendance (3 of 3)" })).toBeVisible();
    const ana = page.getByRole("article", { name: /Dra\. Ana Ruiz/ });
    await expect(ana).toContainText("In the call 38 min 30 s in 2 stays.");
    await expect(ana.getByRole("listitem")).toHaveText(["Jun 2, 2026, 10:00 to Jun 2, 2026, 10:20: 20 min (left)", "Jun 2, 2026, 10:22 to Jun 2, 2026, 10:40: 18 min 30 s (left)"]);
    await expect(page.getByRole("article", { name: /Marta Gil/ })).toContainText("Did not join.");
    await expect(page.getByRole("main")).toContainText("Junta médica");
    await checkPage(page, `room-detail-${screen}`, { fullPage: true });

    // Another clinic's room, or a trashed one, is not found here.
    expect((await page.goto("/dashboard/rooms/00000000-0000-4000-8000-000000000000"))?.status()).toBe(404);
  });
}

test("an admin sets which room groups host and which take part; wrong lists are named, the change is audited", async ({ browser }) => {
  const clinic = await newClinic();
  const page = await signedIn(browser, clinic.admin.email, VIEWPORTS.desktop);
  await page.goto("/dashboard/settings");
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Rooms" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Rooms" })).toBeVisible();
  const plus = page.getByLabel("Host groups (plus)");
  const basic = page.getByLabel("Participant groups (basic)");
  await expect(plus).toHaveValue("doctor");
  await expect(basic).toHaveValue("patient, customer");
  await expect(page.getByText("These are the defaults")).toBeVisible();

  // Wrong lists: named on their fields, what was typed kept. Sent with Enter, from the keyboard.
  await plus.fill("Doctor, nurse");
  await basic.fill("patient nurse");
  await expect(page.getByRole("list", { name: "Participant groups as they will be saved" }).getByRole("listitem")).toHaveText(["patient", "nurse"]);
  await basic.press("Enter");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Some fields need attention; each one says what is wrong.");
  await expect(plus).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText('Host groups (plus) must be lower-case words of 1 to 40 letters, digits, _ or - (such as doctor, nurse_2); not "Doctor"')).toBeVisible();
  await expect(basic).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Participant groups (basic) must not also list a plus group: nurse")).toBeVisible();
  await expect(plus).toHaveValue("Doctor, nurse");
  await checkPage(page, "room-groups-refused-desktop");

  await plus.fill("doctor, nurse");
  await basic.fill("patient, customer, interpreter, interpreter");
  await page.getByRole("button", { name: "Save groups" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toHaveText("Saved: host groups and participant groups changed.");
  await expect(plus).not.toHaveAttribute("aria-invalid");
  await expect(basic).toHaveValue("patient, customer, interpreter");

  await page.setViewportSize(VIEWPORTS.phone);
  await page.reload();
  await expect(plus).toHaveValue("doctor, nurse");
  await expect(page.getByText("These are the defaults")).toHaveCount(0);
  await checkPage(page, "room-groups-phone", { fullPage: true });
  await page.getByRole("button", { name: "Save groups" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toHaveText("Saved; nothing changed.");

  await page.setViewportSize(VIEWPORTS.desktop);
  await page.goto("/dashboard/audit");
  const entry = page.getByRole("table").getByRole("row").filter({ hasText: "Room groups changed" });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('"to":["doctor","nurse"]');
});

test("Rooms pages 25 at a time, older ones behind a link; a spoiled page address shows the newest", async ({ browser }) => {
  const clinic = await newClinic("UTC");
  const sql = specDatabase();
  try {
    await sql`insert into rooms (organization_id, status, starts_at, ends_at, max_participants)
      select ${clinic.organizationId}, 'Expired', timestamptz '2026-01-01 08:00Z' + make_interval(days => n), timestamptz '2026-01-01 08:30Z' + make_interval(days => n), 2
      from generate_series(1, 27) as n`;
  } finally {
    await sql.end();
  }
  const page = await signedIn(browser, clinic.admin.email, VIEWPORTS.desktop);
  await page.goto("/dashboard/rooms");
  const rows = page.getByRole("region", { name: /^Rooms, newest start first/ }).getByRole("row");
  await expect(page.getByText("25 rooms · times in UTC")).toBeVisible();
  await expect(rows.nth(1)).toContainText("Jan 28, 2026, 08:00");
  await expect(rows.nth(25)).toContainText("Jan 4, 2026, 08:00");
  await expect(page.getByRole("link", { name: "← Newest" })).toHaveCount(0);
  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Older →" }).click();
  await expect(page.getByText("2 rooms on this page · times in UTC")).toBeVisible();
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText("Jan 3, 2026, 08:00");
  await expect(rows.nth(2)).toContainText("Jan 2, 2026, 08:00");
  await expect(page.getByRole("link", { name: "Older →" })).toHaveCount(0);
  await page.getByRole("link", { name: "← Newest" }).click();
  await expect(page.getByText("25 rooms · times in UTC")).toBeVisible();

  await page.goto("/dashboard/rooms?cursor=spoiled");
  await expect(page.getByRole("status")).toHaveText("The page in the address was not understood; showing the newest rooms.");
  await expect(rows.nth(1)).toContainText("Jan 28, 2026, 08:00");
});

test("a scheduler sees Rooms but not the groups setting; a provider (who sees only their own consultations) sees neither", async ({ browser }) => {
  const clinic = await newClinic();
  const roomId = await insertRoom(clinic.organizationId, { startsAt: "2026-06-02T15:00:00Z", endsAt: "2026-06-02T15:30:00Z", status: "Pending", max: 2, callType: "audio_video" }, [
    { name: "Dra. Ana Ruiz", group: "doctor", privilege: "plus" },
    { name: "Luis Pérez", group: "patient", privilege: "basic" },
  ]);
  const suffix = randomBytes(3).toString("hex");
  const scheduler = { email: `scheduler-${suffix}@rooms.example`, name: `Scheduler ${suffix}` };
  const provider = { email: `provider-${suffix}@rooms.example`, name: `Provider ${suffix}` };
  const sql = specDatabase();
  const db = connect(process.env.E2E_SPEC_DATABASE_URL!, { max: 1 });
  try {
    const [row] = await sql<{ id: string }[]>`insert into providers (organization_id, name, document_type, document_number, professional_type, phone, email)
      values (${clinic.organizationId}, 'Dr. Solo Propio', 'CC', ${String(Date.now()).slice(-10)}, 'MedicoGeneral', '+573001112233', 'doc@rooms.example') returning id`;
    await createStaffMember(db, clinic.organizationId, { ...scheduler, role: "scheduler", password: PASSWORD });
    await createStaffMember(db, clinic.organizationId, { ...provider, role: "provider", providerId: row!.id, password: PASSWORD });
  } finally {
    await sql.end();
    await db.$client.end();
  }

  const schedulerPage = await signedIn(browser, scheduler.email, VIEWPORTS.desktop);
  await schedulerPage.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Rooms", exact: true }).click();
  await expect(schedulerPage.getByRole("region", { name: /^Rooms, newest start first/ })).toContainText("Dra. Ana Ruiz");
  expect((await schedulerPage.goto("/dashboard/settings/rooms"))?.status()).toBe(403);

  const providerPage = await signedIn(browser, provider.email, VIEWPORTS.desktop);
  await expect(providerPage.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Rooms", exact: true })).toHaveCount(0);
  for (const path of ["/dashboard/rooms", `/dashboard/rooms/${roomId}`]) {
    expect((await providerPage.goto(path))?.status(), path).toBe(403);
    await expect(providerPage.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  }
});

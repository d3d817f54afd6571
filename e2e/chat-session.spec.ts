import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { mintChatLink } from "../lib/chat-sessions/link";
import { checkPage, VIEWPORTS } from "./a11y";
import { demoAuthorization } from "./api";
import { E2E_APP_SECRET } from "./app-env";
import { expectCallState, newCallPage, pathOf, specDatabase } from "./call";
import { pdf, sendFile } from "./files";
import { demoOrganization, signIn, staff } from "./staff";

const SCREENS = `${process.env.E2E_OUTPUT_DIR ?? "test-results"}/screens`;

/** Downloads the file a message carries and returns its bytes. */
async function download(page: Page, name: string): Promise<Buffer> {
  const downloading = page.waitForEvent("download");
  await page.getByTestId("chat-file").filter({ hasText: name }).click();
  const file = await downloading;
  expect(file.suggestedFilename()).toBe(name);
  return readFile((await file.path())!);
}

/** A message as the conversation shows it, by its text. */
const message = (page: Page, text: string) => page.getByTestId("chat-message").filter({ hasText: text });

const DAY_MS = 86_400_000;

/** A chat session of the demo clinic written with SQL (a patient and a doctor), and the id of an API credential of the clinic. */
async function insertChatSession(): Promise<{ chatSessionId: string; patient: string; doctor: string; apiKeyId: string; keyId: string }> {
  const db = specDatabase();
  try {
    const suffix = Math.random().toString(36).slice(2, 10);
    const [org] = await db`select id from organizations where slug = 'demo-clinic'`;
    const [key] = await db`
      insert into api_keys (organization_id, key_id, secret_hash, name) values (${org!.id}, ${`tk_chatlink${suffix}`}, 'x', 'chat link spec') returning id, key_id`;
    const user = async (externalId: string, name: string, group: string) =>
      (
        await db`insert into room_users (organization_id, external_id, full_name, groups) values (${org!.id}, ${`${externalId}-${suffix}`}, ${name}, ${[group]}) returning id`
      )[0]!.id as string;
    const patient = await user("patient", "Luis Pérez", "patient");
    const doctor = await user("doctor", "Dr. Ana Martínez", "doctor");
    const [session] = await db`insert into chat_sessions (organization_id, title, created_by) values (${org!.id}, 'Rash on the arm', ${patient}) returning id`;
    for (const [position, id] of [patient, doctor].entries()) {
      await db`insert into chat_session_participants (chat_session_id, room_user_id, organization_id, position) values (${session!.id}, ${id}, ${org!.id}, ${position})`;
    }
    return { chatSessionId: session!.id, patient, doctor, apiKeyId: key!.id, keyId: key!.key_id };
  } finally {
    await db.end();
  }
}

test.describe("a chat link", () => {
  test("aged (410): opens nothing in a browser that never opened it, and keeps the conversation in the tab that did; forged or of a revoked credential (404); never cached, no referrer", async ({
    browser,
  }) => {
    test.setTimeout(150_000); // an axe check alone took 50 s on a loaded 2-core machine
    const s = await insertChatSession();
    const link = (mintedAt: Date, overrides: Partial<{ apiKeyId: string }> = {}) =>
      `/chat/${mintChatLink(E2E_APP_SECRET, { chatSessionId: s.chatSessionId, roomUserId: s.patient, apiKeyId: s.apiKeyId, ...overrides }, mintedAt)}`;
    const context = await browser.newContext({ viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await context.newPage();

    const aged = await page.goto(link(new Date(Date.now() - DAY_MS - 60_000)));
    expect(aged?.status()).toBe(410);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link has expired");
    await expect(page.locator("[data-link-state]")).toHaveAttribute("data-link-state", "expired");
    const headers = aged!.headers();
    expect(headers["referrer-policy"]).toBe("no-referrer");
    expect(headers["cache-control"]).toContain("no-store");
    expect(headers["x-robots-tag"]).toBe("noindex, nofollow");
    expect(headers["x-frame-options"]).toBe("DENY");
    await checkPage(page, "chat-link-phone-expired");

    const forged = mintChatLink(
      "another-secret-that-is-at-least-32-characters",
      { chatSessionId: s.chatSessionId, roomUserId: s.patient, apiKeyId: s.apiKeyId },
      new Date(),
    );
    const response = await page.goto(`/chat/${forged}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link is not valid");
    expect((await page.goto("/chat/not-a-chat-link"))?.status()).toBe(404);

    // A tab that opened a young link keeps the conversation when it comes back after the link aged (a reload).
    const fresh = link(new Date());
    expect((await page.goto(fresh))?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rash on the arm");
    const later = await page.goto(link(new Date(Date.now() - DAY_MS - 60_000)));
    expect(later?.status()).toBe(410);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rash on the arm");
    await expect(page.getByTestId("chat-state")).toContainText("Not started");

    const db = specDatabase();
    try {
      await db`update api_keys set revoked_at = now() where id = ${s.apiKeyId}`;
    } finally {
      await db.end();
    }
    // Revoking the credential that minted it: the link opens nothing more, and the tab's token stops working.
    const other = await context.newPage();
    expect((await other.goto(fresh))?.status()).toBe(404);
    await expect(other.getByRole("heading", { level: 1 })).toHaveText("This link is not valid");
    await page.getByLabel("Message", { exact: true }).fill("Are you there?");
    await page.getByLabel("Message", { exact: true }).press("Enter");
    await expect(page.getByTestId("chat-problem")).toHaveText(/Your access to this conversation has ended/);
    await context.close();
  });
});

test("a chat consultation: the patient asks from their link, the clinician accepts on the dashboard, they write and share PDFs, meet in a video call, and the clinician finishes it", async ({
  browser,
  request,
}) => {
  // Two browsers, axe checks and a call on a loaded 2-core machine.
  test.setTimeout(480_000);
  const suffix = Math.random().toString(36).slice(2, 8);
  const title = `Rash on the arm ${suffix}`;
  const patientId = `patient-${suffix}`;

  const db = specDatabase();
  const organizationId = await demoOrganization();
  const [provider] = await db`select id from providers where organization_id = ${organizationId} order by created_at limit 1`;
  // The patient in the clinic's user directory (the rooms API makes these; here, SQL).
  await db`insert into room_users (organization_id, external_id, full_name, groups) values (${organizationId}, ${patientId}, 'Luis Pérez', ${["patient"]})`;
  await db.end();
  const clinician = await staff("provider", provider!.id as string);

  const doctor = await newCallPage(browser, { viewport: VIEWPORTS.desktop });
  // The narrowest phone the page is made for.
  const patient = await newCallPage(browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  let chatSessionId = "";

  await test.step("the clinician signs in and opens Chats, which gives them their chat identity: their e-mail", async () => {
    await signIn(doctor.page, clinician.email);
    await doctor.page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Chats" }).click();
    await expect(doctor.page.getByRole("heading", { level: 1 })).toHaveText("Chats");
    await expect(doctor.page.getByText(clinician.email, { exact: true })).toBeVisible();
  });

  await test.step("the integrator makes a session for the patient and the clinician (named by their e-mail) and asks for the patient's link", async () => {
    const created = await request.post("/api/chat-sessions", { headers: demoAuthorization(), data: { participants: [patientId, clinician.email], title } });
    expect(created.status(), await created.text()).toBeLessThan(300);
    const session = await created.json();
    chatSessionId = session.id;
    expect(session).toMatchObject({ state: "created", participants: [patientId, clinician.email], title });
    const got = await request.get(`/api/chat-sessions/${chatSessionId}`, { headers: { ...demoAuthorization(), "X-User-Id": patientId } });
    expect(got.status(), await got.text()).toBe(200);
    const { accessLinkURL } = await got.json();
    expect(accessLinkURL).toMatch(/\/chat\/cl_[A-Za-z0-9_-]{94}$/);
    await patient.page.goto(pathOf(accessLinkURL));
  });

  await test.step("the patient sees the session, not started yet, and asks for the consultation", async () => {
    await expect(patient.page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(patient.page.getByTestId("chat-state")).toContainText("Not started");
    await expect(patient.page.getByText(`With ${clinician.name}`)).toBeVisible();
    await checkPage(patient.page, "chat-phone-created");
    await patient.page.getByRole("button", { name: "Ask for a consultation" }).click();
    await expect(patient.page.getByTestId("chat-state")).toContainText("Waiting for the clinic to accept your request.");
  });

  await test.step("the clinician's list shows it waiting, without a reload", async () => {
    const row = doctor.page.getByRole("row").filter({ hasText: title });
    await expect(row).toContainText("Waiting for acceptance");
    await expect(row).toContainText("Luis Pérez");
    await checkPage(doctor.page, "chat-desktop-list");
    await row.getByRole("link", { name: title }).click();
    await expect(doctor.page.getByRole("heading", { level: 1 })).toHaveText(title);
  });

  await test.step("the clinician accepts; the patient sees it in progress", async () => {
    await expect(doctor.page.getByTestId("chat-state")).toContainText("Luis Pérez asked for a consultation");
    await doctor.page.getByRole("button", { name: "Accept", exact: true }).click();
    await expect(doctor.page.getByTestId("chat-state")).toContainText(`Accepted by ${clinician.name}`);
    await expect(patient.page.getByTestId("chat-state")).toContainText(`Accepted by ${clinician.name}`);
  });

  await test.step("they write to each other; a send the network lost is sent again and stored once; text stays text", async () => {
    // The first try of the patient's first message never reaches the server.
    let dropped = 0;
    await patient.page.route("**/api/chat-sessions/*/messages", (route) => {
      if (route.request().method() === "POST" && dropped === 0) {
        dropped++;
        return route.abort("internetdisconnected");
      }
      return route.fallback();
    });
    const input = patient.page.getByLabel("Message", { exact: true });
    await input.fill("Hola doctora.");
    await input.press("Shift+Enter");
    await input.pressSequentially("Me salió un sarpullido 🙁");
    await input.press("Enter");
    await expect(message(doctor.page, "Me salió un sarpullido")).toContainText("Luis Pérez");
    await expect(message(doctor.page, "Me salió un sarpullido").locator("p").last()).toHaveText("Hola doctora.\nMe salió un sarpullido 🙁");
    expect(dropped).toBe(1);
    await expect(message(patient.page, "Me salió un sarpullido")).not.toHaveAttribute("data-pending", "true");
    const db = specDatabase();
    try {
      const [row] = await db`select count(*)::int as count from chat_messages where chat_session_id = ${chatSessionId} and body like '%sarpullido%'`;
      expect(row!.count).toBe(1);
    } finally {
      await db.end();
    }
    const markup = "<b>Send</b> a photo <img src=x onerror=alert(1)>";
    await doctor.page.getByLabel("Message", { exact: true }).fill(markup);
    await doctor.page.getByRole("button", { name: "Send", exact: true }).click();
    await expect(message(patient.page, "a photo")).toContainText(markup);
    await expect(message(patient.page, "a photo").locator("b, img")).toHaveCount(0);
    // Both pages are open and visible: what each received is marked seen.
    for (const who of [patientId, clinician.email]) {
      await expect
        .poll(async () =>
          (await request.get(`/api/chat-sessions/${chatSessionId}`, { headers: { ...demoAuthorization(), "X-User-Id": who } })).json().then((s) => s.unread),
        )
        .toBe(0);
    }
  });

  await test.step("a PDF each way, downloaded byte for byte", async () => {
    const fromPatient = pdf(`Lab results ${suffix}`);
    await sendFile(patient.page, "lab-results.pdf", fromPatient);
    await expect(doctor.page.getByTestId("chat-file").filter({ hasText: "lab-results.pdf" })).toBeVisible();
    expect((await download(doctor.page, "lab-results.pdf")).equals(fromPatient)).toBe(true);
    const fromDoctor = pdf(`Prescription ${suffix}`);
    await sendFile(doctor.page, "prescription.pdf", fromDoctor);
    await expect(patient.page.getByTestId("chat-file").filter({ hasText: "prescription.pdf" })).toBeVisible();
    expect((await download(patient.page, "prescription.pdf")).equals(fromDoctor)).toBe(true);
    await checkPage(doctor.page, "chat-desktop-conversation");
    await checkPage(patient.page, "chat-phone-conversation");
    // A file that is neither an image nor a PDF is refused in words, and nothing is sent.
    await patient.page.getByTestId("chat-file-input").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
    await expect(patient.page.getByTestId("chat-error")).toHaveText(
      "“notes.txt” is not a photo or a PDF, so it cannot be sent. Only JPEG, PNG and WebP images and PDF documents can be shared.",
    );
  });

  await test.step("the clinician starts a video call; the patient joins it from the chat; the call shows both", async () => {
    await doctor.page.getByRole("button", { name: "Start video call" }).click();
    await doctor.page.waitForURL(/\/join\/rl_/);
    await expect(doctor.page.getByTestId("join-call")).toBeEnabled({ timeout: 30_000 });
    await doctor.page.getByTestId("join-call").click();
    await expectCallState(doctor.page, "waiting", 30_000);
    await patient.page.getByRole("button", { name: "Join video call" }).click();
    await patient.page.waitForURL(/\/join\/rl_/);
    await expect(patient.page.getByTestId("join-call")).toBeEnabled({ timeout: 30_000 });
    await patient.page.getByTestId("join-call").click();
    await expectCallState(patient.page, "active", 30_000);
    await expectCallState(doctor.page, "active", 30_000);
    await expect(doctor.page.locator("[data-remote-participant]", { hasText: "Luis Pérez" })).toBeVisible();
    await expect(patient.page.locator("[data-remote-participant]", { hasText: clinician.name })).toBeVisible();
    await patient.page.screenshot({ path: `${SCREENS}/chat-phone-call.png` });
  });

  await test.step("back in the chat, the clinician finishes the session and the patient sees it finished", async () => {
    await doctor.page.goto(`/dashboard/chat/${chatSessionId}`);
    await patient.page.goBack();
    await expect(patient.page.getByTestId("chat-state")).toContainText("In progress");
    await doctor.page.getByRole("button", { name: "Finish consultation" }).click();
    await doctor.page.getByRole("button", { name: "Finish it for everyone" }).click();
    await expect(doctor.page.getByTestId("chat-state")).toContainText(`Finished by ${clinician.name}`);
    await expect(patient.page.getByTestId("chat-state")).toContainText(`Finished by ${clinician.name}`);
    await expect(patient.page.getByTestId("chat-closed")).toBeVisible();
    await expect(patient.page.getByLabel("Message", { exact: true })).toHaveCount(0);
    await checkPage(patient.page, "chat-phone-finished");
  });

  await doctor.context.close();
  await patient.context.close();
});

test("a clinician declines a request with a reason, which the patient reads; staff who do not take part read along without acting", async ({
  browser,
  request,
}) => {
  test.setTimeout(240_000);
  const suffix = Math.random().toString(36).slice(2, 8);
  const title = `Refill request ${suffix}`;
  const patientId = `patient-${suffix}`;
  const reason = "Please come to the clinic: this needs an in-person visit.";
  const db = specDatabase();
  const organizationId = await demoOrganization();
  const [provider, otherProvider] = await db`select id from providers where organization_id = ${organizationId} order by created_at limit 2`;
  await db`insert into room_users (organization_id, external_id, full_name, groups) values (${organizationId}, ${patientId}, 'Marta Gómez', ${["patient"]})`;
  await db.end();
  const clinician = await staff("provider", provider!.id as string);
  const admin = await staff("admin");

  const doctor = await (await browser.newContext({ viewport: VIEWPORTS.desktop })).newPage();
  await signIn(doctor, clinician.email);
  await doctor.waitForURL(/\/dashboard/);
  await doctor.goto("/dashboard/chat");
  await expect(doctor.getByRole("heading", { level: 1 })).toHaveText("Chats");

  const created = await request.post("/api/chat-sessions", { headers: demoAuthorization(), data: { participants: [patientId, clinician.email], title } });
  expect(created.status(), await created.text()).toBeLessThan(300);
  const { id } = await created.json();
  const started = await request.patch(`/api/chat-sessions/${id}`, { headers: { ...demoAuthorization(), "X-User-Id": patientId }, data: { start: true } });
  expect(started.status(), await started.text()).toBe(200);

  await doctor.getByRole("row").filter({ hasText: title }).getByRole("link", { name: title }).click();
  await doctor.getByRole("button", { name: "Reject", exact: true }).click();
  await doctor.getByLabel("Reason (the patient sees it)").fill(reason);
  await doctor.getByRole("button", { name: "Reject the request" }).click();
  await expect(doctor.getByTestId("chat-state")).toContainText(`Declined by ${clinician.name}: “${reason}”`);
  await expect(doctor.getByTestId("chat-closed")).toBeVisible();

  const { accessLinkURL } = await (await request.get(`/api/chat-sessions/${id}`, { headers: { ...demoAuthorization(), "X-User-Id": patientId } })).json();
  const patient = await (await browser.newContext({ viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })).newPage();
  await patient.goto(pathOf(accessLinkURL));
  await expect(patient.getByTestId("chat-state")).toContainText(`Declined by ${clinician.name}: “${reason}”`);
  await expect(patient.getByLabel("Message", { exact: true })).toHaveCount(0);
  await expect(patient.getByRole("button", { name: "Ask for a consultation" })).toHaveCount(0);

  const reader = await (await browser.newContext({ viewport: VIEWPORTS.desktop })).newPage();
  await signIn(reader, admin.email);
  await reader.waitForURL(/\/dashboard/);
  await reader.goto(`/dashboard/chat/${id}`);
  await expect(reader.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(reader.getByText("You are reading this conversation. Only its participants can write or act on it.")).toBeVisible();
  for (const name of ["Accept", "Reject", "Finish consultation", "Start video call", "Send"])
    await expect(reader.getByRole("button", { name, exact: true })).toHaveCount(0);
  await expect(reader.getByLabel("Message", { exact: true })).toHaveCount(0);
  await checkPage(reader, "chat-desktop-reading-along");
  // A session of no organization's (a random id) is not found.
  expect((await reader.goto("/dashboard/chat/8d7c3a0e-4b1f-4c2d-9e8f-112233445566"))?.status()).toBe(404);
  // Another clinician: not in their list, and not found (a provider reads only their own chats).
  const colleague = await staff("provider", otherProvider!.id as string);
  const peer = await (await browser.newContext()).newPage();
  await signIn(peer, colleague.email);
  await peer.waitForURL(/\/dashboard/);
  await peer.goto("/dashboard/chat");
  await expect(peer.getByRole("heading", { level: 1 })).toHaveText("Chats");
  await expect(peer.getByRole("row").filter({ hasText: title })).toHaveCount(0);
  expect((await peer.goto(`/dashboard/chat/${id}`))?.status()).toBe(404);
  await peer.context().close();
  // A scheduler (no clinical role) has no chats.
  const scheduler = await staff("scheduler");
  const other = await (await browser.newContext()).newPage();
  await signIn(other, scheduler.email);
  await other.waitForURL(/\/dashboard/);
  await expect(other.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Chats" })).toHaveCount(0);
  expect((await other.goto(`/dashboard/chat/${id}`))?.status()).toBe(403);
  for (const page of [doctor, patient, reader, other]) await page.context().close();
});

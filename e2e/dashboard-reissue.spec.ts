import { expect, test } from "@playwright/test";
import { checkPage, VIEWPORTS } from "./a11y";
import { createConsultation, enterPin, joinCall, newCallPage, pathOf, specDatabase } from "./call";
import { signIn, staff } from "./staff";

/**
 * Issue 13, item 12: someone holding a patient's link typed ten wrong PINs and locked it. The
 * patient is told to ask the clinic; a scheduler sees the lock on the consultation's page,
 * reissues the PIN with new links, and the patient joins with the new PIN and link.
 */
test("a link locked by wrong PINs: staff see it, reissue the PIN and links from the detail page, and the patient joins with the new ones", async ({ browser, page, request }) => {
  test.setTimeout(180_000); // two browsers, four accessibility checks, and a call to join
  const consultation = await createConsultation(request);
  // Ten wrong PINs in the last hour (typing them takes a quarter of an hour of growing waits).
  const db = specDatabase();
  try {
    await db`
      insert into pin_attempts (organization_id, participant_id, address, outcome, attempted_at)
      select p.organization_id, p.id, '198.51.100.7', 'rejected', now() - make_interval(mins => 60 - n * 5)
      from room_participants p join rooms r on r.id = p.room_id, generate_series(1, 10) n
      where r.consultation_id = ${consultation.consultationId} and p.role = 'patient'`;
  } finally {
    await db.end();
  }

  // The patient, even with the right PIN, is locked out and told whom to ask.
  const patient = await newCallPage(browser, { viewport: VIEWPORTS.phone });
  await patient.page.goto(pathOf(consultation.patientUrl));
  await enterPin(patient.page, consultation.pin);
  await expect(patient.page.getByTestId("pin-error")).toContainText("Ask the clinic for a new PIN");
  await expect(patient.page.getByRole("button", { name: "Continue" })).toBeEnabled();

  const scheduler = await staff("scheduler");
  await page.setViewportSize(VIEWPORTS.desktop);
  await signIn(page, scheduler.email);
  await expect(page).toHaveURL(/\/dashboard\/consultations$/);
  await page.goto(`/dashboard/consultations/${consultation.consultationId}`);
  const access = page.getByRole("region", { name: "Links and PIN" });
  await expect(access.getByRole("listitem").filter({ hasText: "Patient link" })).toContainText(/10 of 10 in the last 24 hours — locked until .*reissue the PIN/);
  await expect(access.getByRole("listitem").filter({ hasText: "Provider link" })).toContainText("0 of 10");

  await access.getByRole("button", { name: /^Reissue PIN for / }).click();
  const dialog = page.getByRole("dialog", { name: /Reissue the PIN for/ });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await dialog.getByLabel("Also issue new links (the old links stop working)").check();
  await checkPage(page, "reissue-dialog-desktop");
  await dialog.getByRole("button", { name: "Reissue PIN" }).click();

  const done = page.getByRole("dialog", { name: "New PIN issued" });
  await expect(done).toBeVisible();
  const pin = (await done.locator("code").first().textContent())!.trim();
  expect(pin).toMatch(/^\d{6}$/);
  expect(pin).not.toBe(consultation.pin);
  const newPatientUrl = (await done.getByRole("definition").filter({ hasText: "/join/" }).first().locator("code").textContent())!.trim();
  expect(newPatientUrl).not.toBe(consultation.patientUrl);
  await checkPage(page, "reissue-new-pin-desktop");
  await done.getByRole("button", { name: "Done" }).click();
  await expect(done).toBeHidden();
  // The page now has the new links, the lock lifted, and the reissue in the timeline.
  await expect(access).toContainText(newPatientUrl);
  await expect(access.getByRole("listitem").filter({ hasText: "Patient link" })).toContainText("0 of 10 in the last 24 hours");
  await expect(page.getByRole("region", { name: "Timeline" })).toContainText("New PIN and new links issued by the clinic");

  // The same dialog on a phone, for a second reissue that keeps the links.
  await page.setViewportSize(VIEWPORTS.phone);
  await access.getByRole("button", { name: /^Reissue PIN for / }).click();
  await expect(page.getByRole("dialog", { name: /Reissue the PIN for/ })).toBeVisible();
  await checkPage(page, "reissue-dialog-phone");
  await page.getByRole("dialog").getByRole("button", { name: "Reissue PIN" }).click();
  const again = page.getByRole("dialog", { name: "New PIN issued" });
  await expect(again).toContainText("The links stay the same.");
  const finalPin = (await again.locator("code").first().textContent())!.trim();
  await checkPage(page, "reissue-new-pin-phone");
  await again.getByRole("button", { name: "Done" }).click();

  // The old link is gone; the new link takes the new PIN and joins the call.
  expect((await patient.page.goto(pathOf(consultation.patientUrl)))?.status()).toBe(404);
  await expect(patient.page.getByRole("heading", { name: "This link is not valid" })).toBeVisible();
  await joinCall(patient.page, newPatientUrl, finalPin);
  await patient.context.close();

  const audit = specDatabase();
  try {
    const rows = await audit<{ detail: unknown; actor_label: string }[]>`
      select detail, actor_label from audit_log where action = 'consultation.access_reissued' and target_id = ${consultation.consultationId} order by id`;
    expect(rows).toEqual([
      { detail: { links: true }, actor_label: scheduler.email },
      { detail: { links: false }, actor_label: scheduler.email },
    ]);
  } finally {
    await audit.end();
  }
});

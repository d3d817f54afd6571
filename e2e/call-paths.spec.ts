import { expect, test } from "@playwright/test";
import { formatInTimeZone } from "./time";
import { createConsultation, enterPin, expectCallState, expectMediaFlowing, joinCall, newCallPage, pathOf, specDatabase } from "./call";

test.describe("the join link", () => {
  test("an unknown link, or one opened with the other role, says it is not valid", async ({ page, request }) => {
    const response = await page.goto("/join/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?type=patient");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "This link is not valid" })).toBeVisible();

    const consultation = await createConsultation(request);
    const swapped = pathOf(consultation.patientUrl).replace("type=patient", "type=provider");
    expect((await page.goto(swapped))?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "This link is not valid" })).toBeVisible();
  });

  test("a scheduled consultation shows its time in the clinic's and the viewer's timezone, and a countdown until it opens", async ({ browser, request }) => {
    const start = new Date(Date.now() + 2 * 3600_000);
    const consultation = await createConsultation(request, { scheduledAt: formatInTimeZone(start, "America/Bogota") });
    const context = await browser.newContext({ timezoneId: "Europe/Madrid" });
    const page = await context.newPage();
    await page.goto(pathOf(consultation.patientUrl));
    await expect(page.getByTestId("countdown")).toContainText(/1\sh\s4\d\smin\s\d\d?\ss/);
    await expect(page.getByTestId("consultation-state")).toHaveText("Not open yet");
    await expect(page.getByLabel("6-digit PIN")).toHaveCount(0);
    await expect(page.getByText("(America/Bogota)")).toBeVisible();
    await expect(page.getByTestId("viewer-time")).toContainText(`${formatInTimeZone(start, "Europe/Madrid").slice(11)} to`);
    await expect(page.getByTestId("viewer-time")).toContainText("your time (Europe/Madrid)");
    await context.close();
  });

  test("an expired consultation says so", async ({ page, request }) => {
    const consultation = await createConsultation(request);
    const db = specDatabase();
    try {
      await db`update consultations set starts_at = now() - interval '2 hours', ends_at = now() - interval '100 minutes' where id = ${consultation.consultationId}`;
    } finally {
      await db.end();
    }
    await page.goto(pathOf(consultation.patientUrl));
    await expect(page.getByRole("heading", { name: "This consultation has expired" })).toBeVisible();
  });

  test("a wrong PIN is refused, and after five the wait holds even for the right PIN", async ({ page, request }) => {
    const consultation = await createConsultation(request);
    const wrong = consultation.pin === "000000" ? "111111" : "000000";
    await page.goto(pathOf(consultation.patientUrl));
    for (let attempt = 1; attempt <= 5; attempt++) {
      await enterPin(page, wrong);
      await expect(page.getByTestId("pin-error")).toContainText("That PIN is not right");
    }
    await expect(page.getByTestId("pin-error")).toContainText("Wait 30 seconds");
    await expect(page.getByRole("button", { name: "Continue" })).toBeDisabled();

    // A fresh page has no client-side wait: the server still refuses, even the right PIN.
    await page.reload();
    await enterPin(page, consultation.pin);
    await expect(page.getByTestId("pin-error")).toContainText("Too many wrong PINs");
    await expect(page.getByTestId("join-call")).toHaveCount(0);

    const db = specDatabase();
    try {
      const attempts = await db`
        select outcome, count(*)::int as n from pin_attempts a join room_participants p on p.id = a.participant_id
        join rooms r on r.id = p.room_id where r.consultation_id = ${consultation.consultationId} group by outcome order by outcome`;
      expect(attempts).toEqual([
        { outcome: "rejected", n: 5 },
        { outcome: "throttled", n: 1 },
      ]);
    } finally {
      await db.end();
    }
  });
});

test.describe("in the call", () => {
  test("a patient leaves and rejoins with the same link; time running out ends the call with timeout", async ({ browser, request }) => {
    // Two joins, a leave, a rejoin with media flowing, then the slot running out: longer than one default test.
    test.setTimeout(120_000);
    const consultation = await createConsultation(request);
    const db = specDatabase();
    // The consultation's slot ends 45 s from now: the call warns at once (under two minutes
    // left) and then times out. 25 s was too short on a loaded CI machine: the slot ran out
    // while the rejoined patient's media was still starting.
    await db`update consultations set starts_at = now() - interval '19 minutes', ends_at = now() + interval '45 seconds' where id = ${consultation.consultationId}`;
    const patient = await newCallPage(browser);
    const provider = await newCallPage(browser);
    try {
      await joinCall(patient.page, consultation.patientUrl, consultation.pin);
      await joinCall(provider.page, consultation.providerUrl, consultation.pin);
      await expectCallState(provider.page, "active");
      await expect(provider.page.getByTestId("timeout-warning")).toBeVisible();

      await patient.page.getByTestId("end-call").click();
      await expectCallState(patient.page, "ended");
      await expect(patient.page.getByText("You left the call")).toBeVisible();
      // What stays true whatever the others do next (this page no longer hears the call).
      await expect(patient.page.getByTestId("consultation-state")).toHaveText("You left: you can rejoin while it lasts");
      await expectCallState(provider.page, "waiting");

      await patient.page.getByRole("button", { name: "Rejoin the call" }).click();
      await patient.page.getByTestId("join-call").click();
      await expectCallState(patient.page, "active");
      await expectMediaFlowing(provider.page);

      // The slot ends 45 s after the update above, whenever the steps before got here: up to 45 s away.
      await expectCallState(patient.page, "timeout", 60_000);
      await expectCallState(provider.page, "timeout", 10_000);
      // The screens say "timeout" as the clock runs out; the end they post then takes a moment to commit.
      await expect
        .poll(async () => (await db`select status, completion_reason from consultations where id = ${consultation.consultationId}`)[0], { timeout: 10_000 })
        .toMatchObject({ status: "Completed", completion_reason: "timeout" });
      const stays = await db`
        select a.end_reason, p.role from room_attendances a join room_participants p on p.id = a.participant_id
        join rooms r on r.id = a.room_id where r.consultation_id = ${consultation.consultationId} order by a.joined_at`;
      expect(stays.map((s) => `${s.role}:${s.end_reason}`).sort()).toEqual(["patient:left", "patient:timeout", "provider:timeout"]);

      // The link now says the consultation has ended.
      await patient.page.reload();
      await expect(patient.page.getByRole("heading", { name: "This consultation has ended" })).toBeVisible();
    } finally {
      await db.end();
      await patient.context.close();
      await provider.context.close();
    }
  });

  test("joining while offline says network_unavailable; back online, joining works", async ({ browser, request }) => {
    const consultation = await createConsultation(request);
    const patient = await newCallPage(browser);
    await patient.page.goto(pathOf(consultation.patientUrl));
    await enterPin(patient.page, consultation.pin);
    await expect(patient.page.getByTestId("join-call")).toBeEnabled();
    await patient.context.setOffline(true);
    await patient.page.getByTestId("join-call").click();
    await expect(patient.page.locator("[data-problem]")).toHaveAttribute("data-problem", "network_unavailable");
    await expect(patient.page.getByText("You are offline")).toBeVisible();
    await patient.context.setOffline(false);
    await patient.page.getByTestId("join-call").click();
    await expectCallState(patient.page, "waiting");
    await patient.context.close();
  });

  test("with one camera the swap camera action is hidden", async ({ browser, request }) => {
    const consultation = await createConsultation(request);
    const patient = await newCallPage(browser);
    await joinCall(patient.page, consultation.patientUrl, consultation.pin);
    await expectCallState(patient.page, "waiting");
    await expect(patient.page.getByTestId("toggle-audio")).toBeVisible();
    await expect(patient.page.getByTestId("swap-camera")).toHaveCount(0);
    await patient.context.close();
  });
});

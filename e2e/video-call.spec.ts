import { expect, test } from "@playwright/test";
import { createConsultation, expectCallState, expectMediaFlowing, joinCall, newCallPage, specDatabase } from "./call";

test.describe("video call between a patient and a provider", () => {
  test("both join with the PIN, see and hear each other, and the provider ends it for everyone", async ({ browser, request }) => {
    const consultation = await createConsultation(request);
    const patient = await newCallPage(browser);
    const provider = await newCallPage(browser);

    await test.step("the patient joins first and waits for the provider", async () => {
      await joinCall(patient.page, consultation.patientUrl, consultation.pin);
      await expectCallState(patient.page, "waiting");
      await expect(patient.page.getByTestId("call-state")).toHaveText("Waiting for Dr. Ana Martínez to join");
    });

    await test.step("the provider joins; video and audio flow both ways", async () => {
      await joinCall(provider.page, consultation.providerUrl, consultation.pin);
      await expectCallState(patient.page, "active");
      await expectCallState(provider.page, "active");
      await expectMediaFlowing(patient.page);
      await expectMediaFlowing(provider.page);
      await expect(patient.page.getByTestId("participant-label")).toHaveText("Dr. Ana Martínez · Provider");
      await expect(provider.page.getByTestId("participant-label")).toHaveText("María García López · Patient");
    });

    await test.step("mute and stop video are seen by the other side", async () => {
      await patient.page.getByTestId("toggle-audio").click();
      await expect(provider.page.getByTestId("remote-muted")).toBeVisible();
      await patient.page.getByTestId("toggle-video").click();
      await expect(provider.page.getByTestId("remote-camera-off")).toBeVisible();
      await patient.page.getByTestId("toggle-audio").click();
      await patient.page.getByTestId("toggle-video").click();
      await expect(provider.page.getByTestId("remote-muted")).toBeHidden();
      await expect(provider.page.getByTestId("remote-camera-off")).toBeHidden();
    });

    await test.step("the patient's network drops: reconnecting, then active again", async () => {
      await patient.context.setOffline(true);
      await expectCallState(patient.page, "reconnecting");
      await patient.context.setOffline(false);
      await expectCallState(patient.page, "active", 20_000);
      await expectMediaFlowing(provider.page);
    });

    await test.step("the provider ends the consultation for everyone", async () => {
      await provider.page.getByTestId("end-call").click();
      await provider.page.getByRole("button", { name: "End consultation for everyone" }).click();
      await expectCallState(provider.page, "ended");
      await expectCallState(patient.page, "ended");
    });

    await test.step("the consultation is Completed and its events are in the outbox", async () => {
      const db = specDatabase();
      try {
        const [row] = await db`select status, completion_reason from consultations where id = ${consultation.consultationId}`;
        expect(row).toMatchObject({ status: "Completed", completion_reason: "ended_by_provider" });
        const events = await db`select event, payload from outbox_events where aggregate_id = ${consultation.consultationId} order by occurred_at, event`;
        const names = events.map((e) => e.event);
        expect(names.filter((n) => n === "session_started")).toHaveLength(2);
        expect(names.filter((n) => n === "session_ended")).toHaveLength(2);
        expect(names).toContain("consultation.created");
        expect(names.filter((n) => n === "consultation.completed")).toHaveLength(1);
        const attendances = await db`select end_reason from room_attendances a join rooms r on r.id = a.room_id where r.consultation_id = ${consultation.consultationId}`;
        expect(attendances.map((a) => a.end_reason).sort()).toEqual(["ended", "ended"]);
      } finally {
        await db.end();
      }
    });

    await patient.context.close();
    await provider.context.close();
  });
});

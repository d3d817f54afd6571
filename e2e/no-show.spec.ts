import { randomBytes, randomInt } from "node:crypto";
import { expect, test } from "@playwright/test";
import { checkPage, VIEWPORTS } from "./a11y";
import { demoAuthorization, startWebhookReceiver } from "./api";
import { createConsultation, expectCallState, joinCall, newCallPage } from "./call";
import { signIn, staff } from "./staff";

/**
 * A consultation the patient never joins: the provider joins with the fake camera, waits alone
 * and ends it. Then the API says `noShow: "patient"`, the dashboard's no-show filter finds it
 * (with its badge), and the clinic's webhook receiver got `consultation.completed` saying so.
 */

test("the patient never joins: the provider ends it, and the API, the dashboard filter and consultation.completed say noShow patient", async ({ browser, page, request }) => {
  test.setTimeout(120_000);
  const receiver = await startWebhookReceiver(request, ["consultation.completed"]);
  try {
    const patientName = `Paciente Ausente ${randomBytes(3).toString("hex")}`;
    const consultation = await createConsultation(request, {
      patient: { documentType: "CC", documentNumber: String(randomInt(1_000_000_000, 9_999_999_999)), name: patientName, phone: "+573001234567", email: "p@example.com" },
    });

    await test.step("the provider joins with the fake camera, waits alone, and ends it for everyone", async () => {
      const provider = await newCallPage(browser);
      await joinCall(provider.page, consultation.providerUrl, consultation.pin);
      await expectCallState(provider.page, "waiting");
      await provider.page.getByTestId("end-call").click();
      await provider.page.getByRole("button", { name: "End consultation for everyone" }).click();
      await expectCallState(provider.page, "ended");
      await provider.context.close();
    });

    await test.step("the API reads noShow patient, and the list finds it by noShow", async () => {
      const one = await request.get(`/api/consultations/${consultation.consultationId}`, { headers: demoAuthorization() });
      expect(one.status()).toBe(200);
      expect((await one.json()).data).toMatchObject({ consultationId: consultation.consultationId, status: "Completed", noShow: "patient" });
      const listed = await request.get("/api/consultations?noShow=patient&limit=100", { headers: demoAuthorization() });
      expect(listed.status()).toBe(200);
      const ids = ((await listed.json()).data as { consultationId: string; noShow: string }[]).map((c) => [c.consultationId, c.noShow]);
      expect(ids).toContainEqual([consultation.consultationId, "patient"]);
    });

    await test.step("the receiver got consultation.completed with noShow patient, and no name", async () => {
      await expect.poll(() => receiver.received.find((r) => r.data.consultationId === consultation.consultationId), { timeout: 20_000 }).toBeTruthy();
      const completed = receiver.received.find((r) => r.data.consultationId === consultation.consultationId)!;
      expect(completed.event).toBe("consultation.completed");
      expect(completed.data).toMatchObject({ status: "Completed", completionReason: "ended_by_provider", noShow: "patient" });
      expect(completed.raw).not.toContain(patientName);
    });

    await test.step("a scheduler filters the table on who didn't come (the patient) and finds it, with its badge", async () => {
      const scheduler = await staff("scheduler");
      await signIn(page, scheduler.email);
      await expect(page.getByRole("heading", { level: 1, name: "Consultations" })).toBeVisible();
      await page.getByLabel("Who didn't come").selectOption({ label: "The patient" });
      await page.getByLabel("Patient", { exact: true }).fill(patientName);
      await page.getByRole("button", { name: "Apply filters" }).click();
      await expect(page).toHaveURL(/noShow=patient/);
      await expect(page.getByLabel("Who didn't come")).toHaveValue("patient");
      const row = page.getByRole("table").getByRole("row").filter({ has: page.locator(`a[href="/dashboard/consultations/${consultation.consultationId}"]`) });
      await expect(row).toContainText("Completed");
      await expect(row).toContainText("Patient didn't come");
      await expect(page.getByText("1–1 of 1 consultation")).toBeVisible();
      await checkPage(page, "no-show-filter-desktop", { fullPage: true });
      await page.setViewportSize(VIEWPORTS.phone);
      await expect(row).toContainText("Patient didn't come");
      await checkPage(page, "no-show-filter-phone", { fullPage: true });
      // In Italian (the longest words) the filter and the badge still fit a phone.
      await page.getByRole("group", { name: "Your account" }).getByRole("combobox").selectOption("it");
      await expect(page.getByLabel("Chi non si è presentato")).toHaveValue("patient");
      await expect(row).toContainText("Il paziente non si è presentato");
      await checkPage(page, "no-show-filter-phone-it", { fullPage: true });
      await page.getByRole("group", { name: "Il tuo account" }).getByRole("combobox").selectOption("en");
      await expect(page.getByLabel("Who didn't come")).toBeVisible();
      await page.setViewportSize(VIEWPORTS.desktop);

      // The other side's filter does not find it.
      await page.getByLabel("Who didn't come").selectOption({ label: "The provider" });
      await page.getByRole("button", { name: "Apply filters" }).click();
      await expect(page).toHaveURL(/noShow=provider/);
      await expect(page.getByText("No consultations match these filters.")).toBeVisible();
    });
  } finally {
    await receiver.close();
  }
});

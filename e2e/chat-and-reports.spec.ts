import { expect, test, type Page } from "@playwright/test";
import { createConsultation, expectCallState, joinCall, newCallPage, specDatabase, startCall } from "./call";

async function sendChat(page: Page, text: string): Promise<void> {
  await page.getByTestId("chat-input").fill(text);
  await page.getByTestId("chat-input").press("Enter");
  await expect(page.getByTestId("chat-message").filter({ hasText: text }).last()).not.toHaveAttribute("data-pending", "true");
}

const texts = (page: Page) => page.getByTestId("chat-message").locator("p:nth-child(2)").allTextContents();

test.describe("in the call: chat and report issue", () => {
  test("a chat message goes both ways, counts as unread until opened, and survives a reload", async ({ browser, request }) => {
    const consultation = await createConsultation(request);
    const patient = await newCallPage(browser);
    const provider = await newCallPage(browser, { viewport: { width: 1280, height: 800 } });
    await joinCall(patient.page, consultation.patientUrl, consultation.pin);
    await joinCall(provider.page, consultation.providerUrl, consultation.pin);
    await expectCallState(patient.page, "active");

    await test.step("the provider writes; the patient sees an unread count on the Chat button", async () => {
      await provider.page.getByTestId("toggle-chat").click();
      await expect(provider.page.getByTestId("chat-panel")).toBeVisible();
      await expect(provider.page.getByText("Up to 1,000 characters")).toBeVisible();
      await sendChat(provider.page, "Good morning María, how is the cough?");
      await sendChat(provider.page, "<b>Take</b> the syrup & rest");
      await expect(patient.page.getByTestId("chat-unread")).toHaveText("2");
      await expect(patient.page.getByTestId("toggle-chat")).toHaveAccessibleName("Chat, 2 unread");
    });

    await test.step("the patient opens the chat: the count clears, text is shown as text, and the reply arrives", async () => {
      await patient.page.getByTestId("toggle-chat").click();
      await expect(patient.page.getByTestId("chat-unread")).toHaveCount(0);
      expect(await texts(patient.page)).toEqual(["Good morning María, how is the cough?", "<b>Take</b> the syrup & rest"]);
      await expect(patient.page.getByTestId("chat-messages").locator("b")).toHaveCount(0);
      await sendChat(patient.page, "Better, thank you doctor");
      await expect(provider.page.getByTestId("chat-message").filter({ hasText: "Better, thank you doctor" })).toBeVisible();
      await expect(provider.page.getByTestId("chat-message").last()).toContainText("María García López · Patient");
      await provider.page.screenshot({ path: "test-results/screens/chat-desktop.png" });
    });

    await test.step("after a reload the patient's chat is all there, in order, and nothing is unread", async () => {
      await patient.page.reload();
      // A reload mid-call goes straight back in (no device check again).
      await expectCallState(patient.page, "active");
      await expect(patient.page.getByTestId("chat-unread")).toHaveCount(0);
      await patient.page.getByTestId("toggle-chat").click();
      await expect(patient.page.getByTestId("chat-message")).toHaveCount(3);
      expect(await texts(patient.page)).toEqual(["Good morning María, how is the cough?", "<b>Take</b> the syrup & rest", "Better, thank you doctor"]);
      await patient.page.getByTestId("toggle-chat").click();
      await sendChat(provider.page, "See you next week");
      await expect(patient.page.getByTestId("chat-unread")).toHaveText("1");
    });

    await test.step("the transcript is stored with the consultation, in order, with roles", async () => {
      const sql = specDatabase();
      try {
        const rows = await sql<{ sender_role: string; body: string }[]>`
          select m.sender_role, m.body from chat_messages m join rooms r on r.id = m.room_id
          where r.consultation_id = ${consultation.consultationId} order by m.id`;
        expect(rows.map((r) => [r.sender_role, r.body])).toEqual([
          ["provider", "Good morning María, how is the cough?"],
          ["provider", "<b>Take</b> the syrup & rest"],
          ["patient", "Better, thank you doctor"],
          ["provider", "See you next week"],
        ]);
      } finally {
        await sql.end();
      }
    });
    await patient.context.close();
    await provider.context.close();
  });

  test("on a phone the chat is a sheet over the video", async ({ browser, request }) => {
    const consultation = await createConsultation(request);
    const patient = await newCallPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const provider = await newCallPage(browser);
    await joinCall(patient.page, consultation.patientUrl, consultation.pin);
    await joinCall(provider.page, consultation.providerUrl, consultation.pin);
    await expectCallState(patient.page, "active");
    await provider.page.getByTestId("toggle-chat").click();
    await sendChat(provider.page, "Can you show me the rash on your arm?");
    await patient.page.getByTestId("toggle-chat").click();
    const sheet = patient.page.getByTestId("chat-panel");
    await expect(sheet).toBeVisible();
    const box = (await sheet.boundingBox())!;
    const controls = (await patient.page.getByRole("navigation", { name: "Call controls" }).boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(390);
    // Over the video, down to the controls, which stay in reach.
    expect(Math.abs(box.y + box.height - controls.y)).toBeLessThan(2);
    expect(box.height).toBeGreaterThan(400);
    await sendChat(patient.page, "Yes, one moment");
    await patient.page.screenshot({ path: "test-results/screens/chat-phone.png" });
    // Escape closes it and the controls are reachable again.
    await patient.page.getByTestId("chat-input").press("Escape");
    await expect(sheet).toBeHidden();
    await patient.context.close();
    await provider.context.close();
  });

  test("an issue report is stored with the connection's statistics and confirmed", async ({ browser, request }) => {
    const { consultation, patient, provider } = await startCall(browser, request);

    await patient.page.getByTestId("report-issue").click();
    const form = patient.page.getByTestId("report-form");
    await expect(form).toBeVisible();
    await form.getByRole("button", { name: "Send report" }).click();
    await expect(form.getByRole("alert")).toHaveText("Choose what the problem is about.");
    await form.getByLabel("Picture").check();
    await form.getByLabel(/What happened/).fill("The doctor's video froze for a few seconds");
    await patient.page.screenshot({ path: "test-results/screens/report-form.png" });
    await form.getByRole("button", { name: "Send report" }).click();
    await expect(patient.page.getByTestId("report-sent")).toContainText("the clinic has your report");
    await patient.page.screenshot({ path: "test-results/screens/report-sent.png" });
    await patient.page.getByRole("button", { name: "Back to the call" }).click();
    await expectCallState(patient.page, "active");

    const sql = specDatabase();
    try {
      const [report] = await sql<{ category: string; reporter_role: string; description: string; browser: string; connection_stats: Record<string, unknown> }[]>`
        select category, reporter_role, description, browser, connection_stats from issue_reports where consultation_id = ${consultation.consultationId}`;
      expect(report).toMatchObject({ category: "video", reporter_role: "patient", description: "The doctor's video froze for a few seconds" });
      expect(report!.browser).toMatch(/^Chrome \d+ on \w+/); // the device profile's user agent
      const stats = report!.connection_stats;
      expect(stats.transport).toBe("p2p");
      expect(stats.candidateType).toMatch(/^(host|srflx|prflx|relay)$/);
      expect(typeof stats.roundTripTimeMs).toBe("number");
      expect(stats.packetLossPercent).toBeGreaterThanOrEqual(0);
      expect(stats.inboundBitrateKbps).toBeGreaterThan(0);
      expect(stats.outboundBitrateKbps).toBeGreaterThan(0);
    } finally {
      await sql.end();
    }
    await patient.context.close();
    await provider.context.close();
  });
});


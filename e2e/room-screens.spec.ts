import { expect, test } from "@playwright/test";
import { checkPage as check, VIEWPORTS } from "./a11y";
import { createConsultation, enterPin, expectCallState, joinCall, newCallPage, pathOf } from "./call";

/**
 * Every screen of the join link and the call, on a desktop and a phone: no serious or
 * critical accessibility violation, nothing wider than the screen, controls reachable by
 * keyboard. Screenshots land in test-results/screens/ for people to look at.
 */
for (const [device, viewport] of Object.entries(VIEWPORTS)) {
  test(`join page, device check and call on ${device}`, async ({ browser, request }) => {
    // Eleven screens, each checked by axe, and a call between two browsers: about 30 s alone,
    // and past two minutes on a 2-core CI machine while the other worker starts app instances.
    test.setTimeout(240_000);
    const consultation = await createConsultation(request);
    const options = device === "phone" ? { viewport, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : { viewport };
    const patient = await newCallPage(browser, options);
    const provider = await newCallPage(browser, { viewport: VIEWPORTS.desktop });

    await patient.page.goto(pathOf(consultation.patientUrl));
    await expect(patient.page.getByLabel("6-digit PIN")).toHaveAttribute("inputmode", "numeric");
    await check(patient.page, `${device}-1-join`);

    await enterPin(patient.page, consultation.pin === "000000" ? "111111" : "000000");
    await expect(patient.page.getByTestId("pin-error")).toContainText("not right");
    await check(patient.page, `${device}-2-wrong-pin`);

    await enterPin(patient.page, consultation.pin);
    await expect(patient.page.getByTestId("join-call")).toBeEnabled();
    await check(patient.page, `${device}-3-device-check`);

    await patient.page.getByTestId("join-call").click();
    await expectCallState(patient.page, "waiting");
    await check(patient.page, `${device}-4-waiting`);

    await joinCall(provider.page, consultation.providerUrl, consultation.pin);
    await expectCallState(patient.page, "active");
    await patient.page.getByTestId("toggle-audio").focus();
    await patient.page.keyboard.press("Enter"); // by keyboard
    await expect(patient.page.getByTestId("toggle-audio")).toHaveAttribute("aria-pressed", "true");
    await patient.page.waitForTimeout(1000); // a few frames into the video
    // The other person fills most of the screen; the controls sit at the bottom.
    const remote = (await patient.page.getByTestId("remote-video").boundingBox())!;
    expect(remote.height * remote.width).toBeGreaterThan(viewport.width * viewport.height * 0.4);
    const controls = (await patient.page.getByRole("navigation", { name: "Call controls" }).boundingBox())!;
    expect(controls.y + controls.height).toBeGreaterThan(viewport.height - 2);
    await check(patient.page, `${device}-5-call`);
    await check(provider.page, `${device}-6-provider-call`);

    // The chat and the report form, opened and used by keyboard.
    await patient.page.getByTestId("toggle-chat").focus();
    await patient.page.keyboard.press("Enter");
    await expect(patient.page.getByTestId("chat-input")).toBeFocused();
    await patient.page.keyboard.type("Hello, can you hear me?");
    await patient.page.keyboard.press("Enter");
    await expect(patient.page.getByTestId("chat-message")).toHaveCount(1);
    await check(patient.page, `${device}-6a-chat`);
    await patient.page.keyboard.press("Escape");
    await expect(patient.page.getByTestId("chat-panel")).toBeHidden();
    await patient.page.getByTestId("report-issue").focus();
    await patient.page.keyboard.press("Enter");
    await expect(patient.page.getByTestId("report-form")).toBeVisible();
    await check(patient.page, `${device}-6b-report`);
    await patient.page.getByRole("button", { name: "Cancel" }).click();
    await expect(patient.page.getByTestId("report-form")).toBeHidden();

    await provider.page.getByTestId("end-call").click();
    await expect(provider.page.getByRole("dialog")).toBeVisible();
    await check(provider.page, `${device}-7-end-dialog`);
    await provider.page.getByRole("button", { name: "End consultation for everyone" }).click();
    await expectCallState(patient.page, "ended");
    await check(patient.page, `${device}-8-ended`);

    await patient.context.close();
    await provider.context.close();
  });
}

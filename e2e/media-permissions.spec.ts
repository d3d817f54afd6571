import { expect, test } from "@playwright/test";
import { createConsultation, enterPin, newCallPage, pathOf } from "./call";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium";

// Fake devices but no --use-fake-ui-for-media-stream: headless Chromium refuses the prompt,
// as a person pressing Block would; a context's `permissions` grant one device back.
test.use({ launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, "--use-fake-device-for-media-stream"] } });

test("a denied camera shows camera_permission_required and blocks joining", async ({ browser, request }) => {
  const consultation = await createConsultation(request);
  const { context, page } = await newCallPage(browser);
  await page.goto(pathOf(consultation.patientUrl));
  await enterPin(page, consultation.pin);
  await expect(page.locator("[data-problem]")).toHaveAttribute("data-problem", "camera_permission_required");
  await expect(page.getByText("Camera access is blocked")).toBeVisible();
  await expect(page.getByTestId("join-call")).toBeDisabled();
  await context.close();
});

test("a denied microphone alone shows microphone_permission_required", async ({ browser, request }) => {
  const consultation = await createConsultation(request);
  const { context, page } = await newCallPage(browser, { permissions: ["camera"] });
  await page.goto(pathOf(consultation.patientUrl));
  await enterPin(page, consultation.pin);
  await expect(page.locator("[data-problem]")).toHaveAttribute("data-problem", "microphone_permission_required");
  await expect(page.getByText("Microphone access is blocked")).toBeVisible();
  await expect(page.getByTestId("join-call")).toBeDisabled();
  await context.close();
});

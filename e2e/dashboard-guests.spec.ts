import { expect, test } from "@playwright/test";
import { checkPage, VIEWPORTS } from "./a11y";
import { createConsultation, enterPin, newCallPage, pathOf } from "./call";
import { signIn, staff } from "./staff";

/**
 * A scheduler adds an interpreter to a consultation from its page, by keyboard; the interpreter
 * opens their own link with the consultation's PIN and reaches the device check. A bad name is
 * refused at its field.
 */
test("staff add a guest to a consultation, and the guest's link opens with the consultation's PIN", async ({ browser, page, request }) => {
  test.setTimeout(180_000);
  const consultation = await createConsultation(request);
  const scheduler = await staff("scheduler");
  await page.setViewportSize(VIEWPORTS.desktop);
  await signIn(page, scheduler.email);
  await expect(page).toHaveURL(/\/dashboard\/consultations$/);
  await page.goto(`/dashboard/consultations/${consultation.consultationId}`);

  const guests = page.getByRole("region", { name: "Guests" });
  await expect(guests).toContainText("No guests.");
  const form = guests.getByRole("form", { name: "Add a guest" });
  await form.getByLabel("Guest's name").fill("   ");
  await form.getByLabel("Guest's name").press("Enter");
  await expect(form.locator("#guest-name-error")).toContainText("Guest's name");

  await form.getByLabel("Guest's name").fill("Giulia Rossi");
  await form.getByLabel("Who they are").selectOption("interpreter");
  await form.getByLabel("Who they are").focus();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(guests.getByRole("status")).toContainText("Giulia Rossi added");
  const link = guests.getByLabel("Link for Giulia Rossi");
  await expect(link).toHaveValue(/\/join\/[A-Za-z0-9_-]{43}\?type=guest$/);
  const url = await link.inputValue();
  await checkPage(page, "consultation-guests-desktop");
  await page.setViewportSize(VIEWPORTS.phone);
  await checkPage(page, "consultation-guests-phone", { fullPage: true });

  // The guest's link: the provider's name, the PIN, then the device check.
  const guest = await newCallPage(browser, { viewport: VIEWPORTS.phone });
  await guest.page.goto(pathOf(url));
  await expect(guest.page.getByText("Dr. Ana Martínez").first()).toBeVisible();
  await enterPin(guest.page, consultation.pin);
  await expect(guest.page.getByTestId("join-call")).toBeEnabled({ timeout: 30_000 });
  await guest.context.close();
});

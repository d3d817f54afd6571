import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { demoAuthorization } from "./api";
import { checkPage as check, VIEWPORTS } from "./a11y";
import { createConsultation, enterPin, expectCallState, newCallPage, pathOf } from "./call";

/**
 * A group call on the peer-to-peer mesh, as the call screen shows it: a consultation's patient
 * and provider, and guests (an interpreter, a relative) who join with their own link and the
 * same PIN, added through the API (`POST /api/consultations/{id}/guests`).
 * Every page shows every other person in a tile with their name and part, and marks who speaks.
 */

/** A guest of the consultation with their own join link, added the way a clinic's system adds one: `POST /api/consultations/{id}/guests`. */
async function addGuest(request: APIRequestContext, consultationId: string, guest: { name: string; kind: "interpreter" | "companion" }): Promise<string> {
  const response = await request.post(`/api/consultations/${consultationId}/guests`, { headers: demoAuthorization(), data: guest });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()).data.joinUrl;
}

/**
 * joinCall (./call.ts), with the patience a loaded machine needs: with three calls already
 * running on it, a fourth browser's device check took more than 10 s to open the camera.
 */
async function joinCall(page: Page, url: string, pin: string): Promise<void> {
  await page.goto(pathOf(url));
  await enterPin(page, pin);
  const join = page.getByTestId("join-call");
  await expect(join).toBeEnabled({ timeout: 45_000 });
  await join.click();
  await expect(page.getByTestId("call-state")).toBeVisible({ timeout: 30_000 });
}

/** Every remote tile's name and part on this page, sorted. */
async function labels(page: Page): Promise<string[]> {
  const names = await page.getByTestId("remote-label").evaluateAll((captions) => captions.map((c) => c.querySelector("span")?.textContent ?? ""));
  return names.sort();
}

/** Every other person's video is decoding on this page (frames with a size), and the page itself does not scroll. */
async function expectEveryoneSeen(page: Page, others: number): Promise<void> {
  await expect(page.getByTestId("remote-tile")).toHaveCount(others);
  await expect
    .poll(() => page.getByTestId("remote-video").evaluateAll((videos) => (videos as HTMLVideoElement[]).filter((v) => v.videoWidth > 0 && v.currentTime > 0).length), {
      timeout: 60_000,
    })
    .toBe(others);
}

/** The tiles (the others' and your own) lie inside the stage without overlapping, and the page fits the screen. */
async function expectGridFits(page: Page): Promise<void> {
  const stage = (await page.getByTestId("call-stage").boundingBox())!;
  const boxes = [...(await Promise.all((await page.getByTestId("remote-tile").all()).map((t) => t.boundingBox()))), await page.getByTestId("self-tile").boundingBox()].map((b) => b!);
  for (const box of boxes) {
    expect(box.x).toBeGreaterThanOrEqual(stage.x - 1);
    expect(box.y).toBeGreaterThanOrEqual(stage.y - 1);
    expect(box.x + box.width).toBeLessThanOrEqual(stage.x + stage.width + 1);
    expect(box.y + box.height).toBeLessThanOrEqual(stage.y + stage.height + 1);
    expect(box.width * box.height).toBeGreaterThan((stage.width * stage.height) / (boxes.length + 2));
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      const overlap = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 1 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 1;
      expect(overlap, `tiles ${i} and ${j} overlap`).toBe(false);
    }
  }
  const scroll = await page.evaluate(() => ({
    x: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    y: document.documentElement.scrollHeight - document.documentElement.clientHeight,
  }));
  expect(scroll).toEqual({ x: 0, y: 0 });
}

test("a consultation with a guest: a tile each with name and part, the speaker marked, the guest only leaves, the provider ends it for everyone", async ({ browser, request }) => {
  // Three browsers, each sending to and decoding two: slow on a shared 2-core machine (the axe
  // checks of the loaded pages alone took a minute or more there). Four people in one call are
  // e2e/room-group-call.spec.ts's.
  test.setTimeout(360_000);
  const consultation = await createConsultation(request);
  const interpreterUrl = await addGuest(request, consultation.consultationId, { name: "Luca Rossi", kind: "interpreter" });
  const provider = await newCallPage(browser, { viewport: VIEWPORTS.desktop });
  const patient = await newCallPage(browser, { viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const interpreter = await newCallPage(browser, { viewport: VIEWPORTS.desktop });
  const everyone = [provider, patient, interpreter];

  await test.step("three join; everyone sees the other two in a grid", async () => {
    await joinCall(provider.page, consultation.providerUrl, consultation.pin);
    await joinCall(patient.page, consultation.patientUrl, consultation.pin);
    await joinCall(interpreter.page, interpreterUrl, consultation.pin);
    for (const { page } of everyone) {
      await expectCallState(page, "active", 30_000);
      await expectEveryoneSeen(page, 2);
      await expect(page.getByTestId("call-stage")).toHaveAttribute("data-layout", "grid");
    }
    expect(await labels(provider.page)).toEqual(["Luca Rossi · Guest", "María García López · Patient"]);
    expect(await labels(patient.page)).toEqual(["Dr. Ana Martínez · Provider", "Luca Rossi · Guest"]);
    expect(await labels(interpreter.page)).toEqual(["Dr. Ana Martínez · Provider", "María García López · Patient"]);
    await expect(provider.page.getByTestId("participant-label")).toHaveText(/^In call with (María García López and Luca Rossi|Luca Rossi and María García López)$/);
  });

  await test.step("only the patient's microphone is on: the others' screens mark the patient as speaking", async () => {
    await provider.page.getByTestId("toggle-audio").click();
    await interpreter.page.getByTestId("toggle-audio").click();
    for (const { page } of [provider, interpreter]) {
      const patientTile = page.getByTestId("remote-tile").filter({ hasText: "María García López" });
      await expect(patientTile).toHaveAttribute("data-speaking", "true", { timeout: 15_000 });
      await expect(patientTile.getByTestId("remote-speaking")).toHaveText(", speaking");
      await expect(page.getByTestId("remote-tile").filter({ hasText: "Muted" })).toHaveAttribute("data-speaking", "false");
    }
    await expect(patient.page.getByTestId("remote-muted")).toHaveCount(2);
  });

  for (const { page } of everyone) await expectGridFits(page);
  await check(provider.page, "group-3-desktop");
  await check(patient.page, "group-3-phone");

  await test.step("a guest cannot end the call for everyone; the provider can", async () => {
    // A guest's End only leaves (no dialog); the two others stay in the call.
    await interpreter.page.getByTestId("end-call").click();
    await expect(interpreter.page.getByRole("dialog")).toBeHidden();
    await expect(interpreter.page.getByTestId("call-over")).toContainText("You left the call");
    // The guest's leave reaches the others through the server's room stream; on a loaded 2-core
    // machine (three browsers beside another spec's call) that has taken more than 10 s.
    for (const { page } of [provider, patient]) await expect(page.getByTestId("remote-tile")).toHaveCount(1, { timeout: 30_000 });
    await expectCallState(patient.page, "active");

    await provider.page.getByTestId("end-call").click();
    await provider.page.getByRole("button", { name: "End consultation for everyone" }).click();
    for (const { page } of [provider, patient]) await expectCallState(page, "ended");
  });

  for (const { context } of everyone) await context.close();
});

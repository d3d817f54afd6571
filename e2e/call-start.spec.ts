import { expect, test, type Page } from "@playwright/test";
import { VIEWPORTS } from "./a11y";
import { createRoom, demoAuthorization } from "./api";
import { createConsultation, enterPin, expectCallState, expectMediaFlowing, joinCall, newCallPage, pathOf, startCall } from "./call";

/**
 * The start and the end of a call, as the two people see them: both pressing Join at the same
 * moment, a reload in the middle of the call, and the page after the end, without a reload.
 */

/** Every page's connections' signaling states, in order: who made an offer, and whether one was taken back for the other's. */
const RECORD_SIGNALING = `(() => {
  const Original = window.RTCPeerConnection;
  window.__signaling = [];
  window.RTCPeerConnection = class extends Original {
    constructor(...args) {
      super(...args);
      const states = [];
      window.__signaling.push(states);
      this.addEventListener("signalingstatechange", () => states.push(this.signalingState));
    }
  };
})();`;

/** The page as it is, at the desktop and the phone size, for a person to look at. */
async function screens(page: Page, name: string): Promise<void> {
  const dir = `${process.env.E2E_OUTPUT_DIR ?? "test-results"}/screens`;
  for (const size of ["desktop", "phone"] as const) {
    await page.setViewportSize(VIEWPORTS[size]);
    await page.screenshot({ path: `${dir}/${name}-${size}.png`, fullPage: true });
  }
}

async function signalingOf(page: Page): Promise<string[][]> {
  return page.evaluate(() => (window as unknown as { __signaling: string[][] }).__signaling);
}

/** Opens the link, types the PIN and waits on the device check with Join enabled. */
async function toDeviceCheck(page: Page, url: string, pin: string): Promise<void> {
  await page.goto(pathOf(url));
  await enterPin(page, pin);
  await expect(page.getByTestId("join-call")).toBeEnabled();
}

/** Everything the card says about whether one can join: nothing of it may be left once the call is over. */
async function expectEndedEverywhere(page: Page, what: "consultation" | "call"): Promise<void> {
  await expectCallState(page, "ended");
  await expect(page.getByRole("heading", { name: what === "consultation" ? "The consultation has ended" : "The call has ended" })).toBeVisible();
  await expect(page.getByTestId("consultation-state")).toHaveText("Ended");
  const text = await page.locator("main").innerText();
  expect(text).not.toMatch(/open|can join|join now|in progress/i);
  await expect(page.getByTestId("join-call")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Rejoin the call" })).toHaveCount(0);
}

test("both press Join at the same moment: one side offers, no offer is taken back, the call comes up", async ({ browser, request }) => {
  const consultation = await createConsultation(request);
  const patient = await newCallPage(browser);
  const provider = await newCallPage(browser);
  try {
    for (const person of [patient, provider]) await person.context.addInitScript(RECORD_SIGNALING);
    await toDeviceCheck(patient.page, consultation.patientUrl, consultation.pin);
    await toDeviceCheck(provider.page, consultation.providerUrl, consultation.pin);
    // One moment on the machine's clock for both pages (a click from Playwright reaches one page after the other).
    const at = Date.now() + 500;
    for (const { page } of [patient, provider]) {
      await page.evaluate((epoch) => {
        setTimeout(() => (document.querySelector('[data-testid="join-call"]') as HTMLButtonElement).click(), epoch - Date.now());
      }, at);
    }
    await expectCallState(patient.page, "active");
    await expectCallState(provider.page, "active");
    await expectMediaFlowing(patient.page);
    await expectMediaFlowing(provider.page);

    const [mine, theirs] = [await signalingOf(patient.page), await signalingOf(provider.page)];
    expect(mine).toHaveLength(1);
    expect(theirs).toHaveLength(1);
    const offered = [mine[0]!, theirs[0]!].filter((states) => states[0] === "have-local-offer");
    expect(offered, "exactly one page made the first offer").toHaveLength(1);
    for (const states of [mine[0]!, theirs[0]!]) {
      // A rollback shows as have-local-offer, then stable, then have-remote-offer.
      expect(states.join(">")).not.toContain("have-local-offer>stable>have-remote-offer");
    }
  } finally {
    await patient.context.close();
    await provider.context.close();
  }
});

test("a reload in the middle of the call goes straight back in, muted as before", async ({ browser, request }) => {
  const { patient, provider } = await startCall(browser, request);
  try {
    await expectMediaFlowing(provider.page);
    await patient.page.getByTestId("toggle-audio").click();
    await expect(patient.page.getByTestId("toggle-audio")).toHaveAttribute("aria-pressed", "true");

    const reloaded = Date.now();
    await patient.page.reload();
    await expectCallState(patient.page, "active");
    const back = Date.now() - reloaded;
    console.log(`reload mid-call -> data-call-state="active" again: ${back} ms`);
    // Straight back: no device check on the way, and the microphone still off.
    await expect(patient.page.getByTestId("join-call")).toHaveCount(0);
    await expect(patient.page.getByTestId("toggle-audio")).toHaveAttribute("aria-pressed", "true");
    await expectMediaFlowing(patient.page);
    await expectCallState(provider.page, "active");
    const frames = async () => (await provider.page.evaluate(() => {
      const pcs = ((window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections).filter((pc) => pc.connectionState === "connected");
      return pcs.length;
    }));
    expect(await frames(), "the provider is connected to the reloaded page only").toBe(1);

    // Once the patient has left, a reload shows the device check again, not the call.
    await patient.page.getByTestId("end-call").click();
    await expectCallState(patient.page, "ended");
    await patient.page.reload();
    await expect(patient.page.getByTestId("join-call")).toBeEnabled();
    await expect(patient.page.getByTestId("call-state")).toHaveCount(0);
  } finally {
    await patient.context.close();
    await provider.context.close();
  }
});

test("after 'end for everyone' both pages say ended at once, and nothing on them says the consultation is open", async ({ browser, request }) => {
  const consultation = await createConsultation(request);
  const patient = await newCallPage(browser);
  const provider = await newCallPage(browser);
  try {
    // The patient's page opened before anyone joined: it was served as "Open: you can join now".
    await patient.page.goto(pathOf(consultation.patientUrl));
    await expect(patient.page.getByTestId("consultation-state")).toHaveText("Open: you can join now");
    await enterPin(patient.page, consultation.pin);
    await patient.page.getByTestId("join-call").click();
    await joinCall(provider.page, consultation.providerUrl, consultation.pin);
    await expectCallState(patient.page, "active");

    await provider.page.getByTestId("end-call").click();
    await provider.page.getByRole("button", { name: "End consultation for everyone" }).click();
    await expectEndedEverywhere(provider.page, "consultation");
    await expectEndedEverywhere(patient.page, "consultation");
    await screens(patient.page, "call-ended-consultation");
  } finally {
    await patient.context.close();
    await provider.context.close();
  }
});

test("a standalone room (rl_ links): after the host ends the call, both pages say ended at once", async ({ browser, request }) => {
  const tag = Date.now().toString(36);
  const people = [
    { userExternalId: `start-doctor-${tag}`, groups: ["doctor"], fullName: "Dr. Ana Martínez", language: "en" as const },
    { userExternalId: `start-patient-${tag}`, groups: ["patient"], fullName: "María García López", language: "en" as const },
  ];
  const roomId = await createRoom(request, people);
  const pages: Page[] = [];
  const contexts = [];
  try {
    for (const person of people) {
      const response = await request.get(`/api/teleconsultation/${roomId}`, { headers: { ...demoAuthorization(), "x-user-id": person.userExternalId } });
      expect(response.status(), await response.text()).toBe(200);
      const { accessLinkURL } = (await response.json()) as { accessLinkURL: string };
      const { context, page } = await newCallPage(browser);
      contexts.push(context);
      pages.push(page);
      await page.goto(pathOf(accessLinkURL));
      await page.getByTestId("join-call").click();
      await expect(page.getByTestId("call-state")).toBeVisible();
    }
    const [host, guest] = pages as [Page, Page];
    await expectCallState(guest, "active");
    await host.getByTestId("end-call").click();
    await host.getByRole("button", { name: "End the call for everyone" }).click();
    await expectEndedEverywhere(host, "call");
    await expectEndedEverywhere(guest, "call");
    await screens(guest, "call-ended-room");
  } finally {
    for (const context of contexts) await context.close();
  }
});

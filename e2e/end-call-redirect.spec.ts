import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { connect } from "../db/client";
import { issueApiCredential } from "../lib/auth/api-keys";
import { createOrganization } from "../lib/organizations";
import { createConsultation, expectCallState, joinCall, newCallPage } from "./call";

/**
 * The clinic's page after a call (`end_call_redirect_url`, `end_call_redirect_timeout_ms`): once
 * the call is over, each person's page counts down and goes there after the delay the clinic set,
 * unless they chose to stay. The clinic's site does not exist here (no internet): the browser's
 * requests to it are answered by the test.
 */

const CLINIC_PAGE = "https://clinic.example/after-the-call?from=portal";
const DELAY_MS = 3000;

/** A clinic of its own (its settings must not reach other specs' calls) and its API credential. */
async function clinicCredential(): Promise<string> {
  const db = connect(process.env.E2E_SPEC_DATABASE_URL!, { max: 1 });
  try {
    const organization = await createOrganization(db, { name: `Clínica Redirección ${randomBytes(3).toString("hex")}`, timezone: "America/Bogota", language: "en" });
    return (await issueApiCredential(db, organization.id, "e2e")).bearerToken;
  } finally {
    await db.$client.end();
  }
}

async function setRedirect(request: APIRequestContext, credential: string): Promise<void> {
  // As the contract's example sends it: the credential in `apikey`.
  const response = await request.patch("/api/settings/update", {
    headers: { apikey: credential },
    data: { end_call_redirect_url: CLINIC_PAGE, end_call_redirect_timeout_ms: DELAY_MS },
  });
  expect(response.status(), await response.text()).toBe(200);
  expect((await response.json()).company).toMatchObject({ end_call_redirect_url: CLINIC_PAGE, end_call_redirect_timeout_ms: DELAY_MS });
}

test("when the provider ends the call, the patient's page goes to the clinic's page after the delay; the provider stays", async ({ browser, request }) => {
  const credential = await clinicCredential();
  await setRedirect(request, credential);
  const consultation = await createConsultation(request, {}, { authorization: `Bearer ${credential}` });
  const patient = await newCallPage(browser);
  const provider = await newCallPage(browser);
  for (const person of [patient, provider]) {
    await person.context.route("https://clinic.example/**", (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><title>Clinic</title><h1>Thank you for your visit</h1>" }));
  }

  await joinCall(patient.page, consultation.patientUrl, consultation.pin);
  await joinCall(provider.page, consultation.providerUrl, consultation.pin);
  await expectCallState(patient.page, "active");

  await provider.page.getByTestId("end-call").click();
  await provider.page.getByRole("button", { name: "End consultation for everyone" }).click();
  await expectCallState(provider.page, "ended");
  // The provider stays (their countdown started with the patient's): pressed before it runs out.
  await provider.page.getByRole("button", { name: "Stay on this page" }).click();
  await expectCallState(patient.page, "ended");

  await test.step("the patient sees where they are going, and goes after the delay", async () => {
    const notice = patient.page.getByTestId("end-call-redirect");
    await expect(notice).toContainText("You will be taken to the clinic's page, clinic.example.");
    const shownAt = Date.now();
    await expect(patient.page.getByRole("link", { name: "Go to clinic.example now" })).toHaveAttribute("href", CLINIC_PAGE);
    await patient.page.waitForTimeout(DELAY_MS / 2);
    expect(new URL(patient.page.url()).pathname).toMatch(/^\/join\//);
    await patient.page.waitForURL(CLINIC_PAGE, { timeout: DELAY_MS + 10_000 });
    // Seen a little after it started counting (Playwright polls), so allow that much early.
    expect(Date.now() - shownAt).toBeGreaterThanOrEqual(DELAY_MS - 500);
    await expect(patient.page.getByRole("heading", { name: "Thank you for your visit" })).toBeVisible();
  });

  await test.step("the provider, who chose to stay, stays", async () => {
    await expect(provider.page.getByTestId("redirect-seconds")).toBeHidden();
    expect(new URL(provider.page.url()).pathname).toMatch(/^\/join\//);
    await expect(provider.page.getByRole("link", { name: "Go to clinic.example now" })).toBeVisible();
  });

  await patient.context.close();
  await provider.context.close();
});

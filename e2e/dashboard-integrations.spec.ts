import { createHash, createHmac, randomBytes, randomInt } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { connect } from "../db/client";
import { issueApiCredential } from "../lib/auth/api-keys";
import { createOrganization } from "../lib/organizations";
import { createStaffMember, type StaffRole } from "../lib/staff";
import { checkPage, VIEWPORTS } from "./a11y";
import { specDatabase } from "./call";
import { PASSWORD, signIn } from "./staff";

/**
 * Settings → API credentials and Webhooks, on the production build, for the admin of a clinic
 * made for each test (so the demo clinic's credentials and endpoints stay as other specs expect).
 * Webhooks go to a real HTTP receiver on 127.0.0.1 (the e2e server allows http to loopback).
 */

const TIME_ZONE = "America/Lima";

type Clinic = { organizationId: string; email: string; bearer: () => Promise<string> };

/** A new clinic with one staff member of `role`; `bearer` issues an API credential of it directly. */
async function freshClinic(role: StaffRole = "admin"): Promise<Clinic> {
  const db = connect(process.env.E2E_SPEC_DATABASE_URL!, { max: 1 });
  try {
    const tag = randomBytes(4).toString("hex");
    const organization = await createOrganization(db, { name: `Integraciones ${tag}`, slug: `integraciones-${tag}`, timezone: TIME_ZONE, language: "en" });
    const email = `${role}-${tag}@integrations.example`;
    await createStaffMember(db, organization.id, { email, name: `Admin ${tag}`, role, password: PASSWORD });
    return {
      organizationId: organization.id,
      email,
      bearer: async () => {
        const issuing = connect(process.env.E2E_SPEC_DATABASE_URL!, { max: 1 });
        try {
          return (await issueApiCredential(issuing, organization.id, "spec")).bearerToken;
        } finally {
          await issuing.$client.end();
        }
      },
    };
  } finally {
    await db.$client.end();
  }
}

type Received = { webhookId: string; signature: string; body: string; json: { event: string; data: { consultationId: string; test?: boolean } } };

/** A real receiver on 127.0.0.1: records every request and answers 200 with a short text. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      received.push({ webhookId: String(req.headers["webhook-id"] ?? ""), signature: String(req.headers["x-telehealth-signature"] ?? ""), body, json: JSON.parse(body) });
      res.writeHead(200, { "Content-Type": "text/plain" }).end("received, thanks");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function createConsultationOf(request: APIRequestContext, bearer: string): Promise<string> {
  const doc = () => String(randomInt(1_000_000_000, 9_999_999_999));
  const response = await request.post("/api/consultations", {
    headers: { authorization: `Bearer ${bearer}` },
    data: {
      provider: { name: "Dra. Integración", documentType: "CC", documentNumber: doc(), professionalType: "MedicoGeneral", phone: "+573009876543", email: "dra@example.com" },
      patient: { documentType: "CC", documentNumber: doc(), name: "Paciente Webhook", phone: "+573001234567", email: "p@example.com" },
      consultationType: "ConsultaGeneral",
      durationMinutes: 20,
    },
  });
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()).data.consultationId;
}

/** An endpoint of a second clinic with one (test) delivery, made through the API with that clinic's credential. */
async function otherClinicDelivery(request: APIRequestContext): Promise<{ endpointId: string; deliveryId: string }> {
  const other = await freshClinic();
  const headers = { authorization: `Bearer ${await other.bearer()}` };
  const created = await request.post("/api/webhooks", { headers, data: { url: "http://127.0.0.1:9/theirs", events: ["consultation.created"] } });
  expect(created.status(), await created.text()).toBe(201);
  const endpointId = (await created.json()).data.id;
  const tested = await request.post(`/api/webhooks/${endpointId}/test`, { headers });
  expect(tested.status(), await tested.text()).toBe(200);
  return { endpointId, deliveryId: (await tested.json()).data.id };
}

/** Signs in and waits for the dashboard, so the next navigation cannot cut the sign-in short. */
async function signInTo(page: Page, email: string) {
  await signIn(page, email);
  await expect(page).toHaveURL(/\/dashboard\//);
}

async function addEndpoint(page: Page, url: string): Promise<string> {
  await page.getByLabel("URL").fill(url);
  await page.getByRole("checkbox", { name: /Consultation created/ }).check();
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const added = page.getByRole("region", { name: "Endpoint added" });
  await expect(added).toBeVisible();
  return (await added.getByTestId("webhook-secret").textContent())!.trim();
}

test("an admin creates an API credential, uses its token once shown, and revokes it", async ({ page, context, request }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const clinic = await freshClinic();
  const neighbour = await freshClinic();
  const neighbourToken = await neighbour.bearer();
  await signInTo(page, clinic.email);
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "API credentials" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "API credentials" })).toBeVisible();
  await expect(page.getByText("No API credentials yet.")).toBeVisible();

  // A name is required, and the field says so.
  await page.getByRole("button", { name: "Create credential" }).click();
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Name is required")).toBeVisible();

  await page.getByLabel("Name").fill("Scheduling system");
  await page.getByRole("button", { name: "Create credential" }).click();
  const shown = page.getByRole("region", { name: "Credential “Scheduling system” created" });
  await expect(shown).toBeVisible();
  await expect(shown).toContainText("it will not be shown again");
  const token = (await shown.getByTestId("api-token").textContent())!.trim();
  expect(token).toMatch(/^tk_[\w-]+\.tks_[\w-]+$/);
  await shown.getByRole("button", { name: "Copy token" }).click();
  await expect(shown.getByText("Copied")).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(token);
  const keyId = token.split(".")[0]!;
  const secret = token.slice(keyId.length + 1);

  const row = page.getByRole("table").getByRole("row").filter({ hasText: "Scheduling system" });
  await expect(row).toContainText(keyId);
  await expect(row).toContainText("never");
  await expect(row).toContainText("Active");

  // The copied token works against the API.
  const headers = { authorization: `Bearer ${copied}` };
  expect((await request.get("/api/providers", { headers })).status()).toBe(200);

  // Only a hash is stored, and the page never shows the token again.
  const sql = specDatabase();
  const [stored] = await sql<{ secret_hash: string }[]>`select secret_hash from api_keys where key_id = ${keyId}`;
  await sql.end();
  expect(stored!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
  expect(stored!.secret_hash).toBe(createHash("sha256").update(secret).digest("hex"));
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "API credentials" })).toBeVisible();
  expect(await page.content()).not.toContain(secret);
  await expect(row).not.toContainText("never"); // it has been used now
  await expect(row).toContainText(/[A-Z][a-z]{2} \d{1,2}, \d{4}/); // a date, in English

  // A key id of another clinic, slipped into the form, is not found and stays active.
  await row.locator('input[name="keyId"]').evaluate((input, theirs) => ((input as HTMLInputElement).value = theirs), neighbourToken.split(".")[0]!);
  await row.getByRole("button", { name: "Revoke Scheduling system" }).click();
  await page.getByRole("dialog", { name: "Revoke “Scheduling system”?" }).getByRole("button", { name: "Revoke credential" }).click();
  await expect(row.getByRole("alert")).toHaveText("API credential was not found.");
  expect((await request.get("/api/providers", { headers: { authorization: `Bearer ${neighbourToken}` } })).status()).toBe(200);
  await page.reload();

  // Revoking asks first; Cancel changes nothing.
  await row.getByRole("button", { name: "Revoke Scheduling system" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke “Scheduling system”?" });
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(row).toContainText("Active");
  await row.getByRole("button", { name: "Revoke Scheduling system" }).click();
  await dialog.getByRole("button", { name: "Revoke credential" }).click();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
  const refused = await request.get("/api/providers", { headers });
  expect(refused.status()).toBe(401);

  // The audit log has both, naming the key id, never the secret.
  await page.goto("/dashboard/audit");
  const audit = page.getByRole("table");
  await expect(audit.getByRole("row").filter({ hasText: "API credential created" }).filter({ hasText: keyId })).toHaveCount(1);
  await expect(audit.getByRole("row").filter({ hasText: "API credential revoked" }).filter({ hasText: keyId })).toHaveCount(1);
  expect(await page.content()).not.toContain(secret);
});

test("an admin adds a webhook endpoint, sends a test event, and redelivers a delivery with the same webhook-id", async ({ page, request }) => {
  test.setTimeout(120_000);
  const receiver = await startReceiver();
  try {
    const clinic = await freshClinic();
    await signInTo(page, clinic.email);
    await page.goto("/dashboard/settings/webhooks");
    await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
    await expect(page.getByText("No endpoints yet")).toBeVisible();
    // Every event can be chosen, a standalone room's room.ready among them.
    await expect(page.getByRole("checkbox", { name: /Room ready: its personal links exist/ })).toBeVisible();
    await expect(page.getByRole("checkbox", { name: /Someone joined the call/ })).toBeVisible();
    await expect(page.getByRole("checkbox", { name: /Patient waiting for the provider/ })).toBeVisible();

    // The API's rules, each on its field.
    await page.getByLabel("URL").fill("receiver.example/hooks");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toContainText("Some fields need attention");
    await expect(page.getByLabel("URL")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("The webhook URL is not a valid absolute URL.")).toBeVisible();
    await expect(page.getByText("Events must name at least one event")).toBeVisible();
    await page.getByLabel("URL").fill("https://user:secret@receiver.example/hooks");
    await page.getByRole("checkbox", { name: /Consultation created/ }).check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByText("The webhook URL must not contain a user name or password")).toBeVisible();
    await expect(page.getByText("Events must name at least one event")).toHaveCount(0);
    await expect(page.getByRole("checkbox", { name: /Consultation created/ })).toBeChecked(); // nothing chosen is lost

    const secret = await addEndpoint(page, receiver.url);
    expect(secret).toMatch(/^whsec_/);
    await expect(page.getByText("it will not be shown again")).toBeVisible();
    const listed = page.getByRole("table").getByRole("row").filter({ hasText: receiver.url });
    await expect(listed).toContainText("consultation.created");
    await expect(listed).toContainText("Enabled");
    await expect(listed).toContainText("none yet");

    // A test event reaches the receiver, signed with the secret just shown, and the page says how it went.
    await page.getByRole("link", { name: "Open the endpoint" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Webhook endpoint" })).toBeVisible();
    const endpointUrl = page.url();
    const endpointId = new URL(endpointUrl).pathname.split("/").at(-1)!;
    await page.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByTestId("test-result")).toContainText(/Delivered: HTTP 200 in \d+ ms/);
    await expect(page.getByTestId("test-result")).toContainText("received, thanks");
    expect(receiver.received).toHaveLength(1);
    const sample = receiver.received[0]!;
    expect(sample.json).toMatchObject({ event: "consultation.created", data: { test: true, consultationId: "00000000-0000-0000-0000-000000000000" } });
    expect(sample.signature).toBe(createHmac("sha256", secret).update(sample.body).digest("hex"));

    // A real event: a consultation made through the API is delivered by the worker.
    const consultationId = await createConsultationOf(request, await clinic.bearer());
    await expect.poll(() => receiver.received.filter((r) => r.json.data.consultationId === consultationId).length, { timeout: 30_000 }).toBe(1);
    const real = receiver.received.find((r) => r.json.data.consultationId === consultationId)!;

    await page.reload();
    const log = page.getByRole("region", { name: "Deliveries to this endpoint, newest first, times in America/Lima" });
    const realRow = log.getByRole("row").filter({ has: page.locator(`a[href="/dashboard/consultations/${consultationId}"]`) });
    await expect(realRow).toContainText("Delivered");
    await expect(realRow).toContainText("HTTP 200");
    await expect(log.getByRole("row").filter({ hasText: "test" })).toHaveCount(1);
    // The filter is in the URL.
    await page.getByRole("navigation", { name: "Filter deliveries by status" }).getByRole("link", { name: "Failed" }).click();
    await expect(page).toHaveURL(/status=failed/);
    await expect(log).toContainText("No failed deliveries.");
    await page.getByRole("navigation", { name: "Filter deliveries by status" }).getByRole("link", { name: "Delivered" }).click();
    await expect(page).toHaveURL(/status=delivered/);
    await expect(log.getByRole("row")).toHaveCount(3); // header, the real one, the test

    // The delivery: its body, its attempt, and a redelivery with the same webhook-id.
    await realRow.getByRole("link", { name: "consultation.created" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Delivery of consultation.created");
    await expect(page.getByRole("region", { name: "Delivery" })).toContainText(real.webhookId);
    await expect(page.getByRole("region", { name: "Body" })).toContainText(consultationId);
    const attempts = page.getByRole("region", { name: /^Attempts, oldest first/ }).getByRole("row");
    await expect(attempts).toHaveCount(2);
    await expect(attempts.nth(1)).toContainText("200");
    await expect(attempts.nth(1)).toContainText("received, thanks");
    await expect(attempts.nth(1)).toContainText("Scheduled");
    await page.getByRole("button", { name: "Redeliver" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Queued" })).toBeVisible();
    await expect.poll(() => receiver.received.filter((r) => r.webhookId === real.webhookId).length, { timeout: 30_000 }).toBe(2);
    const again = receiver.received.filter((r) => r.webhookId === real.webhookId)[1]!;
    expect(again.body).toBe(real.body);
    await expect(async () => {
      await page.reload();
      await expect(attempts).toHaveCount(3);
    }).toPass({ timeout: 15_000 });
    await expect(attempts.nth(2)).toContainText("Redelivery");

    // Another clinic's endpoint and delivery read as not found.
    const theirs = await otherClinicDelivery(request);
    expect((await page.goto(`/dashboard/settings/webhooks/${theirs.endpointId}`))?.status()).toBe(404);
    expect((await page.goto(`/dashboard/settings/webhooks/${theirs.endpointId}/deliveries/${theirs.deliveryId}`))?.status()).toBe(404);
    expect((await page.goto(`/dashboard/settings/webhooks/${endpointId}/deliveries/${theirs.deliveryId}`))?.status()).toBe(404);
    expect((await page.goto("/dashboard/settings/webhooks/not-a-uuid"))?.status()).toBe(404);

    // Edit, rotate, delete.
    await page.goto(endpointUrl);
    await page.getByLabel("Description (optional)").fill("Agenda integration");
    await page.getByRole("checkbox", { name: /Consultation completed/ }).check();
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await expect(page.getByText(`${receiver.url} · Agenda integration`)).toBeVisible();
    await page.getByRole("button", { name: "Rotate secret" }).click();
    const rotated = page.getByRole("region", { name: "New signing secret" });
    await expect(rotated).toContainText("The old secret keeps working for 24 hours, until");
    const newSecret = (await rotated.getByTestId("webhook-secret").textContent())!.trim();
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(secret);

    await page.getByRole("button", { name: "Delete endpoint" }).click();
    await page.getByRole("dialog", { name: "Delete this endpoint?" }).getByRole("button", { name: "Delete endpoint" }).click();
    await expect(page).toHaveURL(/\/dashboard\/settings\/webhooks\?deleted=1$/);
    await expect(page.getByRole("status").filter({ hasText: "The endpoint was deleted" })).toHaveText("The endpoint was deleted, with its delivery log.");
    await expect(page.getByText("No endpoints yet")).toBeVisible();
    expect((await page.goto(endpointUrl))?.status()).toBe(404);

    // Every change is in the audit log, without a secret.
    await page.goto("/dashboard/audit");
    const audit = page.getByRole("table");
    for (const action of ["Webhook endpoint created", "Webhook endpoint changed", "Webhook secret rotated", "Webhook redelivered", "Webhook endpoint deleted"]) {
      await expect(audit.getByRole("row").filter({ hasText: action }), action).toHaveCount(1);
    }
    await expect(audit.getByRole("row").filter({ hasText: "Webhook endpoint created" })).toContainText(`Webhook endpoint ${endpointId}`);
    await expect(audit.getByRole("row").filter({ hasText: "Webhook redelivered" })).toContainText(real.webhookId);
    const html = await page.content();
    expect(html).not.toContain(secret);
    expect(html).not.toContain(newSecret);
  } finally {
    await receiver.close();
  }
});

test("a scheduler gets 403 on the credentials and webhooks pages", async ({ page }) => {
  const clinic = await freshClinic("scheduler");
  await signInTo(page, clinic.email);
  await expect(page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Settings" })).toHaveCount(0);
  for (const path of ["/dashboard/settings/api-credentials", "/dashboard/settings/webhooks"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  }
});

for (const [device, viewport] of Object.entries(VIEWPORTS)) {
  test(`credentials and webhook pages on ${device}: accessible, fitting the screen`, async ({ browser }) => {
    test.setTimeout(90_000);
    const receiver = await startReceiver();
    try {
      const clinic = await freshClinic();
      const options = device === "phone" ? { viewport, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : { viewport };
      const page = await (await browser.newContext(options)).newPage();
      await signInTo(page, clinic.email);

      await page.goto("/dashboard/settings/api-credentials");
      await page.getByLabel("Name").fill("Scheduling system with a rather long name");
      await page.getByRole("button", { name: "Create credential" }).click();
      await expect(page.getByTestId("api-token")).toBeVisible();
      await checkPage(page, `integrations-${device}-api-credentials`, { fullPage: true });

      await page.goto("/dashboard/settings/webhooks");
      await page.getByLabel("URL").fill("receiver.example/hooks");
      await page.getByRole("button", { name: "Add endpoint" }).click();
      await expect(page.getByText("The webhook URL is not a valid absolute URL.")).toBeVisible();
      await checkPage(page, `integrations-${device}-webhooks-error`, { fullPage: true });

      await addEndpoint(page, receiver.url);
      await page.getByRole("link", { name: "Open the endpoint" }).click();
      await page.getByRole("button", { name: "Send test event" }).click();
      await expect(page.getByTestId("test-result")).toContainText("Delivered");
      await page.reload();
      await expect(page.getByRole("region", { name: /^Deliveries to this endpoint/ }).getByRole("row")).toHaveCount(2);
      await checkPage(page, `integrations-${device}-webhook-endpoint`, { fullPage: true });

      await page.getByRole("region", { name: /^Deliveries to this endpoint/ }).getByRole("link", { name: "consultation.created" }).click();
      await expect(page.getByRole("heading", { name: "Attempts" })).toBeVisible();
      await checkPage(page, `integrations-${device}-webhook-delivery`, { fullPage: true });
    } finally {
      await receiver.close();
    }
  });
}

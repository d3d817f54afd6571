import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { checkPage, VIEWPORTS } from "./a11y";
import { specDatabase } from "./call";
import { startOidcServer, type OidcServer } from "./oidc-server";
import { signIn, staff } from "./staff";

/**
 * Single sign-on against a real OpenID Connect provider (e2e/oidc-server.ts), which every e2e app
 * server is configured with (e2e/app-env.ts): only the clinic's active staff get in.
 */

const SSO_BUTTON = "Sign in with Hospital SSO";
const REFUSED =
  "Your sign-in with Hospital SSO worked, but that account is not an active staff member here. Ask your clinic's admin to add you, or to reactivate your account.";

let idp: OidcServer;
/** Logins the identity provider answers with email_verified: false. */
const unverified = new Set<string>();

test.beforeAll(async () => {
  idp = await startOidcServer(process.env.E2E_PORT ?? 3100, { unverifiedEmails: unverified });
});

test.afterAll(async () => {
  await idp?.stop();
});

/** From the app's sign-in page to the identity provider's own: log in there, and allow the app the first time. */
async function signInAtIdentityProvider(page: Page, login: string) {
  await page.goto("/signin");
  await page.getByRole("button", { name: SSO_BUTTON }).click();
  await expect(page.getByRole("heading", { name: "Sign-in", exact: true })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(idp.issuer);
  await page.getByPlaceholder("Enter any login").fill(login);
  await page.getByPlaceholder("and password").fill("the hospital's own password");
  await page.getByRole("button", { name: "Sign-in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Authorize", exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Continue" }).click();
}

/** The audit log's entries of one action by a staff member: their details, oldest first. */
async function audited(email: string, action: "staff.signed_in" | "staff.sign_in_failed"): Promise<unknown[]> {
  const sql = specDatabase();
  try {
    const rows = await sql<{ detail: unknown }[]>`
      select a.detail from audit_log a join users u on u.id = a.actor_user_id
      where u.email = ${email} and a.action = ${action} order by a.id`;
    return rows.map((r) => r.detail);
  } finally {
    await sql.end();
  }
}

test("a staff member signs in with the hospital's single sign-on as themselves, is audited, and signs out", async ({ page }) => {
  const scheduler = await staff("scheduler"); // has a password too: single sign-on works regardless

  await signInAtIdentityProvider(page, scheduler.email);
  await expect(page).toHaveURL(/\/dashboard\/consultations$/);
  await expect(page.getByRole("heading", { level: 1, name: "Consultations" })).toBeVisible();
  // The clinic's record of them, not the identity provider's name ("IdP …").
  await expect(page.getByRole("banner")).toContainText(scheduler.name);
  await expect(page.getByRole("banner")).not.toContainText("IdP ");
  expect(await audited(scheduler.email, "staff.signed_in")).toEqual([{ method: "oidc" }]);

  const sql = specDatabase();
  try {
    // The link only: no token of the identity provider is kept at rest.
    const linked = await sql`
      select a.provider, a.provider_account_id, a.access_token, a.refresh_token, a.id_token
      from accounts a join users u on u.id = a.user_id where u.email = ${scheduler.email}`;
    expect(linked).toEqual([{ provider: "oidc", provider_account_id: scheduler.email, access_token: null, refresh_token: null, id_token: null }]);
  } finally {
    await sql.end();
  }

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin\?reason=signed_out$/);
  await page.goto("/dashboard/consultations");
  await expect(page).toHaveURL(/\/signin$/);

  // The hospital's own session still stands: the button signs them straight in again.
  await page.getByRole("button", { name: SSO_BUTTON }).click();
  await expect(page).toHaveURL(/\/dashboard\/consultations$/);
  await expect(page.getByRole("banner")).toContainText(scheduler.name);
  expect(await audited(scheduler.email, "staff.signed_in")).toEqual([{ method: "oidc" }, { method: "oidc" }]);
});

test("item 8: wrong passwords that make the password form wait do not hold up single sign-on, and the owner is told of them", async ({ page, browser }) => {
  test.slow(); // eight sign-ins, each a deliberately slow password check
  const admin = await staff("admin");
  const guesser = await browser.newContext();
  try {
    const guess = await guesser.newPage();
    for (let i = 0; i < 6; i++) {
      await signIn(guess, admin.email, `not the password ${i}`);
      await expect(guess.locator("#signin-error")).toContainText(i < 5 ? "do not match" : "Too many failed attempts");
    }
  } finally {
    await guesser.close();
  }
  await signInAtIdentityProvider(page, admin.email);
  await expect(page).toHaveURL(/\/dashboard\/consultations$/);
  await expect(page.getByTestId("sign-in-notice")).toContainText("6 failed sign-in attempts for your account since your last sign-in");
});

test("someone the identity provider knows but the clinic does not is sent back with a clear message, and gets no account", async ({ page }) => {
  const stranger = `stranger-${randomBytes(4).toString("hex")}@hospital.example`;
  await signInAtIdentityProvider(page, stranger);
  await expect(page).toHaveURL(/\/signin\?error=AccessDenied$/);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(REFUSED);
  await expect(page.getByRole("button", { name: SSO_BUTTON })).toBeVisible();
  await checkPage(page, "sso-refused-after-sign-in");

  await page.goto("/dashboard/consultations");
  await expect(page).toHaveURL(/\/signin$/);
  const sql = specDatabase();
  try {
    expect(await sql`select id from users where email = ${stranger}`).toEqual([]);
  } finally {
    await sql.end();
  }
});

test("a deactivated staff member is refused, though their sign-in worked before", async ({ page }) => {
  const member = await staff("scheduler");
  await signInAtIdentityProvider(page, member.email);
  await expect(page.getByRole("banner")).toContainText(member.name);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin\?reason=signed_out$/);

  const sql = specDatabase();
  try {
    await sql`update users set active = false where email = ${member.email}`;
  } finally {
    await sql.end();
  }
  // Still signed in at the hospital, and already linked: refused all the same.
  await page.getByRole("button", { name: SSO_BUTTON }).click();
  await expect(page).toHaveURL(/\/signin\?error=AccessDenied$/);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(REFUSED);
  await page.goto("/dashboard/consultations");
  await expect(page).toHaveURL(/\/signin$/);
  expect(await audited(member.email, "staff.signed_in")).toEqual([{ method: "oidc" }]);
  expect(await audited(member.email, "staff.sign_in_failed")).toEqual([{ method: "oidc", reason: "inactive" }]);
});

test("a staff email the identity provider says it has not verified does not sign anyone in", async ({ page }) => {
  const admin = await staff("admin");
  unverified.add(admin.email);
  await signInAtIdentityProvider(page, admin.email);
  await expect(page).toHaveURL(/\/signin\?error=AccessDenied$/);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(REFUSED);
  expect(await audited(admin.email, "staff.signed_in")).toEqual([]);
  expect(await audited(admin.email, "staff.sign_in_failed")).toEqual([{ method: "oidc", reason: "email_unverified" }]);
});

test("cancelling at the identity provider comes back to the sign-in page saying so", async ({ page }) => {
  await page.goto("/signin");
  await page.getByRole("button", { name: SSO_BUTTON }).click();
  await expect(page.getByRole("heading", { name: "Sign-in", exact: true })).toBeVisible();
  await page.getByRole("link", { name: "[ Cancel ]" }).click();
  await expect(page).toHaveURL(/\/signin\?error=OAuthCallbackError$/);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Signing in with Hospital SSO was cancelled or did not finish. Try again.");
});

test("with the identity provider down, the button says sign-in is not available instead of failing", async ({ page }) => {
  await idp.stop();
  try {
    await page.goto("/signin");
    await page.getByRole("button", { name: SSO_BUTTON }).click();
    await expect(page).toHaveURL(/\/signin\?error=Configuration$/);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Sign-in is not available right now. Try again in a moment.");
  } finally {
    idp = await startOidcServer(process.env.E2E_PORT ?? 3100, { unverifiedEmails: unverified });
  }
});

test("the sign-in page shows a made-up error or notice code as a plain failure, not a server error", async ({ page }) => {
  const response = await page.goto("/signin?error=__proto__&reason=constructor");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Signing in did not work. Try again.");
  await expect(page.getByRole("main").getByRole("status")).toHaveCount(0);
});

for (const [device, viewport] of Object.entries(VIEWPORTS)) {
  test(`the sign-in page with single sign-on on ${device}: accessible, fitting the screen`, async ({ browser }) => {
    const context = await browser.newContext(device === "phone" ? { viewport, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : { viewport });
    const page = await context.newPage();
    try {
      await page.goto("/signin");
      const button = page.getByRole("button", { name: SSO_BUTTON });
      await expect(button).toBeVisible();
      expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44);
      await checkPage(page, `sso-signin-${device}`);
      await page.goto("/signin?error=AccessDenied");
      await expect(page.getByRole("main").getByRole("alert")).toHaveText(REFUSED);
      await checkPage(page, `sso-refused-${device}`);
    } finally {
      await context.close();
    }
  });
}

test("without JavaScript, the single sign-on button's form post is redirected on to the identity provider (CSP form-action, issue 13 item 7)", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const blocked: string[] = [];
  page.on("console", (m) => {
    if (/form-action/.test(m.text())) blocked.push(m.text());
  });
  await page.goto("/signin");
  await page.getByRole("button", { name: SSO_BUTTON }).click();
  // The sign-in page's CSP lets its form post here and then follow the redirect to the issuer.
  await expect(page.getByRole("heading", { name: "Sign-in", exact: true })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(idp.issuer);
  expect(blocked).toEqual([]);
  await context.close();
});

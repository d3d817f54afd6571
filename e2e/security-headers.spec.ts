import { createServer, type Server } from "node:http";
import { expect, test, type APIResponse, type BrowserContext, type Page, type Response } from "@playwright/test";
import { freePort } from "../test/postgres";
import { embedParentOrigin, oidcIssuer } from "./app-env";
import { createConsultation, enterPin, joinCall, newCallPage, pathOf } from "./call";
import { startAppInstance } from "./processes";
import { signIn, staff } from "./staff";

/**
 * Issue 13, item 7: every kind of page answers with the security headers fit for it, the
 * dashboard cannot be framed by another site, and the pages run under their Content Security
 * Policy without one violation (scripts by nonce, styles applied, the call's media and events).
 */

const APP_PORT = Number(process.env.E2E_PORT ?? 3100);
const APP_ORIGIN = `http://localhost:${APP_PORT}`;

type Headers = Record<string, string>;

/** The CSP as directive name → its sources. */
function csp(headers: Headers): Record<string, string[]> {
  const value = headers["content-security-policy"];
  expect(value, "no Content-Security-Policy").toBeTruthy();
  return Object.fromEntries(value!.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name!, sources]));
}

/** What every page sends, whatever its kind (the e2e app runs on http: no HSTS). */
function expectPageBasics(headers: Headers, kind: "join" | "other" = "other"): string {
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers).not.toHaveProperty("strict-transport-security");
  const policy = csp(headers);
  const nonce = policy["script-src"]?.find((s) => s.startsWith("'nonce-"));
  // Only the join pages compile WebAssembly (the background effect).
  expect(policy["script-src"]).toEqual(["'self'", nonce, "'strict-dynamic'", ...(kind === "join" ? ["'wasm-unsafe-eval'"] : [])]);
  expect(policy["object-src"]).toEqual(["'none'"]);
  expect(policy["base-uri"]).toEqual(["'none'"]);
  expect(policy["img-src"]).toEqual(["'self'", "data:", "blob:", "https:"]);
  expect(policy["media-src"]).toEqual(["'self'", "blob:", "mediastream:"]);
  return nonce!.slice("'nonce-".length, -1);
}

/** Dashboard, docs, home, sign-in: nobody frames them, no referrer leaves the site. */
function expectUnframeable(headers: Headers) {
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(csp(headers)["frame-ancestors"]).toEqual(["'none'"]);
}

/** The page's scripts carry the nonce its header names, and none is without it. */
async function expectScriptsCarry(response: APIResponse | Response, nonce: string) {
  const html = await response.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
}

/** Records every CSP violation and every console error the page reports, from its first script on. */
async function watchViolations(context: BrowserContext): Promise<(page: Page) => Promise<string[]>> {
  await context.addInitScript(() => {
    const seen: string[] = ((window as unknown as { __csp: string[] }).__csp = []);
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
  });
  const consoleErrors = new Map<Page, string[]>();
  context.on("console", (message) => {
    if (message.type() !== "error" || !/Content.Security.Policy|Refused to/i.test(message.text())) return;
    const page = message.page();
    if (page) consoleErrors.set(page, [...(consoleErrors.get(page) ?? []), message.text()]);
  });
  return async (page) => [...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)), ...(consoleErrors.get(page) ?? [])];
}

/** The page's own stylesheet is applied: the CSS files loaded and a styled element looks styled. */
async function expectStyled(page: Page) {
  expect(await page.evaluate(() => document.styleSheets.length)).toBeGreaterThan(0);
  const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  expect(font).not.toMatch(/^"?Times/);
}

test("each kind of page answers with its security headers, and the API with its own (item 7)", async ({ request, page }) => {
  await test.step("sign-in pages: unframeable, and their forms may post on to the single sign-on issuer", async () => {
    for (const path of ["/signin", "/signin/set-password?token=x"]) {
      const response = await request.get(path);
      const headers = response.headers();
      const nonce = expectPageBasics(headers);
      expectUnframeable(headers);
      expect(csp(headers)["form-action"]).toEqual(["'self'", oidcIssuer(APP_PORT)]);
      expect(csp(headers)["connect-src"]).toEqual(["'self'"]);
      await expectScriptsCarry(response, nonce);
    }
  });

  await test.step("API docs, home and an unknown page: unframeable, forms to this site only", async () => {
    for (const path of ["/docs/api", "/", "/no-such-page"]) {
      const response = await request.get(path);
      const headers = response.headers();
      const nonce = expectPageBasics(headers);
      expectUnframeable(headers);
      expect(csp(headers)["form-action"]).toEqual(["'self'"]);
      await expectScriptsCarry(response, nonce);
    }
    // A fresh nonce for each request.
    const [a, b] = await Promise.all([request.get("/docs/api"), request.get("/docs/api")]);
    expect(csp(a.headers())["script-src"]![1]).not.toBe(csp(b.headers())["script-src"]![1]);
  });

  await test.step("dashboard, signed in", async () => {
    const admin = await staff("admin");
    await signIn(page, admin.email);
    await expect(page).toHaveURL(/\/dashboard\/consultations$/);
    for (const path of ["/dashboard/consultations", "/dashboard/settings", "/dashboard/consultations/new"]) {
      const response = (await page.goto(path))!;
      expect(response.status()).toBe(200);
      const headers = response.headers();
      const nonce = expectPageBasics(headers);
      expectUnframeable(headers);
      expect(csp(headers)["form-action"]).toEqual(["'self'"]);
      await expectScriptsCarry(response, nonce);
    }
  });

  await test.step("join page (the PIN form, then the call in the same document): framed by the clinic's allowed origin only", async () => {
    const consultation = await createConsultation(request);
    const response = await request.get(pathOf(consultation.patientUrl));
    const headers = response.headers();
    const nonce = expectPageBasics(headers, "join");
    expect(headers).not.toHaveProperty("x-frame-options");
    expect(headers["referrer-policy"]).toBe("no-referrer");
    expect(headers["x-robots-tag"]).toBe("noindex, nofollow");
    expect(headers["permissions-policy"]).toBe("camera=(self), microphone=(self), display-capture=()");
    expect(csp(headers)["frame-ancestors"]).toEqual(["'self'", embedParentOrigin(APP_PORT)]);
    expect(csp(headers)["connect-src"]).toEqual(["'self'"]); // no LIVEKIT_URL here (e2e/livekit.spec.ts runs with one)
    await expectScriptsCarry(response, nonce);
  });

  await test.step("API: JSON, nosniff, never framed, no referrer; the proxy does not run for it", async () => {
    for (const path of ["/api/health", "/api/openapi.json", "/api/no-such-route"]) {
      const headers = (await request.get(path)).headers();
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["x-frame-options"]).toBe("DENY");
      expect(headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(headers["referrer-policy"]).toBe("no-referrer");
    }
  });
});

test("the signed-in dashboard and the sign-in page refuse to render in another site's frame (item 7)", async ({ page }) => {
  const port = await freePort();
  const otherSite = `http://127.0.0.1:${port}`; // another site: the app is localhost
  const server: Server = createServer((request, response) => {
    const src = new URL(request.url ?? "/", otherSite).searchParams.get("src") ?? "/";
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not the clinic</title></head>
<body><h1>Win a prize</h1><iframe title="framed" src="${APP_ORIGIN}${src}" style="width:900px;height:600px"></iframe></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  try {
    const admin = await staff("admin");
    await signIn(page, admin.email);
    await expect(page).toHaveURL(/\/dashboard\/consultations$/);
    // The dashboard itself, opened as a page, shows.
    await expect(page.getByRole("heading", { level: 1, name: "Consultations" })).toBeVisible();

    for (const path of ["/dashboard/consultations", "/signin"]) {
      const refused = page.waitForEvent("console", { predicate: (m) => /frame-ancestors|X-Frame-Options/.test(m.text()), timeout: 10_000 });
      await page.goto(`${otherSite}/?src=${encodeURIComponent(path)}`);
      await expect(page.getByRole("heading", { name: "Win a prize" })).toBeVisible();
      await refused; // Chromium reports the refusal
      const frame = page.frameLocator('iframe[title="framed"]');
      await expect(frame.getByRole("heading")).toHaveCount(0);
      await expect(frame.getByRole("table")).toHaveCount(0);
      await expect(frame.getByRole("button")).toHaveCount(0);
      // The frame holds the browser's error page, not the app's document.
      const child = page.frames().find((f) => f !== page.mainFrame());
      expect(child?.url() ?? "").not.toContain(`localhost:${APP_PORT}${path}`);
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test("sign-in, dashboard, API docs and a call run under the CSP with no violation, styles applied (item 7)", async ({ browser, request }, testInfo) => {
  test.setTimeout(120_000);
  const shot = (name: string) => ({ path: testInfo.outputPath(name) });

  await test.step("sign-in and the dashboard", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const violations = await watchViolations(context);
    const page = await context.newPage();
    await page.goto("/signin");
    await expect(page.getByRole("heading", { name: "Staff sign-in" })).toBeVisible();
    await expectStyled(page);
    await page.screenshot(shot("csp-signin.png"));
    expect(await violations(page)).toEqual([]);

    const admin = await staff("admin");
    await signIn(page, admin.email); // the form's server action and its redirect
    await expect(page).toHaveURL(/\/dashboard\/consultations$/);
    await expect(page.getByRole("heading", { level: 1, name: "Consultations" })).toBeVisible();
    await expectStyled(page);
    await page.screenshot(shot("csp-dashboard.png"));
    // Client-side navigation loads more chunks (by 'strict-dynamic') and more CSS.
    await page.getByRole("link", { name: "New consultation" }).first().click();
    await expect(page).toHaveURL(/\/dashboard\/consultations\/new$/);
    await page.goto("/dashboard/settings");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await violations(page)).toEqual([]);
    await context.close();
  });

  await test.step("API docs (their tables' inline widths and indents included)", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const violations = await watchViolations(context);
    const page = await context.newPage();
    await page.goto("/docs/api");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectStyled(page);
    await page.screenshot(shot("csp-docs.png"));
    expect(await violations(page)).toEqual([]);
    await context.close();
  });

  await test.step("a call: PIN, device check, both join, camera and microphone, events, chat", async () => {
    const consultation = await createConsultation(request);
    const patient = await newCallPage(browser, { viewport: { width: 1100, height: 760 } });
    const provider = await newCallPage(browser);
    const patientViolations = await watchViolations(patient.context);
    const providerViolations = await watchViolations(provider.context);
    await patient.page.goto(pathOf(consultation.patientUrl));
    await enterPin(patient.page, consultation.pin);
    await expect(patient.page.getByTestId("join-call")).toBeEnabled(); // the camera preview works
    await patient.page.getByTestId("join-call").click();
    await joinCall(provider.page, consultation.providerUrl, consultation.pin);
    await expect(patient.page.getByTestId("call-state")).toHaveAttribute("data-state", "active", { timeout: 20_000 });
    await patient.page.getByTestId("toggle-chat").click();
    await expect(patient.page.getByTestId("chat-panel")).toBeVisible();
    await expectStyled(patient.page);
    await patient.page.screenshot(shot("csp-call.png"));
    expect(await patientViolations(patient.page)).toEqual([]);
    expect(await providerViolations(provider.page)).toEqual([]);
    await patient.context.close();
    await provider.context.close();
  });
});

test("served as https (APP_URL) with LiveKit: HSTS on every page, and the call may reach LiveKit's server (item 7)", async ({ playwright }) => {
  test.setTimeout(120_000);
  const app = await startAppInstance({
    APP_URL: "https://portal.example",
    LIVEKIT_URL: "wss://livekit.example:7443",
    LIVEKIT_API_KEY: "e2e-livekit-key",
    LIVEKIT_API_SECRET: "e2e-livekit-secret-at-least-32-characters",
  });
  try {
    const api = await playwright.request.newContext({ baseURL: app.url });
    const consultation = await createConsultation(api);
    for (const path of ["/signin", "/docs/api", "/", pathOf(consultation.patientUrl)]) {
      const headers = (await api.get(path)).headers();
      expect(headers["strict-transport-security"], path).toBe("max-age=63072000; includeSubDomains");
      expect(csp(headers), path).toHaveProperty("upgrade-insecure-requests");
      const join = path.startsWith("/join/");
      expect(csp(headers)["connect-src"], path).toEqual(join ? ["'self'", "wss://livekit.example:7443", "https://livekit.example:7443"] : ["'self'"]);
    }
    await api.dispose();
  } finally {
    await app.stop();
  }
});

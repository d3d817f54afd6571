import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, HSTS, newNonce, pageKind, pageSecurityHeaders, type SecurityHeadersEnv } from "./security-headers";

/** Issue 13, item 7: every page's header set, as a pure function of the environment. */

const PRODUCTION: SecurityHeadersEnv = { NODE_ENV: "production", APP_URL: "https://portal.example" };
const NONCE = "bm9uY2Utbm9uY2Utbm9uY2U=";

/** The CSP as directive name → its sources. */
function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name!, sources]));
}

describe("pageKind (item 7)", () => {
  it("tells the join pages, the sign-in pages and the rest apart", () => {
    expect(pageKind("/join/abc123")).toBe("join");
    expect(pageKind("/chat/cl_abc123")).toBe("chat");
    expect(pageKind("/signin")).toBe("signin");
    expect(pageKind("/signin/set-password")).toBe("signin");
    for (const path of ["/", "/dashboard", "/dashboard/consultations/1", "/docs/api", "/joinery", "/signing", "/chatter", "/nope"]) expect(pageKind(path)).toBe("staff");
  });
});

describe("pageSecurityHeaders (item 7)", () => {
  it("gives the dashboard, docs and sign-in a nonce CSP that no other site may frame, nosniff, a same-origin referrer and HSTS over https", () => {
    for (const kind of ["staff", "signin"] as const) {
      const headers = pageSecurityHeaders(kind, PRODUCTION, NONCE);
      expect(headers).toMatchObject({
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Strict-Transport-Security": HSTS,
      });
      expect(HSTS).toBe("max-age=63072000; includeSubDomains");
      const csp = directives(headers["Content-Security-Policy"]!);
      expect(csp["frame-ancestors"]).toEqual(["'none'"]);
      expect(csp["script-src"]).toEqual(["'self'", `'nonce-${NONCE}'`, "'strict-dynamic'"]);
      expect(csp["style-src"]).toEqual(["'self'", `'nonce-${NONCE}'`]);
      expect(csp["img-src"]).toEqual(["'self'", "data:", "blob:", "https:"]);
      expect(csp["media-src"]).toEqual(["'self'", "blob:", "mediastream:"]);
      expect(csp["connect-src"]).toEqual(["'self'"]);
      expect(csp["object-src"]).toEqual(["'none'"]);
      expect(csp["base-uri"]).toEqual(["'none'"]);
      expect(csp["default-src"]).toEqual(["'self'"]);
      expect(csp).toHaveProperty("upgrade-insecure-requests");
      // No way to run a string as code, nor inline scripts without the nonce, in production.
      expect(headers["Content-Security-Policy"]).not.toMatch(/'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
    }
  });

  it("lets the join pages be framed by EMBED_ALLOWED_ORIGINS only, with no X-Frame-Options, no referrer and the camera for itself", () => {
    const headers = pageSecurityHeaders("join", { ...PRODUCTION, EMBED_ALLOWED_ORIGINS: "https://clinic.example, https://other.example:8443" }, NONCE);
    expect(directives(headers["Content-Security-Policy"]!)["frame-ancestors"]).toEqual(["'self'", "https://clinic.example", "https://other.example:8443"]);
    expect(headers).not.toHaveProperty("X-Frame-Options");
    expect(headers).toMatchObject({
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
      "X-Robots-Tag": "noindex, nofollow",
      "Permissions-Policy": "camera=(self), microphone=(self), display-capture=()",
      "Strict-Transport-Security": HSTS,
    });
    const none = pageSecurityHeaders("join", PRODUCTION, NONCE);
    expect(directives(none["Content-Security-Policy"]!)["frame-ancestors"]).toEqual(["'self'"]);
  });

  it("lets the join pages, and only them, compile WebAssembly (the background effect), still with no eval of strings", () => {
    const join = pageSecurityHeaders("join", PRODUCTION, NONCE)["Content-Security-Policy"]!;
    expect(directives(join)["script-src"]).toEqual(["'self'", `'nonce-${NONCE}'`, "'strict-dynamic'", "'wasm-unsafe-eval'"]);
    expect(join).not.toMatch(/'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
    for (const kind of ["staff", "signin", "chat"] as const) {
      expect(pageSecurityHeaders(kind, PRODUCTION, NONCE)["Content-Security-Policy"]).not.toContain("wasm-unsafe-eval");
    }
  });

  it("keeps a chat link's page unframed, unindexed, uncached and without a referrer (its secret is in the path; it carries a user token)", () => {
    const headers = pageSecurityHeaders("chat", { ...PRODUCTION, EMBED_ALLOWED_ORIGINS: "https://clinic.example" }, NONCE);
    expect(headers).toMatchObject({
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "no-referrer",
      "X-Robots-Tag": "noindex, nofollow",
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "Strict-Transport-Security": HSTS,
    });
    expect(headers["Permissions-Policy"]).toContain("camera=()");
    const csp = directives(headers["Content-Security-Policy"]!);
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    expect(csp["connect-src"]).toEqual(["'self'"]);
  });

  it("lets the call reach LiveKit (its WebSocket and its HTTP check) only on the join pages, and only when LIVEKIT_URL is set", () => {
    const secure = { ...PRODUCTION, LIVEKIT_URL: "wss://video.example:7443/path" };
    expect(directives(contentSecurityPolicy("join", secure, NONCE))["connect-src"]).toEqual(["'self'", "wss://video.example:7443", "https://video.example:7443"]);
    const plain = { ...PRODUCTION, LIVEKIT_URL: "http://127.0.0.1:7880" };
    expect(directives(contentSecurityPolicy("join", plain, NONCE))["connect-src"]).toEqual(["'self'", "ws://127.0.0.1:7880", "http://127.0.0.1:7880"]);
    expect(directives(contentSecurityPolicy("staff", secure, NONCE))["connect-src"]).toEqual(["'self'"]);
    expect(directives(contentSecurityPolicy("join", PRODUCTION, NONCE))["connect-src"]).toEqual(["'self'"]);
  });

  it("lets the sign-in form post on to the single sign-on issuer's origin, and no other page", () => {
    const sso = { ...PRODUCTION, AUTH_OIDC_ISSUER: "https://login.hospital.example/realms/staff" };
    expect(directives(contentSecurityPolicy("signin", sso, NONCE))["form-action"]).toEqual(["'self'", "https://login.hospital.example"]);
    expect(directives(contentSecurityPolicy("staff", sso, NONCE))["form-action"]).toEqual(["'self'"]);
    expect(directives(contentSecurityPolicy("signin", PRODUCTION, NONCE))["form-action"]).toEqual(["'self'"]);
  });

  it("sends no HSTS and no upgrade-insecure-requests when APP_URL is plain http or unset", () => {
    for (const env of [{ NODE_ENV: "production", APP_URL: "http://localhost:3000" }, { NODE_ENV: "production" }] as const) {
      for (const kind of ["staff", "signin", "join"] as const) {
        const headers = pageSecurityHeaders(kind, env, NONCE);
        expect(headers).not.toHaveProperty("Strict-Transport-Security");
        expect(directives(headers["Content-Security-Policy"]!)).not.toHaveProperty("upgrade-insecure-requests");
      }
    }
  });

  it("allows eval, and <style> elements without the nonce, only under `next dev`", () => {
    const dev = directives(contentSecurityPolicy("staff", { NODE_ENV: "development" }, NONCE));
    expect(dev["script-src"]).toEqual(["'self'", `'nonce-${NONCE}'`, "'strict-dynamic'", "'unsafe-eval'"]);
    expect(dev["style-src"]).toEqual(["'self'", "'unsafe-inline'"]);
    for (const NODE_ENV of ["production", "test"] as const) expect(contentSecurityPolicy("join", { NODE_ENV }, NONCE)).not.toContain("'unsafe-eval'");
  });
});

describe("newNonce (item 7)", () => {
  it("is 128 random bits in base64, new each time, in the form Next.js reads back from the header", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

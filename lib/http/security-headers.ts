import type { Env } from "@/lib/config/env";
import { splitList } from "@/lib/config/env";
import { frameAncestors } from "@/lib/embed/outputs";

/**
 * The security headers of every page, by kind. proxy.ts sets them per request (a fresh script
 * nonce each time, and the environment as it is at run time); the API's fixed set is
 * `API_SECURITY_HEADERS` (lib/http/api-headers.mjs), so the API never runs the proxy.
 *
 *   join     /join/*: the PIN form and the call. Framed only by EMBED_ALLOWED_ORIGINS; talks to
 *            LiveKit when configured; camera and microphone for itself; no referrer (the link's
 *            secret is in its path).
 *   chat     /chat/*: a participant's chat consultation. Never framed; no referrer and no
 *            caching (the link's secret is in its path, and the page carries a user token).
 *   signin   /signin/*: may post (then redirect) to the single sign-on issuer.
 *   staff    everything else (dashboard, API docs, home, not-found): never framed.
 */
export type PageKind = "join" | "chat" | "signin" | "staff";

export type SecurityHeadersEnv = Pick<Env, "NODE_ENV" | "APP_URL" | "EMBED_ALLOWED_ORIGINS" | "LIVEKIT_URL" | "AUTH_OIDC_ISSUER">;

export const HSTS = "max-age=63072000; includeSubDomains";

export function pageKind(pathname: string): PageKind {
  if (pathname === "/join" || pathname.startsWith("/join/")) return "join";
  if (pathname === "/chat" || pathname.startsWith("/chat/")) return "chat";
  if (pathname === "/signin" || pathname.startsWith("/signin/")) return "signin";
  return "staff";
}

/** 128 random bits, base64: what a CSP nonce-source accepts and Next.js reads back from the header. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/** The LiveKit server's origin as the browser reaches it: its WebSocket and, for livekit-client's connection check, its HTTP form. */
function livekitSources(livekitUrl: string | undefined): string[] {
  if (!livekitUrl) return [];
  const url = new URL(livekitUrl);
  const secure = url.protocol === "wss:" || url.protocol === "https:";
  return [`${secure ? "wss" : "ws"}://${url.host}`, `${secure ? "https" : "http"}://${url.host}`];
}

export function contentSecurityPolicy(kind: PageKind, env: SecurityHeadersEnv, nonce: string): string {
  const https = env.APP_URL?.startsWith("https:") ?? false;
  const development = env.NODE_ENV === "development";
  const directives: string[] = [
    "default-src 'self'",
    // Next.js puts the nonce on its own scripts; 'strict-dynamic' lets them load the page's
    // chunks. 'self' is for browsers without 'strict-dynamic'. React's dev build needs eval.
    // The join pages compile WebAssembly (the background effect's segmentation, served by this
    // app): 'wasm-unsafe-eval' allows that and nothing else (no eval of strings).
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${kind === "join" ? " 'wasm-unsafe-eval'" : ""}${development ? " 'unsafe-eval'" : ""}`,
    // <style> elements only from files or with the nonce (Next.js gives its own the nonce);
    // style attributes are allowed: React renders `style={}` props (the API docs' table widths
    // and indents, Next.js's own not-found page) as attributes, which cannot carry a nonce,
    // and an attribute cannot load a script or read the page. `next dev` injects its overlay's
    // <style> elements without the nonce (and a nonce would switch 'unsafe-inline' off).
    `style-src 'self' ${development ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "style-src-attr 'unsafe-inline'",
    // https: the organization's logo is an https URL on the clinic's own site.
    "img-src 'self' data: blob: https:",
    "font-src 'self'",
    // Camera previews and remote participants are MediaStreams; chat files may be blobs.
    "media-src 'self' blob: mediastream:",
    `connect-src ${["'self'", ...(kind === "join" ? livekitSources(env.LIVEKIT_URL) : [])].join(" ")}`,
    "worker-src 'self' blob:",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    // Without JavaScript the single sign-on form posts here, then is redirected to the issuer:
    // browsers check form-action against every hop of that redirect.
    `form-action ${["'self'", ...(kind === "signin" && env.AUTH_OIDC_ISSUER ? [new URL(env.AUTH_OIDC_ISSUER).origin] : [])].join(" ")}`,
    `frame-ancestors ${kind === "join" ? frameAncestors(splitList(env.EMBED_ALLOWED_ORIGINS)) : "'none'"}`,
  ];
  if (https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

export function pageSecurityHeaders(kind: PageKind, env: SecurityHeadersEnv, nonce: string): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(kind, env, nonce),
    "X-Content-Type-Options": "nosniff",
  };
  if (kind === "join") {
    // No X-Frame-Options: it cannot name several origins, and frame-ancestors above decides.
    headers["Referrer-Policy"] = "no-referrer";
    headers["X-Robots-Tag"] = "noindex, nofollow";
    headers["Permissions-Policy"] = "camera=(self), microphone=(self), display-capture=()";
  } else if (kind === "chat") {
    headers["X-Frame-Options"] = "DENY";
    headers["Referrer-Policy"] = "no-referrer";
    headers["X-Robots-Tag"] = "noindex, nofollow";
    headers["Cache-Control"] = "no-store";
    headers["Permissions-Policy"] = "camera=(), microphone=(), display-capture=(), geolocation=()";
  } else {
    headers["X-Frame-Options"] = "DENY";
    // Dashboard URLs carry filters and ids: they stay on this site.
    headers["Referrer-Policy"] = "same-origin";
    headers["Permissions-Policy"] = "camera=(), microphone=(), display-capture=(), geolocation=()";
  }
  if (env.APP_URL?.startsWith("https:")) headers["Strict-Transport-Security"] = HSTS;
  return headers;
}

/**
 * The security headers of every API answer (/api/**), fixed at build time: JSON (and Auth.js's
 * redirects) has nothing to run, nothing to frame and no referrer to leak. A route that sets one
 * of these itself (a served file's own type and policy) keeps its own.
 * Strict-Transport-Security is sent with the pages (proxy.ts), where APP_URL is known at run
 * time; browsers learn it from them, and the API's server-side callers ignore it.
 *
 * Plain JavaScript: next.config.mjs (Auth.js's routes, and the whole API under `next dev`) and
 * the API front (server/api-front.ts, the whole API under `npm start`) both read it.
 */
export const API_SECURITY_HEADERS = Object.freeze({
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "Referrer-Policy": "no-referrer",
});

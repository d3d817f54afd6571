import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/config";
import { newNonce, pageKind, pageSecurityHeaders } from "@/lib/http/security-headers";

/**
 * Every page's security headers (lib/http/security-headers.ts), set here at request time: the
 * script nonce is new for each request, and who may frame the join pages (EMBED_ALLOWED_ORIGINS),
 * LiveKit's URL and the sign-on issuer are read when the app runs, not when it is built.
 * Next.js reads the nonce from the request's Content-Security-Policy and puts it on its scripts.
 */
export function proxy(request: NextRequest): NextResponse {
  const nonce = newNonce();
  const headers = pageSecurityHeaders(pageKind(request.nextUrl.pathname), env(), nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only. The API (/api/**) has fixed headers from next.config.mjs, cheaper than running
      // this on every call; build assets, the icon and robots.txt are not documents.
      source: "/((?!api(?:/|$)|_next/static/|_next/image|favicon\\.ico|icon\\.svg|robots\\.txt).*)",
      // Link prefetches fetch data, not documents: no nonce needed.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};

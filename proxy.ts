import { NextResponse, type NextRequest } from "next/server";
import { chatLinkStatus } from "@/lib/chat-sessions/link";
import { appSecret, env } from "@/lib/config";
import { isLocale, LINK_LANGUAGE_HEADER, PATH_HEADER } from "@/lib/i18n/locales";
import { newNonce, pageKind, pageSecurityHeaders } from "@/lib/http/security-headers";

/**
 * Every page's security headers (lib/http/security-headers.ts), set here at request time: the
 * script nonce is new for each request, and who may frame the join pages (EMBED_ALLOWED_ORIGINS),
 * LiveKit's URL and the sign-on issuer are read when the app runs, not when it is built.
 * Next.js reads the nonce from the request's Content-Security-Policy and puts it on its scripts.
 */
export function proxy(request: NextRequest): NextResponse {
  const nonce = newNonce();
  const kind = pageKind(request.nextUrl.pathname);
  const headers = pageSecurityHeaders(kind, env(), nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]!);
  // The page's language depends on its link and `?language=` (i18n/request.ts); set, never
  // passed through, so a request cannot speak for another path.
  requestHeaders.set(PATH_HEADER, request.nextUrl.pathname);
  requestHeaders.delete(LINK_LANGUAGE_HEADER);
  const language = request.nextUrl.searchParams.get("language");
  if (isLocale(language)) requestHeaders.set(LINK_LANGUAGE_HEADER, language);
  const response = NextResponse.next({ request: { headers: requestHeaders }, status: kind === "chat" ? chatPageStatus(request.nextUrl.pathname) : undefined });
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

/**
 * A chat link that has aged answers 410 Gone (a page can only say 404 itself). The page still
 * renders: a tab that opened the link earlier keeps its conversation after a reload.
 */
function chatPageStatus(pathname: string): number | undefined {
  const token = /^\/chat\/([^/]+)$/.exec(pathname)?.[1];
  if (!token) return undefined;
  return chatLinkStatus(appSecret(), token, new Date(), env().CHAT_LINK_TTL_SECONDS) === "expired" ? 410 : undefined;
}

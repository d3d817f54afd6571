import { NextResponse } from "next/server";
import { env, splitList } from "@/lib/config";
import { frameAncestors } from "@/lib/embed/outputs";

/**
 * The join pages may be framed by the clinic sites in EMBED_ALLOWED_ORIGINS and nowhere else.
 * Set here, at request time, because next.config's headers are fixed when the app is built.
 */
export function proxy(): NextResponse {
  const response = NextResponse.next();
  response.headers.set("Content-Security-Policy", `frame-ancestors ${frameAncestors(splitList(env().EMBED_ALLOWED_ORIGINS))}`);
  return response;
}

export const config = { matcher: "/join/:path*" };

/**
 * The client's address. Next.js fills X-Forwarded-For with the socket's address only when the
 * request has none, so with no trusted proxy (hops = 0) a client can name any address: the
 * per-address limits then only slow down clients that do not lie, and the per-link limits are
 * what hold. Behind `hops` proxies that append to the header, the `hops`-th entry from the
 * right (the last being the first) was written by our own proxy and can be trusted.
 */
export function clientAddress(headers: Headers, trustedProxyHops: number): string | null {
  const entries = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) return null;
  // Our nearest proxy appends last, so with `hops` proxies the client's address is the
  // `hops`-th entry from the right; with none it is the last (the socket's, or the client's claim).
  const index = Math.max(0, entries.length - Math.max(1, trustedProxyHops));
  return entries[index]!.slice(0, 64);
}

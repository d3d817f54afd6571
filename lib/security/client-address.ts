import ipaddr from "ipaddr.js";

/**
 * The client's address, normalized, or null when there is none we can trust to be an address.
 * Next.js fills X-Forwarded-For with the socket's address only when the request has none, so
 * with no trusted proxy (hops = 0) a client can name any address: the per-address limits then
 * only slow down clients that do not lie, and the per-link limits are what hold. Behind `hops`
 * proxies that append to the header, the `hops`-th entry from the right (the last being the
 * first) was written by our own proxy and can be trusted.
 *
 * The header is the client's to write, so what comes back is always either null or an address
 * PostgreSQL's `inet` takes: a malformed header must never make a write fail (a failed write
 * once rolled back the count of wrong PINs). See `parseAddress` for what is accepted.
 */
export function clientAddress(headers: Headers, trustedProxyHops: number): string | null {
  // Empty entries (`a,,b`, a trailing comma) are skipped: only the client can write them, on
  // the left of what our proxies append, so skipping them never moves the entry we trust.
  const entries = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) return null;
  // Our nearest proxy appends last, so with `hops` proxies the client's address is the
  // `hops`-th entry from the right; with none it is the last (the socket's, or the client's claim).
  const index = Math.max(0, entries.length - Math.max(1, trustedProxyHops));
  // The chosen entry alone decides: an invalid one is no address, not a cue to look at another.
  return parseAddress(entries[index]!);
}

// Longer than any address with brackets, a zone and a port: refused before any parsing.
const MAX_ENTRY = 100;
const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/;
const BRACKETED_IPV6 = /^\[([^\]]+)\](?::(\d{1,5}))?$/;
const ZONE = /^([^%]+)%[\w.-]{1,32}$/;

/**
 * One address as a proxy writes it, in PostgreSQL's and everyone's canonical text, or null.
 * Accepted: dotted-quad IPv4 (no octal, hex or short forms), IPv6 in any valid spelling
 * (written back in RFC 5952 form), an IPv4 address with a port (`192.0.2.1:8080`), a bracketed
 * IPv6 address with or without a port (`[2001:db8::1]:443`), as some proxies write them: the
 * port is dropped. An IPv6 zone (`fe80::1%eth0`) names an interface of the host that wrote it,
 * not the client: it is dropped and the address kept. An IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.1`, what a dual-stack socket reports) is the IPv4 address, so one client
 * is counted as one. Anything else (`not-an-ip`, `999.1.1.1`, 500 characters) is null.
 */
export function parseAddress(entry: string): string | null {
  let text = entry.trim();
  if (text.length === 0 || text.length > MAX_ENTRY) return null;
  const bracketed = BRACKETED_IPV6.exec(text);
  const withPort = bracketed ?? IPV4_WITH_PORT.exec(text);
  if (withPort) {
    if (withPort[2] !== undefined && Number(withPort[2]) > 65_535) return null;
    text = withPort[1]!;
  }
  if (text.includes(":")) text = ZONE.exec(text)?.[1] ?? text;
  // Whatever is left with a `%` (two zones, an empty one) is no address.
  if (text.includes("%")) return null;
  if (!bracketed && ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text).toString();
  if (!ipaddr.IPv6.isValid(text)) return null;
  const address = ipaddr.IPv6.parse(text);
  return address.isIPv4MappedAddress() ? address.toIPv4Address().toString() : address.toString();
}

/** Where a request came from, as sessions, sign-in attempts and the audit log keep it. */
export type RequestContext = { ip: string | null; userAgent: string | null };

/** The request's context from its headers: the client's address (see clientAddress) and its user agent. */
export function requestContextFrom(headers: Headers, trustedProxyHops: number): RequestContext {
  return { ip: clientAddress(headers, trustedProxyHops), userAgent: headers.get("user-agent")?.slice(0, 500) ?? null };
}

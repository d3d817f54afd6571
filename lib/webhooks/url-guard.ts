import { lookup as dnsLookup, promises as dns, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { AppError, type ErrorCode } from "@/lib/errors";

const MAX_URL_LENGTH = 2048;

// Resolves to 169.254.169.254, but refusing the name gives the integrator a clearer answer.
const METADATA_HOSTNAMES = new Set(["metadata.google.internal"]);

// Every globally routable IPv6 address is in 2000::/3; this also shuts out the deprecated
// IPv4-compatible ::a.b.c.d form, which ipaddr.js calls unicast.
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR("2000::/3");

const RANGE_WORDS: Record<string, string> = {
  loopback: "a loopback address",
  private: "a private address",
  uniqueLocal: "a private address",
  linkLocal: "a link-local address",
  unspecified: "an unspecified address",
  carrierGradeNat: "a carrier-grade NAT address",
  multicast: "a multicast address",
  broadcast: "a broadcast address",
  reserved: "a reserved address",
  "6to4": "a 6to4 tunnel address",
  teredo: "a Teredo tunnel address",
  rfc6052: "a NAT64 address",
  rfc6145: "an IPv4-translated address",
};

/** The address as it will be routed: an IPv4-mapped IPv6 address is judged as its IPv4 address. */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!ipaddr.isValid(address)) return null;
  return ipaddr.process(address);
}

/** True only for a globally routable unicast address: anything else may reach our own network. */
export function isPublicAddress(address: string): boolean {
  const parsed = parseAddress(address);
  if (!parsed || parsed.range() !== "unicast") return false;
  return parsed.kind() === "ipv4" || parsed.match(GLOBAL_UNICAST_V6);
}

/** The kind of address, one of RANGE_WORDS' keys (a unique-local address is a private one), or `other`. */
function rangeOf(address: string): string {
  const range = parseAddress(address)?.range();
  if (range === "uniqueLocal") return "private";
  return range && RANGE_WORDS[range] ? range : "other";
}

function describeAddress(address: string): string {
  return RANGE_WORDS[rangeOf(address)] ?? "not a public address";
}

/** What a connection to a non-public address fails with, at send time. */
export class ForbiddenAddressError extends Error {
  override name = "ForbiddenAddressError";
  readonly code = "EWEBHOOKFORBIDDEN";

  constructor(readonly address: string) {
    super(`Refused to connect to ${address}, ${describeAddress(address)}; webhooks can only go to public addresses.`);
  }
}

/**
 * A refusal of the URL; `params.reason` (and the host or address it names) lets the dashboard say
 * it in the reader's language.
 */
function urlError(code: Extract<ErrorCode, `webhook_url_${string}`>, message: string, params: Record<string, string | number>): AppError {
  return new AppError(code, message, [{ field: "url", message, code, params }]);
}

/**
 * Checks a webhook URL before it is stored: https only, no credentials or fragment, a host
 * that resolves, and every address it resolves to public. `allowInsecure` (development
 * against a local receiver) lets http and non-public addresses through. Sending checks
 * again after its own DNS lookup (guardedLookup), since DNS may change in between.
 */
export async function assertWebhookUrlAllowed(raw: string, options: { allowInsecure: boolean }): Promise<URL> {
  if (raw.length > MAX_URL_LENGTH) {
    throw urlError("webhook_url_invalid", `The webhook URL is longer than ${MAX_URL_LENGTH} characters.`, { reason: "too_long", maximum: MAX_URL_LENGTH });
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw urlError("webhook_url_invalid", "The webhook URL is not a valid absolute URL.", { reason: "not_absolute" });
  }
  if (url.protocol === "http:" && !options.allowInsecure) {
    throw urlError("webhook_url_insecure", "The webhook URL must use https://; plain http:// is not allowed.", { reason: "insecure" });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw urlError("webhook_url_invalid", "The webhook URL must start with https://.", { reason: "scheme" });
  }
  if (url.username || url.password) {
    throw urlError("webhook_url_invalid", "The webhook URL must not contain a user name or password; authenticate with the webhook signature instead.", { reason: "credentials" });
  }
  // Not url.hash: a bare trailing `#` leaves it empty.
  if (raw.includes("#")) {
    throw urlError("webhook_url_invalid", "The webhook URL must not contain a fragment (#...).", { reason: "fragment" });
  }

  const host = hostOf(url);
  if (!options.allowInsecure && METADATA_HOSTNAMES.has(host.replace(/\.$/, ""))) {
    throw urlError("webhook_url_forbidden", `The webhook URL points at ${host}, a cloud metadata service; webhooks can only go to public addresses.`, { reason: "metadata", host });
  }
  const addresses = isIP(host) ? [host] : await resolve(host);
  if (options.allowInsecure) return url;
  for (const address of addresses) {
    if (!isPublicAddress(address)) {
      throw urlError("webhook_url_forbidden", `The webhook URL resolves to ${address}, ${describeAddress(address)}; webhooks can only go to public addresses.`, {
        reason: "not_public",
        address,
        range: rangeOf(address),
      });
    }
  }
  return url;
}

/** The host to connect to: URL keeps brackets around an IPv6 literal, sockets do not take them. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

async function resolve(host: string): Promise<string[]> {
  try {
    const found = await dns.lookup(host, { all: true, order: "verbatim" });
    return found.map((entry) => entry.address);
  } catch {
    throw urlError("webhook_url_unresolvable", `The webhook URL's host ${host} could not be resolved; check the name and its DNS records.`, { reason: "unresolvable", host });
  }
}

/**
 * A `lookup` for http.request/https.request that refuses non-public addresses (unless
 * `allowInsecure`). The socket connects to exactly the address checked here, so a DNS
 * answer that changed since the URL was stored (DNS rebinding) cannot slip through.
 * Node skips `lookup` for IP literals: callers check those with isPublicAddress.
 */
export function guardedLookup(options: { allowInsecure: boolean }): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    // Node asks for `all: true` when it races address families (autoSelectFamily), for one address otherwise.
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error: NodeJS.ErrnoException | null, found: LookupAddress[]) => {
      if (error) return callback(error, []);
      const forbidden = options.allowInsecure ? undefined : found.find((entry) => !isPublicAddress(entry.address));
      if (forbidden) return callback(new ForbiddenAddressError(forbidden.address), []);
      if (lookupOptions.all) return callback(null, found);
      const first = found[0];
      if (!first) return callback(Object.assign(new Error(`No address found for ${hostname}`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}

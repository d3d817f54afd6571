import { readdirSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { pipeline } from "node:stream/promises";
import { createGzip, gzip as gzipCallback } from "node:zlib";
import { AppError } from "@/lib/errors";
import { API_SECURITY_HEADERS } from "@/lib/http/api-headers.mjs";
import { errorResponse, newRequestId } from "@/lib/http/envelope";

/**
 * The API's front door under `npm start`: /api/** is answered here by the very route handlers of
 * app/api (they take a web `Request` and give a `Response`, and use nothing of Next.js), and
 * every other request goes to Next.js. Next.js's request pipeline costs about 0.7 ms of CPU per
 * request before a handler runs, twice what the whole of a consultation read costs
 * (bench/api); an integrator's burst pays that on every call.
 *
 * It keeps what Next.js gave the API: the file-system routes and their precedence (a static
 * segment before a [param] before a [...rest]), params decoded, HEAD from GET, OPTIONS, the
 * fixed security headers, the request's `signal` aborted when the client goes, streamed answers
 * (server-sent events) and gzip. What it changes: a method a route does not take is 405 in the
 * envelope, with `Allow`, not an empty body.
 */

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type Method = (typeof METHODS)[number];

export type RouteHandler = (request: Request, segment: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

type Segment = { kind: "static"; name: string } | { kind: "param"; name: string } | { kind: "rest"; name: string };
const RANK = { static: 0, param: 1, rest: 2 } as const;

export type ApiRoute = {
  /** The route's path as Next.js writes it: /api/consultations/[consultationId]. */
  pattern: string;
  segments: Segment[];
  handlers: Partial<Record<Method, RouteHandler>>;
};

/**
 * Auth.js's routes stay with Next.js: its handlers read cookies and headers through
 * `next/headers`, which only Next.js's request context provides.
 */
const LEFT_TO_NEXT = ["auth"];

export function segmentsOf(pattern: string): Segment[] {
  return pattern
    .split("/")
    .filter(Boolean)
    .map((part): Segment => {
      if (part.startsWith("[[")) throw new Error(`api front: optional catch-all routes are not supported (${pattern})`);
      if (part.startsWith("(")) throw new Error(`api front: route groups are not supported under app/api (${pattern})`);
      if (part.startsWith("[...")) return { kind: "rest", name: part.slice(4, -1) };
      if (part.startsWith("[")) return { kind: "param", name: part.slice(1, -1) };
      return { kind: "static", name: part };
    });
}

/** Next.js's precedence: at the first segment where two routes differ in kind, the more specific wins. */
export function byPrecedence(a: ApiRoute, b: ApiRoute): number {
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
    const difference = RANK[a.segments[i]!.kind] - RANK[b.segments[i]!.kind];
    if (difference !== 0) return difference;
  }
  return b.segments.length - a.segments.length;
}

/** The route files under `apiDir` (app/api), as patterns: /api/consultations/[consultationId]. */
export function routePatterns(apiDir: string): { pattern: string; file: string }[] {
  const found: { pattern: string; file: string }[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (prefix === "/api" && LEFT_TO_NEXT.includes(entry.name)) continue;
        walk(path.join(dir, entry.name), `${prefix}/${entry.name}`);
      } else if (entry.name === "route.ts") {
        found.push({ pattern: prefix, file: path.join(dir, entry.name) });
      }
    }
  };
  walk(apiDir, "/api");
  return found;
}

/** Loads every route module under app/api, in precedence order. */
export async function loadApiRoutes(apiDir: string): Promise<ApiRoute[]> {
  const routes = await Promise.all(
    routePatterns(apiDir).map(async ({ pattern, file }) => {
      const routeModule = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      const handlers: ApiRoute["handlers"] = {};
      for (const method of METHODS) if (typeof routeModule[method] === "function") handlers[method] = routeModule[method] as RouteHandler;
      return { pattern, segments: segmentsOf(pattern), handlers };
    }),
  );
  return routes.sort(byPrecedence);
}

export type RouteMatch = { route: ApiRoute; params: Record<string, string | string[]> };

/**
 * The route a path names; "malformed" for an API path with an escape that does not decode
 * (%E0%A4); or undefined: not under /api, under a path left to Next.js, or with an empty segment
 * (a trailing slash, which Next.js redirects).
 */
export function matchRoute(routes: readonly ApiRoute[], pathname: string): RouteMatch | "malformed" | undefined {
  if (pathname !== "/api" && !pathname.startsWith("/api/")) return undefined;
  const raw = pathname.split("/").slice(1);
  if (raw.some((part) => part === "")) return undefined;
  if (raw.length > 1 && LEFT_TO_NEXT.includes(raw[1]!)) return undefined;
  let parts: string[];
  try {
    parts = raw.map((part) => decodeURIComponent(part));
  } catch {
    return "malformed";
  }
  for (const route of routes) {
    const params = paramsOf(route.segments, parts);
    if (params) return { route, params };
  }
  return undefined;
}

function paramsOf(segments: readonly Segment[], parts: readonly string[]): Record<string, string | string[]> | undefined {
  const params: Record<string, string | string[]> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.kind === "rest") {
      if (i >= parts.length) return undefined; // [...rest] takes one segment at least
      params[segment.name] = parts.slice(i);
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.kind === "static" ? part !== segment.name : false) return undefined;
    if (segment.kind === "param") params[segment.name] = part;
  }
  return segments.length === parts.length ? params : undefined;
}

export function allowedMethods(route: ApiRoute): string[] {
  const allowed = new Set<string>(Object.keys(route.handlers));
  if (allowed.has("GET")) allowed.add("HEAD");
  allowed.add("OPTIONS");
  return METHODS.filter((method) => allowed.has(method));
}

export type ApiFrontOptions = {
  /** The origin a handler's `request.url` carries (APP_URL's): links it writes point there. */
  origin: string;
  /** gzip answers of 1 KiB or more for clients that take it (HTTP_COMPRESSION). */
  compress: boolean;
};

/** Bodies smaller than this go out as they are, as Next.js's compression did. */
const COMPRESS_FROM_BYTES = 1024;
/** An answer is sent with a Content-Length when it has ended by this size; a longer one (a file) streams. */
const BUFFER_UP_TO_BYTES = 64 * 1024;
const gzip = promisify(gzipCallback);

/**
 * A request listener for node:http that answers the API and returns true, or returns false for
 * a request that is not the API's (the caller hands it to Next.js).
 */
export function apiFront(routes: readonly ApiRoute[], options: ApiFrontOptions) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const target = req.url ?? "/";
    const query = target.indexOf("?");
    const found = matchRoute(routes, query < 0 ? target : target.slice(0, query));
    if (!found) return false;
    const answer = found === "malformed" ? send(malformedPath(), req, res, options) : serve(found, req, res, options);
    answer.catch((error: unknown) => {
      // Only a failure to write can get here (the handlers answer their own errors): the client is gone.
      console.error(`api front: could not answer ${req.method} ${found === "malformed" ? "a malformed path" : found.route.pattern}: ${(error as Error).message}`);
      res.destroy();
    });
    return true;
  };
}

function malformedPath(): Response {
  const message = "The path has a %-escape that does not decode to UTF-8 text.";
  return errorResponse(AppError.badRequest("validation_error", message, "path"), newRequestId());
}

async function serve({ route, params }: RouteMatch, req: IncomingMessage, res: ServerResponse, options: ApiFrontOptions): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const handler = route.handlers[method as Method] ?? (method === "HEAD" ? route.handlers.GET : undefined);
  const allow = allowedMethods(route).join(", ");
  if (!handler && method === "OPTIONS") return send(new Response(null, { status: 204, headers: { allow } }), req, res, options);
  const aborted = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) aborted.abort();
  });

  let response: Response;
  if (!handler) {
    const message = `${method} is not allowed on ${route.pattern}. Allowed: ${allow}.`;
    response = errorResponse(new AppError("method_not_allowed", message, [], { Allow: allow }), newRequestId());
  } else {
    const request = webRequest(req, method, options.origin, aborted.signal);
    try {
      response = await handler(request, { params: Promise.resolve(params) });
    } catch (error) {
      // The handlers' wrappers answer their own errors; this is the net under one that did not.
      response = errorResponse(error, newRequestId());
    }
  }
  await send(response, req, res, options);
}

function webRequest(req: IncomingMessage, method: string, origin: string, signal: AbortSignal): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!);
    } catch {
      // A header the Fetch standard refuses (Node's parser is laxer): the handler never sees it.
    }
  }
  // As Next.js does, so lib/security/client-address.ts reads the same thing under either: the
  // socket's address when the request names none (a client may name one: see there).
  const socket = req.socket;
  if (!headers.has("x-forwarded-for") && socket.remoteAddress) headers.set("x-forwarded-for", socket.remoteAddress);
  if (!headers.has("x-forwarded-host") && req.headers.host) headers.set("x-forwarded-host", req.headers.host);
  if (!headers.has("x-forwarded-proto")) headers.set("x-forwarded-proto", "encrypted" in socket && socket.encrypted ? "https" : "http");
  if (!headers.has("x-forwarded-port") && socket.localPort) headers.set("x-forwarded-port", String(socket.localPort));
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(origin + (req.url ?? "/"), {
    method,
    headers,
    signal,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    duplex: "half",
  } as RequestInit & { duplex: "half" });
}

/** Lower-case, as a Response's own header names come: a route that sets one replaces it, never doubles it. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(API_SECURITY_HEADERS).map(([name, value]) => [name.toLowerCase(), value]),
);

async function send(response: Response, req: IncomingMessage, res: ServerResponse, options: ApiFrontOptions): Promise<void> {
  const headers: Record<string, string | string[]> = { ...SECURITY_HEADERS };
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;

  const body = response.body;
  if (!body || req.method === "HEAD") {
    await body?.cancel();
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const reader = body.getReader();
  res.on("close", () => void reader.cancel().catch(() => {}));
  const eventStream = response.headers.get("content-type")?.startsWith("text/event-stream") ?? false;
  const zippable = options.compress && !eventStream && takesGzip(req) && compressible(headers);

  // Short answers (every JSON one) go out whole, with a Content-Length, gzipped when worth it.
  const chunks: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  while (!eventStream && size <= BUFFER_UP_TO_BYTES) {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  if (ended) {
    let whole: Buffer = Buffer.concat(chunks);
    if (zippable && size >= COMPRESS_FROM_BYTES) {
      whole = await gzip(whole);
      gzipped(headers);
    }
    headers["content-length"] = String(whole.byteLength);
    res.writeHead(response.status, headers);
    res.end(whole);
    return;
  }

  // A stream (events) or a long body (the OpenAPI document, a file): sent as it comes, at the
  // client's pace; a client that goes away cancels the body (and an event stream's handler).
  if (zippable) gzipped(headers);
  res.writeHead(response.status, headers);
  res.flushHeaders();
  async function* rest() {
    yield* chunks;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  }
  const source = Readable.from(rest());
  try {
    await (zippable ? pipeline(source, createGzip(), res) : pipeline(source, res));
  } catch (error) {
    if (!res.destroyed || res.writableFinished) throw error; // else: the client went away, as clients do
  }
}

function gzipped(headers: Record<string, string | string[]>): void {
  headers["content-encoding"] = "gzip";
  headers["vary"] = headers["vary"] ? `${String(headers["vary"])}, Accept-Encoding` : "Accept-Encoding";
  delete headers["content-length"];
}

/** Accept-Encoding names gzip (or *) with a weight above 0. */
export function takesGzip(req: Pick<IncomingMessage, "headers">): boolean {
  const accepted = req.headers["accept-encoding"];
  if (typeof accepted !== "string") return false;
  return accepted.split(",").some((offer) => {
    const [name, ...parameters] = offer.split(";").map((part) => part.trim().toLowerCase());
    if (name !== "gzip" && name !== "*") return false;
    const weight = parameters.find((p) => p.startsWith("q="));
    return weight === undefined || Number(weight.slice(2)) > 0;
  });
}

function compressible(headers: Record<string, string | string[]>): boolean {
  if (headers["content-encoding"]) return false;
  const type = String(headers["content-type"] ?? "");
  return /^(?:application\/(?:[\w.+-]*\+)?json|text\/)/i.test(type);
}

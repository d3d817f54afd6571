import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { immediateGeneralExample } from "@/test/fixtures/seed-examples";
import { apiFront, byPrecedence, loadApiRoutes, matchRoute, segmentsOf, takesGzip, type ApiRoute, type RouteHandler } from "./api-front";

const test = setupTestDatabase();
const API_DIR = path.join(import.meta.dirname, "..", "app", "api");
const ORIGIN = "https://portal.test";

/** A real node:http server: the API front first, and a stand-in for Next.js behind it that answers 418 "next". */
async function serve(routes: readonly ApiRoute[], options: { compress?: boolean } = {}) {
  const front = apiFront(routes, { origin: ORIGIN, compress: options.compress ?? true });
  const server = http.createServer((req, res) => {
    if (front(req, res)) return;
    res.writeHead(418, { "content-type": "text/plain" });
    res.end("next");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A raw request (fetch would decompress, and refuses some methods). */
function raw(base: string, method: string, target: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.request(`${base}${target}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const route = (pattern: string, handlers: ApiRoute["handlers"]): ApiRoute => ({ pattern, segments: segmentsOf(pattern), handlers });

describe("the API front's routes: app/api as Next.js routes it", () => {
  let routes: ApiRoute[];
  beforeAll(async () => {
    routes = await loadApiRoutes(API_DIR);
  });

  it("finds every route file of app/api but Auth.js's, with the methods each exports", () => {
    const patterns = routes.map((r) => r.pattern);
    expect(patterns).toContain("/api/consultations");
    expect(patterns).toContain("/api/consultations/[consultationId]");
    expect(patterns).toContain("/api/webhooks/[endpointId]/deliveries/[deliveryId]/redeliver");
    expect(patterns).toContain("/api/[...path]");
    expect(patterns.some((p) => p.startsWith("/api/auth"))).toBe(false);
    const consultations = routes.find((r) => r.pattern === "/api/consultations")!;
    expect(Object.keys(consultations.handlers).sort()).toEqual(["GET", "POST"]);
    // The catch-all comes last: anything more specific is tried first.
    expect(patterns.at(-1)).toBe("/api/[...path]");
  });

  it("matches paths to routes and decodes their params", () => {
    const match = (p: string) => {
      const found = matchRoute(routes, p);
      return typeof found === "object" ? { pattern: found.route.pattern, params: found.params } : found;
    };
    expect(match("/api/consultations")).toEqual({ pattern: "/api/consultations", params: {} });
    expect(match("/api/consultations/c-1")).toEqual({ pattern: "/api/consultations/[consultationId]", params: { consultationId: "c-1" } });
    expect(match("/api/consultations/c-1/guests")).toEqual({ pattern: "/api/consultations/[consultationId]/guests", params: { consultationId: "c-1" } });
    expect(match("/api/consultations/a%2Fb%20c")).toEqual({ pattern: "/api/consultations/[consultationId]", params: { consultationId: "a/b c" } });
    expect(match("/api/teleconsultation/r1/participants/data")).toEqual({ pattern: "/api/teleconsultation/[roomId]/participants/data", params: { roomId: "r1" } });
    expect(match("/api/no/such/thing")).toEqual({ pattern: "/api/[...path]", params: { path: ["no", "such", "thing"] } });
    expect(match("/api/consultations/%E0%A4%A")).toBe("malformed");
    // Left to Next.js: Auth.js, anything outside /api, and a trailing slash (Next.js redirects it).
    for (const p of ["/api/auth/session", "/api/auth", "/dashboard", "/apiary", "/api", "/api/consultations/", "/api//consultations"]) {
      expect(match(p), p).toBeUndefined();
    }
  });

  it("puts a static segment before a [param] before a [...rest], whatever the order of the files", () => {
    const ok: RouteHandler = async () => new Response();
    const shuffled = [route("/api/[...rest]", { GET: ok }), route("/api/a/[x]", { GET: ok }), route("/api/a/b", { GET: ok }), route("/api/[y]/b", { GET: ok })];
    for (const order of [shuffled, [...shuffled].reverse()]) {
      const sorted = [...order].sort(byPrecedence);
      const patternOf = (p: string) => {
        const found = matchRoute(sorted, p);
        return typeof found === "object" ? found.route.pattern : found;
      };
      expect(patternOf("/api/a/b")).toBe("/api/a/b");
      expect(patternOf("/api/a/c")).toBe("/api/a/[x]");
      expect(patternOf("/api/z/b")).toBe("/api/[y]/b");
      expect(patternOf("/api/z/c")).toBe("/api/[...rest]");
    }
  });

  it("refuses route shapes it cannot route as Next.js would, rather than routing them wrongly", () => {
    expect(() => segmentsOf("/api/[[...optional]]")).toThrow(/optional catch-all/);
    expect(() => segmentsOf("/api/(group)/x")).toThrow(/route groups/);
  });
});

describe("the API front over HTTP, with the app's own handlers and database", () => {
  let tenant: Tenant;
  let server: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    tenant = await createTenant(test.db);
    server = await serve(await loadApiRoutes(API_DIR));
  });
  afterAll(() => server.close());

  it("creates a consultation and reads it back, with the API's security headers, request id and rate limit", async () => {
    const headers = { ...tenant.headers, "content-type": "application/json" };
    const created = await raw(server.base, "POST", "/api/consultations", headers, JSON.stringify(immediateGeneralExample()));
    expect(created.status, created.body.toString()).toBe(200);
    const data = JSON.parse(created.body.toString()).data;
    expect(data.participantAccess.patientUrl.startsWith(`${ORIGIN}/join/`)).toBe(true);
    expect(created.headers).toMatchObject({
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
      "referrer-policy": "no-referrer",
      "content-type": "application/json",
      "x-ratelimit-limit": expect.stringMatching(/^\d+$/),
    });
    expect(created.headers["x-request-id"]).toMatch(/^[0-9a-f]{16}$/);
    expect(Number(created.headers["content-length"])).toBe(created.body.length);

    const read = await raw(server.base, "GET", `/api/consultations/${data.consultationId}`, tenant.headers);
    expect(read.status).toBe(200);
    expect(JSON.parse(read.body.toString()).data).toMatchObject({ consultationId: data.consultationId, patient: data.patient });
  });

  it("answers an unknown credential, an unknown id and an unknown path in the envelope, never as a crash", async () => {
    const noKey = await raw(server.base, "GET", "/api/consultations");
    expect(noKey.status).toBe(401);
    expect(JSON.parse(noKey.body.toString()).error.code).toBe("missing_credentials");
    const unknown = await raw(server.base, "GET", "/api/consultations/00000000-0000-4000-8000-000000000000", tenant.headers);
    expect(unknown.status).toBe(404);
    const nowhere = await raw(server.base, "GET", "/api/no/such/route");
    expect(nowhere.status).toBe(404);
    expect(JSON.parse(nowhere.body.toString()).error).toMatchObject({ code: "not_found", message: "No API route matches GET /api/no/such/route." });
  });

  it("answers a path whose escape does not decode with 400 at `path`", async () => {
    const answer = await raw(server.base, "GET", "/api/consultations/%E0%A4%A", tenant.headers);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body.toString()).error.details).toEqual([expect.objectContaining({ field: "path", code: "validation_error" })]);
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("answers a method the route does not take with 405 and Allow, OPTIONS with 204, HEAD like GET without a body", async () => {
    const refused = await raw(server.base, "DELETE", "/api/consultations", tenant.headers);
    expect(refused.status).toBe(405);
    expect(refused.headers.allow).toBe("GET, HEAD, POST, OPTIONS");
    expect(JSON.parse(refused.body.toString()).error).toMatchObject({ code: "method_not_allowed", message: "DELETE is not allowed on /api/consultations. Allowed: GET, HEAD, POST, OPTIONS." });

    const options = await raw(server.base, "OPTIONS", "/api/consultations/c-1");
    expect(options.status).toBe(204);
    expect(options.headers.allow).toBe("GET, HEAD, OPTIONS");

    const head = await raw(server.base, "HEAD", "/api/health");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers["x-request-id"]).toMatch(/^[0-9a-f]{16}$/);
  });

  it("leaves Auth.js's routes and every page to Next.js", async () => {
    for (const target of ["/api/auth/session", "/api/auth/signin/credentials", "/signin", "/join/abc", "/api/consultations/"]) {
      const answer = await raw(server.base, "GET", target);
      expect([answer.status, answer.body.toString()], target).toEqual([418, "next"]);
    }
  });

  it("gzips a long JSON answer for a client that takes gzip, and only then", async () => {
    const document = await raw(server.base, "GET", "/api/openapi.json", { "accept-encoding": "br, gzip;q=0.8" });
    expect(document.status).toBe(200);
    expect(document.headers["content-encoding"]).toBe("gzip");
    expect(document.headers.vary).toMatch(/Accept-Encoding/);
    const openapi = JSON.parse(gunzipSync(document.body).toString());
    expect(openapi.openapi).toBe("3.1.0");

    const plain = await raw(server.base, "GET", "/api/openapi.json", { "accept-encoding": "gzip;q=0" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(plain.body.toString())).toEqual(openapi);

    const short = await raw(server.base, "GET", "/api/health", { "accept-encoding": "gzip" });
    expect(short.headers["content-encoding"]).toBeUndefined(); // under 1 KiB: not worth it
  });
});

describe("the API front's plumbing: requests in, responses out", () => {
  it("hands the body and the headers to the handler, and every Set-Cookie back", async () => {
    const echo: RouteHandler = async (request) => {
      const body = await request.text();
      const headers = new Headers({ "content-type": "application/json" });
      headers.append("set-cookie", "a=1; Path=/");
      headers.append("set-cookie", "b=2; Path=/");
      const forwardedFor = request.headers.get("x-forwarded-for");
      return new Response(JSON.stringify({ body, url: request.url, who: request.headers.get("x-who"), forwardedFor }), { status: 201, headers });
    };
    const server = await serve([route("/api/echo", { POST: echo })]);
    try {
      const answer = await raw(server.base, "POST", "/api/echo?x=1", { "x-who": "integrator" }, "héllo");
      expect(answer.status).toBe(201);
      // No X-Forwarded-For: the socket's address, as Next.js fills it (the PIN limits count by it).
      expect(JSON.parse(answer.body.toString())).toEqual({ body: "héllo", url: `${ORIGIN}/api/echo?x=1`, who: "integrator", forwardedFor: "127.0.0.1" });
      expect(answer.headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; Path=/"]);
      // One sent by the client (or a proxy) is passed as it is: lib/security/client-address.ts judges it.
      const forwarded = await raw(server.base, "POST", "/api/echo", { "x-forwarded-for": "not-an-ip, 203.0.113.9" }, "");
      expect(JSON.parse(forwarded.body.toString()).forwardedFor).toBe("not-an-ip, 203.0.113.9");
    } finally {
      await server.close();
    }
  });

  it("streams an event stream as it is written, and aborts the handler's signal when the client goes", async () => {
    let aborted: () => void = () => {};
    const gone = new Promise<void>((resolve) => (aborted = resolve));
    const events: RouteHandler = async (request) => {
      request.signal.addEventListener("abort", () => aborted());
      const encoder = new TextEncoder();
      let timer: NodeJS.Timeout;
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          let n = 0;
          controller.enqueue(encoder.encode(`data: ${n++}\n\n`));
          timer = setInterval(() => controller.enqueue(encoder.encode(`data: ${n++}\n\n`)), 50);
        },
        cancel() {
          clearInterval(timer);
        },
      });
      return new Response(stream, { headers: { "content-type": "text/event-stream" } });
    };
    const server = await serve([route("/api/events", { GET: events })]);
    try {
      const controller = new AbortController();
      const response = await fetch(`${server.base}/api/events`, { signal: controller.signal });
      expect(response.headers.get("content-type")).toBe("text/event-stream");
      const reader = response.body!.getReader();
      let text = "";
      while (!text.includes("data: 1\n\n")) text += new TextDecoder().decode((await reader.read()).value);
      expect(text.startsWith("data: 0\n\n")).toBe(true); // the first event arrived before the stream ended: it streams
      controller.abort();
      await expect(Promise.race([gone.then(() => "aborted"), new Promise((r) => setTimeout(() => r("still running"), 3000))])).resolves.toBe("aborted");
    } finally {
      await server.close();
    }
  });

  it("lets a route's own security header replace the API's, never send both", async () => {
    const file: RouteHandler = async () =>
      new Response("%PDF-1.7", { headers: { "content-type": "application/pdf", "Content-Security-Policy": "sandbox; default-src 'none'" } });
    const server = await serve([route("/api/file", { GET: file })]);
    try {
      const answer = await raw(server.base, "GET", "/api/file");
      expect(answer.headers["content-security-policy"]).toBe("sandbox; default-src 'none'");
      expect(answer.headers["x-frame-options"]).toBe("DENY");
      const response = await fetch(`${server.base}/api/file`);
      expect(response.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'"); // one header, not two joined
    } finally {
      await server.close();
    }
  });

  it("sends a long body whole, and a handler that throws as a 500 in the envelope", async () => {
    const long = "x".repeat(300 * 1024);
    const server = await serve(
      [
        route("/api/long", { GET: async () => new Response(long, { headers: { "content-type": "text/plain" } }) }),
        route("/api/broken", {
          GET: async () => {
            throw new Error("a bug");
          },
        }),
      ],
      { compress: false },
    );
    try {
      const answer = await raw(server.base, "GET", "/api/long");
      expect(answer.body.toString()).toBe(long);
      const broken = await raw(server.base, "GET", "/api/broken");
      expect(broken.status).toBe(500);
      expect(JSON.parse(broken.body.toString()).error.code).toBe("internal_error");
      expect(broken.body.toString()).not.toContain("a bug");
    } finally {
      await server.close();
    }
  });

  it("reads Accept-Encoding as HTTP means it", () => {
    const accepts = (value?: string) => takesGzip({ headers: value === undefined ? {} : { "accept-encoding": value } });
    expect(accepts("gzip")).toBe(true);
    expect(accepts("deflate, GZIP;q=0.5")).toBe(true);
    expect(accepts("*")).toBe(true);
    expect(accepts("gzip;q=0")).toBe(false);
    expect(accepts("gzip; q=0.0, br")).toBe(false);
    expect(accepts("identity")).toBe(false);
    expect(accepts("xgzip")).toBe(false);
    expect(accepts(undefined)).toBe(false);
  });
});

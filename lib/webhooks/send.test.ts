import { afterEach, describe, expect, it } from "vitest";
import { startReceiver, type Answer, type Receiver } from "@/test/receiver";
import { postWebhook } from "./send";

const receivers: Receiver[] = [];

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** A real receiver on loopback that records every request it gets and every connection made. */
async function listen(answer: Answer): Promise<Receiver> {
  const receiver = await startReceiver(answer);
  receivers.push(receiver);
  return receiver;
}

const INSECURE = { timeoutMs: 5_000, allowInsecure: true };
const BODY = '{"event":"consultation.created","patient":"Zoë Ñúñez 🩺"}';

describe("postWebhook", () => {
  it("delivers the body and headers byte for byte and reports a 200 with its body", async () => {
    const receiver = await listen((_req, res) => res.end("thanks"));
    const response = await postWebhook(`${receiver.url}/hooks/telehealth?clinic=7`, BODY, { "webhook-id": "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", "webhook-signature": "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=" }, INSECURE);

    expect(response).toEqual({ statusCode: 200, latencyMs: expect.any(Number), responseExcerpt: "thanks", error: null, retryAfterSeconds: null, redirected: false, refused: false });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request!.method).toBe("POST");
    expect(request!.url).toBe("/hooks/telehealth?clinic=7");
    expect(request!.bytes.equals(Buffer.from(BODY, "utf8"))).toBe(true);
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["content-length"]).toBe(String(Buffer.byteLength(BODY)));
    expect(request!.headers["webhook-id"]).toBe("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
    expect(request!.headers["webhook-signature"]).toBe("v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=");
  });

  it("keeps its own Content-Type and Content-Length over the caller's", async () => {
    const receiver = await listen((_req, res) => res.end());
    await postWebhook(receiver.url, BODY, { "content-type": "text/plain", "content-length": "1" }, INSECURE);
    expect(receiver.received[0]!.headers["content-type"]).toBe("application/json");
    expect(receiver.received[0]!.bytes.toString("utf8")).toBe(BODY);
  });

  it("reads Retry-After as delta-seconds", async () => {
    const receiver = await listen((_req, res) => res.writeHead(503, { "Retry-After": "120" }).end("busy"));
    const response = await postWebhook(receiver.url, BODY, {}, INSECURE);
    expect(response).toMatchObject({ statusCode: 503, retryAfterSeconds: 120, responseExcerpt: "busy", error: null });
  });

  it("reads Retry-After as an HTTP-date relative to the given clock, a past one as 0, and ignores nonsense", async () => {
    const now = new Date("2025-03-14T09:26:53Z");
    const answers: Record<string, string> = {
      "/future": new Date(now.getTime() + 90_000).toUTCString(),
      "/past": new Date(now.getTime() - 90_000).toUTCString(),
      "/nonsense": "soon",
    };
    const receiver = await listen((req, res) => res.writeHead(429, { "Retry-After": answers[req.url!]! }).end());
    const retryAfter = async (path: string) => (await postWebhook(receiver.url + path, BODY, {}, { ...INSECURE, now: () => now })).retryAfterSeconds;

    expect(answers["/future"]).toBe("Fri, 14 Mar 2025 09:28:23 GMT");
    expect(await retryAfter("/future")).toBe(90);
    expect(await retryAfter("/past")).toBe(0);
    expect(await retryAfter("/nonsense")).toBeNull();
  });

  it("does not follow a redirect", async () => {
    const elsewhere = await listen((_req, res) => res.end("should never be reached"));
    const receiver = await listen((_req, res) => res.writeHead(302, { Location: `${elsewhere.url}/moved` }).end());
    const response = await postWebhook(receiver.url, BODY, {}, INSECURE);

    expect(response).toMatchObject({ statusCode: 302, redirected: true, error: `Redirect to ${elsewhere.url}/moved not followed` });
    expect(receiver.received).toHaveLength(1);
    expect(elsewhere.connections()).toBe(0);
  });

  it("gives up after the timeout when the receiver never answers", async () => {
    const receiver = await listen(() => {});
    const response = await postWebhook(receiver.url, BODY, {}, { timeoutMs: 300, allowInsecure: true });

    expect(response).toEqual({ statusCode: null, latencyMs: expect.any(Number), responseExcerpt: null, error: "Timed out after 0.3 s", retryAfterSeconds: null, redirected: false, refused: false });
    expect(response.latencyMs).toBeGreaterThanOrEqual(290);
    expect(response.latencyMs).toBeLessThan(2_000);
    expect(receiver.received).toHaveLength(1);
  });

  it("reports a refused connection with its code", async () => {
    const receiver = await listen(() => {});
    await receivers.pop()!.close();
    const response = await postWebhook(receiver.url, BODY, {}, INSECURE);

    expect(response).toMatchObject({ statusCode: null, responseExcerpt: null, redirected: false });
    expect(response).toMatchObject({ refused: false, error: `connect ECONNREFUSED 127.0.0.1:${receiver.port}` });
  });

  it("reports a TLS failure with its code", async () => {
    // An https client meeting a plain http server.
    const receiver = await listen((_req, res) => res.end());
    const response = await postWebhook(`https://127.0.0.1:${receiver.port}/`, BODY, {}, INSECURE);

    expect(response.statusCode).toBeNull();
    expect(response.error).toMatch(/\(ERR_SSL_[A-Z_]+\)|EPROTO/);
  });

  it("keeps only the first 1024 bytes of the response body", async () => {
    const receiver = await listen((req, res) => res.end(req.url === "/ascii" ? "a".repeat(5 * 1024) : "€".repeat(2_000)));
    const ascii = await postWebhook(`${receiver.url}/ascii`, BODY, {}, INSECURE);
    expect(ascii).toMatchObject({ statusCode: 200, error: null });
    expect(ascii.responseExcerpt).toBe("a".repeat(1024));

    // A three-byte character cut at byte 1024 is left out rather than mangled.
    const euros = await postWebhook(`${receiver.url}/euros`, BODY, {}, INSECURE);
    expect(euros.responseExcerpt).toBe("€".repeat(341));
  });

  it("stops reading once it has the excerpt, so an endless body does not hold the delivery", async () => {
    const receiver = await listen((_req, res) => {
      res.writeHead(200);
      res.write("x".repeat(2048));
    });
    const started = Date.now();
    const response = await postWebhook(receiver.url, BODY, {}, { timeoutMs: 10_000, allowInsecure: true });

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(response).toMatchObject({ statusCode: 200, error: null, responseExcerpt: "x".repeat(1024) });
  });

  it("keeps the answer when the timeout strikes while a short body is still arriving", async () => {
    const receiver = await listen((_req, res) => {
      res.writeHead(202);
      res.write("accepted, ");
    });
    const response = await postWebhook(receiver.url, BODY, {}, { timeoutMs: 300, allowInsecure: true });
    expect(response).toMatchObject({ statusCode: 202, error: null, responseExcerpt: "accepted, " });
  });

  describe("without insecure URLs allowed", () => {
    const SECURE = { timeoutMs: 5_000, allowInsecure: false };

    it.each([
      ["an IP literal (Node never calls lookup for one)", "127.0.0.1", "127.0.0.1, a loopback address"],
      ["an IPv4-mapped IPv6 literal", "[::ffff:127.0.0.1]", "::ffff:7f00:1, a loopback address"],
      ["a name, refused at lookup", "localhost", "127.0.0.1, a loopback address"],
    ])("refuses %s before any connection is made", async (_what, host, named) => {
      const receiver = await listen((_req, res) => res.end());
      const response = await postWebhook(`https://${host}:${receiver.port}/hook`, BODY, {}, SECURE);

      expect(response).toMatchObject({ statusCode: null, responseExcerpt: null, redirected: false, refused: true });
      expect(response.error).toBe(`Refused to connect to ${named}; webhooks can only go to public addresses. (EWEBHOOKFORBIDDEN)`);
      expect(receiver.connections()).toBe(0);
    });

    it("refuses plain http", async () => {
      const receiver = await listen((_req, res) => res.end());
      const response = await postWebhook(`${receiver.url}/hook`, BODY, {}, SECURE);
      expect(response).toMatchObject({ refused: true, error: "Refused to send over plain http://; webhooks must use https://." });
      expect(receiver.connections()).toBe(0);
    });
  });
});

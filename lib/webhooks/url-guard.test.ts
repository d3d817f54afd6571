import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { startReceiver, type Receiver } from "@/test/receiver";
import { assertWebhookUrlAllowed, guardedLookup, isPublicAddress } from "./url-guard";

const SECURE = { allowInsecure: false };
const INSECURE = { allowInsecure: true };

async function refusal(raw: string, options = SECURE): Promise<AppError> {
  const error = await assertWebhookUrlAllowed(raw, options).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error, `${raw} should be refused`).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.status).toBe(422);
  // The reason (and the host or address it names) rides along for the dashboard to say it in the reader's language.
  expect(appError.details).toEqual([{ field: "url", message: appError.message, code: appError.code, params: expect.objectContaining({ reason: expect.any(String) }) }]);
  return appError;
}

describe("assertWebhookUrlAllowed", () => {
  it.each([
    ["https://127.0.0.1/hook", "127.0.0.1, a loopback address"],
    ["https://localhost/hook", "127.0.0.1, a loopback address"],
    ["https://[::1]/hook", "::1, a loopback address"],
    ["https://10.1.2.3/hook", "10.1.2.3, a private address"],
    ["https://172.16.0.1/hook", "172.16.0.1, a private address"],
    ["https://192.168.1.1/hook", "192.168.1.1, a private address"],
    ["https://169.254.169.254/latest/meta-data/", "169.254.169.254, a link-local address"],
    ["https://[fd00:ec2::254]/", "fd00:ec2::254, a private address"],
    // The URL parser writes it as ::ffff:7f00:1; it is still 127.0.0.1.
    ["https://[::ffff:127.0.0.1]/hook", "::ffff:7f00:1, a loopback address"],
    ["https://0.0.0.0/hook", "0.0.0.0, an unspecified address"],
    ["https://100.64.0.1/hook", "100.64.0.1, a carrier-grade NAT address"],
    // 127.0.0.1 spelled as one number and in hex: the URL parser normalises both.
    ["https://2130706433/hook", "127.0.0.1, a loopback address"],
    ["https://0x7f.1/hook", "127.0.0.1, a loopback address"],
  ])("refuses %s, which reaches our own network", async (raw, named) => {
    const error = await refusal(raw);
    expect(error.code).toBe("webhook_url_forbidden");
    expect(error.message).toBe(`The webhook URL resolves to ${named}; webhooks can only go to public addresses.`);
    const [address] = named.split(", ");
    expect(error.details[0]!.params).toMatchObject({ reason: "not_public", address, range: expect.stringMatching(/^(loopback|private|linkLocal|unspecified|carrierGradeNat)$/) });
  });

  it("refuses the cloud metadata host by name", async () => {
    const error = await refusal("https://metadata.google.internal/computeMetadata/v1/");
    expect(error.code).toBe("webhook_url_forbidden");
    expect(error.message).toContain("cloud metadata service");
  });

  it("allows https to a public address, and gives back the parsed URL", async () => {
    const url = await assertWebhookUrlAllowed("https://8.8.8.8/hook?clinic=7", SECURE);
    expect(url.href).toBe("https://8.8.8.8/hook?clinic=7");
  });

  it("refuses plain http unless insecure URLs are allowed", async () => {
    const error = await refusal("http://8.8.8.8/hook");
    expect(error.code).toBe("webhook_url_insecure");
    expect(error.message).toBe("The webhook URL must use https://; plain http:// is not allowed.");
    expect((await assertWebhookUrlAllowed("http://8.8.8.8/hook", INSECURE)).href).toBe("http://8.8.8.8/hook");
  });

  it.each([
    ["https://user:pw@8.8.8.8/", "user name or password"],
    ["https://user@8.8.8.8/", "user name or password"],
    ["https://8.8.8.8/hook#part", "fragment"],
    ["https://8.8.8.8/hook#", "fragment"],
    ["not a url", "not a valid absolute URL"],
    ["/relative/hook", "not a valid absolute URL"],
    ["ftp://8.8.8.8/hook", "must start with https://"],
    [`https://8.8.8.8/${"a".repeat(2048)}`, "longer than 2048 characters"],
  ])("refuses %s as invalid", async (raw, says) => {
    const error = await refusal(raw, INSECURE);
    expect(error.code).toBe("webhook_url_invalid");
    expect(error.message).toContain(says);
  });

  it("refuses a host that does not resolve, whether or not insecure URLs are allowed", async () => {
    for (const options of [SECURE, INSECURE]) {
      const error = await refusal("https://nonexistent.invalid/", options);
      expect(error.code).toBe("webhook_url_unresolvable");
      expect(error.message).toContain("nonexistent.invalid could not be resolved");
    }
  });

  it("lets local receivers through when insecure URLs are allowed (development)", async () => {
    expect((await assertWebhookUrlAllowed("http://127.0.0.1:1234/x", INSECURE)).port).toBe("1234");
    expect((await assertWebhookUrlAllowed("https://localhost/x", INSECURE)).hostname).toBe("localhost");
  });
});

describe("isPublicAddress", () => {
  it.each(["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8"])("accepts %s", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    "127.0.0.1",
    "::1",
    "10.0.0.5",
    "169.254.169.254",
    "fe80::1",
    "fe80::1%eth0",
    "fd00:ec2::254",
    "::",
    "0.0.0.0",
    "224.0.0.1",
    "ff02::1",
    "255.255.255.255",
    "192.0.2.1", // documentation range
    "240.0.0.1", // reserved
    "::ffff:10.0.0.5",
    "::7f00:1", // deprecated IPv4-compatible form of 127.0.0.1
    "2002:7f00:1::", // 6to4 around 127.0.0.1
    "2001:0:4136:e378:8000:63bf:80ff:fffe", // Teredo
    "64:ff9b::a00:5", // NAT64 around 10.0.0.5
    "2001:db8::1", // documentation range
    "not-an-address",
    "",
  ])("refuses %s", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
});

describe("guardedLookup", () => {
  const receivers: Receiver[] = [];
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  function lookupWith(options: { allowInsecure: boolean }, all: boolean) {
    return new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family: unknown }>((resolve) =>
      guardedLookup(options)("localhost", { all }, (error, address, family) => resolve({ error, address, family })),
    );
  }

  it("answers in both shapes Node asks for: one address, or all of them", async () => {
    expect(await lookupWith(INSECURE, false)).toEqual({ error: null, address: "127.0.0.1", family: 4 });
    expect(await lookupWith(INSECURE, true)).toMatchObject({ error: null, address: [{ address: "127.0.0.1", family: 4 }] });
  });

  it("fails with EWEBHOOKFORBIDDEN when a name resolves to a non-public address", async () => {
    for (const all of [false, true]) {
      const { error } = await lookupWith(SECURE, all);
      expect(error?.code).toBe("EWEBHOOKFORBIDDEN");
      expect(error?.message).toBe("Refused to connect to 127.0.0.1, a loopback address; webhooks can only go to public addresses.");
    }
  });

  it("passes DNS failures through", async () => {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      guardedLookup(SECURE)("nonexistent.invalid", { all: true }, (failure) => resolve(failure)),
    );
    expect(error?.code).toBe("ENOTFOUND");
  });

  it("works as http.request's lookup, with and without Node's address-family racing", async () => {
    const receiver = await startReceiver((_req, res) => res.end("ok"));
    receivers.push(receiver);
    const { port } = receiver;

    const get = (allowInsecure: boolean, family: 4 | undefined) =>
      new Promise<number | string>((resolve) => {
        const req = request({ host: "localhost", port, family, agent: false, lookup: guardedLookup({ allowInsecure }) }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code!));
        req.end();
      });

    // With no family given Node races IPv4 and IPv6 (autoSelectFamily) and asks with
    // `all: true`; with one family it asks for a single address.
    for (const family of [undefined, 4 as const]) {
      expect(await get(true, family)).toBe(200);
      expect(await get(false, family)).toBe("EWEBHOOKFORBIDDEN");
    }
    expect(receiver.connections()).toBe(2);
  });
});

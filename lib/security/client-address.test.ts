import { describe, expect, it } from "vitest";
import { clientAddress, parseAddress, requestContextFrom } from "./client-address";

// Issue 13 item 1: the client's address is an address or nothing, never the header's raw text.

describe("parseAddress", () => {
  it("normalizes the spellings proxies write to one canonical address", () => {
    expect(parseAddress("192.0.2.10")).toBe("192.0.2.10");
    expect(parseAddress(" 192.0.2.10 ")).toBe("192.0.2.10");
    expect(parseAddress("2001:DB8:0:0:0:0:0:1")).toBe("2001:db8::1");
    // IPv4-mapped IPv6 (a dual-stack socket) is the IPv4 client it stands for.
    expect(parseAddress("::ffff:192.0.2.10")).toBe("192.0.2.10");
    expect(parseAddress("::FFFF:c000:020a")).toBe("192.0.2.10");
    // Ports and brackets are dropped.
    expect(parseAddress("192.0.2.10:8080")).toBe("192.0.2.10");
    expect(parseAddress("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(parseAddress("[2001:db8::1]")).toBe("2001:db8::1");
    // A zone names an interface of the host that wrote it: dropped, the address kept.
    expect(parseAddress("fe80::1%eth0")).toBe("fe80::1");
  });

  it("is null for anything that is not one address", () => {
    for (const entry of [
      "",
      "not-an-ip",
      "x".repeat(500),
      "1".repeat(500),
      "999.1.1.1",
      "1.2.3",
      "127.1",
      "0x7f.0.0.1",
      "01.2.3.4",
      "3232235777",
      "1.2.3.4, 5.6.7.8",
      "192.0.2.1/24",
      "[192.0.2.1]",
      "192.0.2.1%eth0",
      "fe80::1%",
      "fe80::1%eth0%eth1",
      "fe80::1%eth 0",
      "[2001:db8::1",
      "2001:db8::1]:443",
      "1:2:3:4:5:6:7:8:9",
      "192.0.2.1:99999",
    ]) {
      expect(parseAddress(entry), JSON.stringify(entry)).toBeNull();
    }
  });
});

describe("clientAddress", () => {
  const headers = (xff: string) => new Headers({ "x-forwarded-for": xff });

  it("keeps the trusted-proxy semantics, skipping the empty entries only a client can write", () => {
    expect(clientAddress(headers("1.2.3.4,,,,5.6.7.8"), 0)).toBe("5.6.7.8");
    expect(clientAddress(headers("1.2.3.4,,,,5.6.7.8"), 2)).toBe("1.2.3.4");
    expect(clientAddress(headers(",,,"), 0)).toBeNull();
    expect(clientAddress(headers("10.0.0.1, ::ffff:192.0.2.10, 198.51.100.2"), 2)).toBe("192.0.2.10");
  });

  it("is null when the chosen entry is not an address, without falling back to another entry", () => {
    expect(clientAddress(headers("198.51.100.1, not-an-ip"), 0)).toBeNull();
    expect(clientAddress(headers("not-an-ip, 198.51.100.1"), 2)).toBeNull();
    expect(clientAddress(headers("not-an-ip, 198.51.100.1"), 1)).toBe("198.51.100.1");
  });
});

describe("requestContextFrom", () => {
  it("is the client's address and user agent, as sessions, sign-ins and the audit log keep them", () => {
    const h = new Headers({ "x-forwarded-for": "not-an-ip", "user-agent": "u".repeat(600) });
    expect(requestContextFrom(h, 0)).toEqual({ ip: null, userAgent: "u".repeat(500) });
    expect(requestContextFrom(new Headers(), 0)).toEqual({ ip: null, userAgent: null });
  });
});

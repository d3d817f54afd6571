import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "@/lib/config/env";
import { iceConfigFor, turnPassword } from "./ice";

const PARTICIPANT = "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b";
const SECRET = "coturn-static-auth-secret-0123";
const NOW = new Date("2023-11-14T22:13:20.750Z"); // 1700000000.75 s

describe("iceConfigFor", () => {
  it("gives TURN credentials coturn accepts: username <expiry>:<participant>, password base64 HMAC-SHA1", () => {
    const env = parseEnv({
      STUN_URLS: "stun:stun.example.org:3478",
      TURN_URLS: " turn:turn.example.org:3478?transport=udp , turns:turn.example.org:5349,",
      TURN_SECRET: SECRET,
    });
    expect(env.TURN_CREDENTIAL_TTL_SECONDS).toBe(4 * 3600);
    const config = iceConfigFor(env, PARTICIPANT, NOW);
    expect(config.iceTransportPolicy).toBe("all");
    expect(config.iceServers).toHaveLength(2);
    expect(config.iceServers[0]).toEqual({ urls: ["stun:stun.example.org:3478"] });

    const turn = config.iceServers[1]!;
    expect(turn.urls).toEqual(["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"]);
    // Valid for the TTL from now, in whole seconds.
    expect(turn.username).toBe(`${1_700_000_000 + 4 * 3600}:${PARTICIPANT}`);
    expect(turn.credential).toBe(createHmac("sha1", SECRET).update(turn.username!).digest("base64"));
    // The same value `openssl dgst -sha1 -hmac <secret> -binary | base64` gives.
    expect(turn.credential).toBe("8/FEukia3yIUwyklYCnN6pyPjA0=");
  });

  it("follows the configured TTL and mints different credentials per participant and per join time", () => {
    const env = parseEnv({ TURN_URLS: "turn:turn.example.org:3478", TURN_SECRET: SECRET, TURN_CREDENTIAL_TTL_SECONDS: "600" });
    const a = iceConfigFor(env, PARTICIPANT, NOW).iceServers[0]!;
    const b = iceConfigFor(env, "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", NOW).iceServers[0]!;
    const later = iceConfigFor(env, PARTICIPANT, new Date(NOW.getTime() + 60_000)).iceServers[0]!;
    expect(a.username).toBe(`1700000600:${PARTICIPANT}`);
    expect(later.username).toBe(`1700000660:${PARTICIPANT}`);
    expect(new Set([a.credential, b.credential, later.credential]).size).toBe(3);
    for (const server of [a, b, later]) expect(server.credential).toBe(turnPassword(SECRET, server.username!));
    // A different secret gives a different password: coturn with another secret refuses it.
    expect(turnPassword("another-secret-of-enough-length", a.username!)).not.toBe(a.credential);
  });

  it("gives STUN only, without credentials, when no TURN server is configured", () => {
    const env = parseEnv({ STUN_URLS: "stun:stun1.example.org:3478,stun:stun2.example.org:19302" });
    expect(iceConfigFor(env, PARTICIPANT, NOW)).toEqual({
      iceServers: [{ urls: ["stun:stun1.example.org:3478", "stun:stun2.example.org:19302"] }],
      iceTransportPolicy: "all",
    });
  });

  it("gives no ICE servers at all when none are configured, and passes the relay policy through", () => {
    expect(iceConfigFor(parseEnv({}), PARTICIPANT, NOW)).toEqual({ iceServers: [], iceTransportPolicy: "all" });
    const relay = iceConfigFor(parseEnv({ TURN_URLS: "turns:turn.example.org:5349", TURN_SECRET: SECRET, WEBRTC_ICE_TRANSPORT_POLICY: "relay" }), PARTICIPANT, NOW);
    expect(relay.iceTransportPolicy).toBe("relay");
    expect(relay.iceServers.map((s) => s.urls)).toEqual([["turns:turn.example.org:5349"]]);
  });

  it("refuses at start-up a TURN server without its secret, and URLs that are not stun:/turn:", () => {
    expect(() => parseEnv({ TURN_URLS: "turn:turn.example.org:3478" })).toThrow(ConfigError);
    expect(() => parseEnv({ TURN_URLS: "turn:turn.example.org:3478" })).toThrow(/TURN_SECRET/);
    expect(() => parseEnv({ STUN_URLS: "https://stun.example.org" })).toThrow(/STUN_URLS/);
    expect(() => parseEnv({ TURN_URLS: "turn:turn.example.org", TURN_SECRET: "short" })).toThrow(/TURN_SECRET/);
  });
});

import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

const sso = (issuer: string) => ({ AUTH_OIDC_ISSUER: issuer, AUTH_OIDC_CLIENT_ID: "portal", AUTH_OIDC_CLIENT_SECRET: "secret" });

describe("single sign-on settings", () => {
  it("takes an https issuer, and a plain http one only on this machine", () => {
    expect(parseEnv(sso("https://login.hospital.example/realms/staff")).AUTH_OIDC_ISSUER).toBe("https://login.hospital.example/realms/staff");
    for (const local of ["http://127.0.0.1:3107", "http://127.8.9.10", "http://localhost:8080/realms/dev", "http://[::1]:9000"]) {
      expect(parseEnv(sso(local)).AUTH_OIDC_ISSUER).toBe(local);
    }
  });

  it("refuses plain http to any other host: the client secret and codes would cross the network in clear", () => {
    for (const remote of ["http://login.hospital.example", "http://10.0.0.5:8080", "http://127.0.0.1.nip.io", "http://localhost.hospital.example"]) {
      expect(() => parseEnv(sso(remote)), remote).toThrow(/AUTH_OIDC_ISSUER: must be an https URL \(plain http only for localhost or 127\.0\.0\.1\)/);
    }
    expect(() => parseEnv(sso("ftp://login.hospital.example"))).toThrow(/AUTH_OIDC_ISSUER/);
  });

  it("wants the issuer, client id and secret together", () => {
    expect(() => parseEnv({ AUTH_OIDC_ISSUER: "https://login.hospital.example" })).toThrow(/set all three for single sign-on, or none/);
    expect(parseEnv({}).AUTH_OIDC_NAME).toBe("Single sign-on");
  });
});

import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as catalogs } from "@/app/api/catalogs/route";
import { GET as getOne } from "@/app/api/consultations/[consultationId]/route";
import { GET as list } from "@/app/api/consultations/route";
import { GET as profile } from "@/app/api/organizations/profile/route";
import { GET as providersRoute } from "@/app/api/providers/route";
import { apiKeys } from "@/db/schema";
import { call, createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { authenticateApiRequest, revokeApiCredential, setRateLimit } from "@/lib/auth/api-keys";

const test = setupTestDatabase();
let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant(test.db, { name: "Clínica Auth" });
});

describe("API credentials", () => {
  it("keeps only a hash of the secret", async () => {
    const [row] = await test.db.select().from(apiKeys).where(eq(apiKeys.keyId, tenant.credential.keyId));
    expect(row!.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(tenant.credential.secret);
  });

  it("accepts X-API-Key with X-API-Secret, Authorization: Bearer, and the teleconsultation contract's apikey header", async () => {
    const headerPair = { "x-api-key": tenant.credential.keyId, "x-api-secret": tenant.credential.secret };
    const apikey = { apikey: tenant.credential.bearerToken };
    for (const headers of [headerPair, tenant.headers, { authorization: `bearer ${tenant.credential.bearerToken}` }, apikey]) {
      const res = await call(profile, { path: "/api/organizations/profile", headers });
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(res.json.data).toMatchObject({ organizationId: tenant.organization.id, name: "Clínica Auth", timezone: "America/Bogota" });
    }
  });

  it("answers 401 with the envelope for a missing, partial, malformed or wrong credential, on every route", async () => {
    const { keyId, secret } = tenant.credential;
    const cases: [Record<string, string>, string][] = [
      [{}, "missing_credentials"],
      [{ "x-api-key": keyId }, "invalid_credentials"],
      [{ "x-api-secret": secret }, "invalid_credentials"],
      [{ "x-api-key": keyId, "x-api-secret": `${secret}x` }, "invalid_credentials"],
      [{ "x-api-key": "tk_doesnotexist000", "x-api-secret": secret }, "invalid_credentials"],
      [{ authorization: `Bearer ${secret}` }, "invalid_credentials"],
      [{ authorization: `Basic ${Buffer.from(`${keyId}:${secret}`).toString("base64")}` }, "invalid_credentials"],
      [{ authorization: `Bearer ${keyId}.wrong` }, "invalid_credentials"],
      [{ apikey: `${keyId}.wrong` }, "invalid_credentials"],
      [{ apikey: secret }, "invalid_credentials"],
      [{ apikey: "" }, "invalid_credentials"],
    ];
    const routes = [
      { handler: list, path: "/api/consultations" },
      { handler: getOne, path: "/api/consultations/00000000-0000-4000-8000-000000000000", params: { consultationId: "00000000-0000-4000-8000-000000000000" } },
      { handler: providersRoute, path: "/api/providers" },
      { handler: profile, path: "/api/organizations/profile" },
      { handler: catalogs, path: "/api/catalogs" },
    ];
    for (const [headers, code] of cases) {
      for (const route of routes) {
        const res = await call(route.handler, { ...route, headers });
        expect(res.status, `${route.path} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.json).toMatchObject({ success: false, error: { code } });
        expect(res.headers.get("www-authenticate")).toContain("Bearer");
      }
    }
  });

  it("stops working once revoked", async () => {
    const t = await createTenant(test.db);
    expect((await call(profile, { path: "/api/organizations/profile", headers: t.headers })).status).toBe(200);
    expect(await revokeApiCredential(test.db, t.organization.id, t.credential.keyId)).toBe(true);
    expect((await call(profile, { path: "/api/organizations/profile", headers: t.headers })).status).toBe(401);
  });
});

describe("rate limit per credential", () => {
  it("answers 429 with Retry-After past the hourly limit, and resets the next hour", async () => {
    const t = await createTenant(test.db);
    await setRateLimit(test.db, t.credential.id, 3);
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await call(profile, { path: "/api/organizations/profile", headers: t.headers });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(last!.json.error.code).toBe("rate_limited");
    const retryAfter = Number(last!.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(last!.headers.get("x-ratelimit-remaining")).toBe("0");

    // The same credential in the next window is allowed again.
    const nextHour = new Date(Date.now() + 3_600_000);
    const caller = await authenticateApiRequest(test.db, new Headers(t.headers), { defaultLimitPerHour: 1000, now: nextHour });
    expect(caller.rateLimit).toMatchObject({ limit: 3, remaining: 2 });
  });

  it("counts each credential separately and not failed guesses", async () => {
    const t = await createTenant(test.db);
    await setRateLimit(test.db, t.credential.id, 2);
    for (let i = 0; i < 5; i++) {
      const res = await call(profile, { path: "/api/organizations/profile", headers: { authorization: `Bearer ${t.credential.keyId}.guess${i}` } });
      expect(res.status).toBe(401);
    }
    const ok = await call(profile, { path: "/api/organizations/profile", headers: t.headers });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-ratelimit-limit")).toBe("2");
    expect(ok.headers.get("x-ratelimit-remaining")).toBe("1");
    // Another organization's credential is unaffected.
    expect((await call(profile, { path: "/api/organizations/profile", headers: tenant.headers })).status).toBe(200);
  });

  it("uses the configured default when the credential has none", async () => {
    const t = await createTenant(test.db);
    const caller = await authenticateApiRequest(test.db, new Headers(t.headers), { defaultLimitPerHour: 1000 });
    expect(caller.rateLimit.limit).toBe(1000);
  });
});

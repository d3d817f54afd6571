import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { GET as profileRoute } from "@/app/api/organizations/profile/route";
import { apiKeys } from "@/db/schema";
import { call, createTenant, refusal } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { createApiCredential, listApiCredentials, revokeOrganizationCredential } from "@/lib/auth/api-credentials";

const ctx = setupTestDatabase();

describe("API credentials managed from the dashboard", () => {
  test("are listed per organization, without the secret or its hash", async () => {
    const mine = await createTenant(ctx.db, { name: "Clínica Lista" });
    const other = await createTenant(ctx.db, { name: "Clínica Otra" });
    const issued = await createApiCredential(ctx.db, mine.organization.id, { name: "  Agenda system  " });
    expect(issued).toMatchObject({ name: "Agenda system", keyId: expect.stringMatching(/^tk_/) });
    expect(issued.bearerToken).toBe(`${issued.keyId}.${issued.secret}`);

    const listed = await listApiCredentials(ctx.db, mine.organization.id);
    expect(listed.map((c) => c.keyId).sort()).toEqual([mine.credential.keyId, issued.keyId].sort());
    expect(listed.find((c) => c.keyId === issued.keyId)).toMatchObject({ name: "Agenda system", lastUsedAt: null, revokedAt: null });
    expect(listed.map((c) => c.keyId)).not.toContain(other.credential.keyId);

    const [row] = await ctx.db.select().from(apiKeys).where(eq(apiKeys.keyId, issued.keyId));
    expect(row!.secretHash).toMatch(/^[0-9a-f]{64}$/);
    const text = JSON.stringify(listed);
    for (const secret of [issued.secret, mine.credential.secret, row!.secretHash]) expect(text).not.toContain(secret);
  });

  test("a name is required, and says so on its field", async () => {
    const { organization } = await createTenant(ctx.db);
    for (const input of [{ name: "   " }, {}, { name: "x".repeat(101) }]) {
      const refused = await refusal(createApiCredential(ctx.db, organization.id, input));
      expect([refused.status, refused.details[0]?.field]).toEqual([400, "name"]);
    }
    expect(await listApiCredentials(ctx.db, organization.id)).toHaveLength(1); // only createTenant's
  });

  test("revoking stops the credential at once and keeps it listed as revoked", async () => {
    const { organization } = await createTenant(ctx.db);
    const issued = await createApiCredential(ctx.db, organization.id, { name: "Temporary" });
    const headers = { authorization: `Bearer ${issued.bearerToken}` };
    expect((await call(profileRoute, { path: "/api/organizations/profile", headers })).status).toBe(200);
    expect((await listApiCredentials(ctx.db, organization.id)).find((c) => c.keyId === issued.keyId)?.lastUsedAt).toBeInstanceOf(Date);

    expect(await revokeOrganizationCredential(ctx.db, organization.id, issued.keyId)).toEqual({ keyId: issued.keyId, name: "Temporary", alreadyRevoked: false });
    expect((await call(profileRoute, { path: "/api/organizations/profile", headers })).status).toBe(401);
    const revoked = (await listApiCredentials(ctx.db, organization.id)).find((c) => c.keyId === issued.keyId)!;
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    // Active credentials come first.
    expect((await listApiCredentials(ctx.db, organization.id)).at(-1)?.keyId).toBe(issued.keyId);

    const again = await revokeOrganizationCredential(ctx.db, organization.id, issued.keyId);
    expect(again.alreadyRevoked).toBe(true);
    const [row] = await ctx.db.select({ revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.keyId, issued.keyId));
    expect(row!.revokedAt).toEqual(revoked.revokedAt);
  });

  test("another organization's key id is not found, and stays active", async () => {
    const mine = await createTenant(ctx.db);
    const other = await createTenant(ctx.db);
    for (const keyId of [other.credential.keyId, "tk_doesnotexist000", ""]) {
      const refused = await refusal(revokeOrganizationCredential(ctx.db, mine.organization.id, keyId));
      expect([refused.status, refused.code]).toEqual([404, "not_found"]);
    }
    const [row] = await ctx.db.select({ revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.keyId, other.credential.keyId));
    expect(row!.revokedAt).toBeNull();
    expect((await call(profileRoute, { path: "/api/organizations/profile", headers: other.headers })).status).toBe(200);
  });
});

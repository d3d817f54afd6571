import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { callSettingsOf } from "./call-settings";

const test = setupTestDatabase();

let clinic: Tenant;
let other: Tenant;
beforeAll(async () => {
  clinic = await createTenant(test.db);
  other = await createTenant(test.db);
});

async function insertBackground(organizationId: string, alias: string, createdAt: string): Promise<string> {
  const [row] = await test.db.execute<{ id: string }>(sql`
    insert into organization_backgrounds (organization_id, alias, storage_key, content_type, byte_size, width, height, created_at)
    values (${organizationId}, ${alias}, ${`backgrounds/${alias.slice(0, 2)}/${alias}`}, 'image/png', 100, 10, 10, ${createdAt}) returning id`);
  return row!.id;
}

describe("callSettingsOf: what the call page needs", () => {
  it("has no backdrops and the default delay for an organization that set nothing, or is not there", async () => {
    const none = { backgrounds: [], defaultBackground: null, endCallRedirectUrl: null, endCallRedirectTimeoutMs: 5000 };
    expect(await callSettingsOf(test.db, clinic.organization.id)).toEqual(none);
    expect(await callSettingsOf(test.db, "00000000-0000-4000-8000-000000000000")).toEqual(none);
  });

  it("lists the organization's own backdrops newest first, with same-origin paths, its default and its end-of-call page", async () => {
    const older = "a".repeat(32);
    const newer = "b".repeat(32);
    const olderId = await insertBackground(clinic.organization.id, older, "2025-01-01T10:00:00Z");
    await insertBackground(clinic.organization.id, newer, "2025-02-01T10:00:00Z");
    await insertBackground(other.organization.id, "c".repeat(32), "2025-03-01T10:00:00Z");
    await test.db.execute(sql`
      update organizations set default_background_id = ${olderId}, end_call_redirect_url = 'https://clinic.example/after', end_call_redirect_timeout_ms = 2500
      where id = ${clinic.organization.id}`);
    expect(await callSettingsOf(test.db, clinic.organization.id)).toEqual({
      backgrounds: [
        { alias: newer, url: `/api/backgrounds/${newer}` },
        { alias: older, url: `/api/backgrounds/${older}` },
      ],
      defaultBackground: { alias: older, url: `/api/backgrounds/${older}` },
      endCallRedirectUrl: "https://clinic.example/after",
      endCallRedirectTimeoutMs: 2500,
    });
  });

  it("never shows another organization's backdrop as the default, even if a row pointed at one", async () => {
    const [theirs] = await test.db.execute<{ id: string }>(sql`select id from organization_backgrounds where organization_id = ${other.organization.id}`);
    await test.db.execute(sql`update organizations set default_background_id = ${theirs!.id} where id = ${clinic.organization.id}`);
    const settings = await callSettingsOf(test.db, clinic.organization.id);
    expect(settings.defaultBackground).toBeNull();
    expect(settings.backgrounds.map((b) => b.alias)).not.toContain("c".repeat(32));
  });

  it("loses the default when its background is deleted (the foreign key sets it null)", async () => {
    const alias = "d".repeat(32);
    const id = await insertBackground(other.organization.id, alias, "2025-04-01T10:00:00Z");
    await test.db.execute(sql`update organizations set default_background_id = ${id} where id = ${other.organization.id}`);
    expect((await callSettingsOf(test.db, other.organization.id)).defaultBackground?.alias).toBe(alias);
    await test.db.execute(sql`delete from organization_backgrounds where id = ${id}`);
    expect((await callSettingsOf(test.db, other.organization.id)).defaultBackground).toBeNull();
  });
});

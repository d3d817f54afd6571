import { describe, expect, test } from "vitest";
import { createTenant, refusal } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { findOrganization } from ".";
import { timeZoneChoices, updateOrganizationProfile } from "./profile";

const ctx = setupTestDatabase();
const valid = { name: "Clínica Norte", timezone: "America/Lima", language: "en", logoUrl: "https://clinic.example/logo.png" };

describe("the organization profile", () => {
  test("is saved with what changed, field by field", async () => {
    const { organization } = await createTenant(ctx.db, { name: "Clínica Sur" }); // the file's only fixed name: slugs are unique
    const { organization: saved, changes } = await updateOrganizationProfile(ctx.db, organization.id, valid);
    expect(saved).toMatchObject({ id: organization.id, slug: organization.slug, ...valid });
    expect(saved.updatedAt.getTime()).toBeGreaterThanOrEqual(organization.updatedAt.getTime());
    expect(changes).toEqual({
      name: { from: "Clínica Sur", to: "Clínica Norte" },
      timezone: { from: "America/Bogota", to: "America/Lima" },
      language: { from: "es", to: "en" },
      logoUrl: { from: null, to: "https://clinic.example/logo.png" },
    });
    expect(await findOrganization(ctx.db, organization.id)).toMatchObject(valid);

    // Saving the same again changes nothing; an empty logo removes it.
    expect((await updateOrganizationProfile(ctx.db, organization.id, valid)).changes).toEqual({});
    const { changes: removed } = await updateOrganizationProfile(ctx.db, organization.id, { ...valid, name: "  Clínica Norte ", logoUrl: "  " });
    expect(removed).toEqual({ logoUrl: { from: "https://clinic.example/logo.png", to: null } });
  });

  test.each([
    ["name", { name: " " }, "must be at least 2 characters"],
    ["name", { name: "x".repeat(121) }, "must be at most 120 characters"],
    ["timezone", { timezone: "Mars/Olympus_Mons" }, "must be an IANA timezone such as America/Bogota"],
    ["timezone", { timezone: "" }, "must be an IANA timezone such as America/Bogota"],
    ["language", { language: "fr" }, "must be one of Español (es), English (en), Italiano (it)"],
    ["logoUrl", { logoUrl: "http://clinic.example/logo.png" }, "must be an https:// address of an image, such as https://clinic.example/logo.png"],
    ["logoUrl", { logoUrl: "javascript:alert(1)" }, "must be an https:// address of an image, such as https://clinic.example/logo.png"],
    ["logoUrl", { logoUrl: `https://clinic.example/${"a".repeat(500)}` }, "must be at most 500 characters"],
    // Issue 13, items 4 and 10: what PostgreSQL cannot store, and names with control or bidi characters.
    ["logoUrl", { logoUrl: "https://clinic.example/lo\u0000go.png" }, "must not contain NUL characters or unpaired surrogates"],
    ["name", { name: "Clínica\u202e Norte" }, "must not contain control or invisible formatting characters"],
    ["name", { name: "Clínica\u0007" }, "must not contain control or invisible formatting characters"],
  ])("refuses a wrong %s, naming the field: %j", async (field, change, message) => {
    const { organization } = await createTenant(ctx.db);
    const refused = await refusal(updateOrganizationProfile(ctx.db, organization.id, { ...valid, ...change }));
    expect([refused.status, refused.code]).toEqual([400, "validation_error"]);
    expect(refused.details).toEqual([expect.objectContaining({ field, message })]);
    expect(await findOrganization(ctx.db, organization.id)).toMatchObject({ name: organization.name, timezone: "America/Bogota", language: "es", logoUrl: null });
  });

  test("changes only the given organization; an unknown one is not found", async () => {
    const mine = await createTenant(ctx.db);
    const theirs = await createTenant(ctx.db);
    await updateOrganizationProfile(ctx.db, mine.organization.id, valid);
    expect(await findOrganization(ctx.db, theirs.organization.id)).toMatchObject({ name: theirs.organization.name, timezone: "America/Bogota", language: "es", logoUrl: null });
    const missing = await refusal(updateOrganizationProfile(ctx.db, "00000000-0000-4000-8000-000000000000", valid));
    expect(missing.status).toBe(404);
  });

  test("offers every IANA timezone, and keeps the current one even when the runtime does not list it", () => {
    const zones = timeZoneChoices("Etc/GMT+5");
    expect(zones).toEqual(expect.arrayContaining(["America/Bogota", "Europe/Madrid", "UTC", "Etc/GMT+5"]));
    expect(new Set(zones).size).toBe(zones.length);
  });
});

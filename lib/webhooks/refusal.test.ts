import { describe, expect, test } from "vitest";
import { Sealer } from "@/lib/crypto";
import { createTenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { createEndpoint, listEndpoints, updateEndpoint } from "./endpoints";
import { endpointRefusal } from "./refusal";

const ctx = setupTestDatabase();
const sealer = new Sealer("a test secret of at least thirty-two characters");

/** What the dashboard's form shows for a refused endpoint: field → message. */
async function refusedFields(work: Promise<unknown>, url: string): Promise<Record<string, string>> {
  try {
    await work;
  } catch (error) {
    const refusal = await endpointRefusal(error, url, { allowInsecure: false });
    if (!refusal) throw error;
    return Object.fromEntries(refusal.details.map((d) => [d.field, d.message]));
  }
  throw new Error("expected a refusal");
}

describe("an endpoint refused by the API's rules", () => {
  test("names the URL's problem together with the schema's", async () => {
    const { organization } = await createTenant(ctx.db);
    const webhooks = { organizationId: organization.id, sealer, allowInsecure: false };
    const cases: [string, unknown[], Record<string, string>][] = [
      ["http://8.8.8.8/hooks", [], { url: "The webhook URL must use https://; plain http:// is not allowed.", events: "must name at least one event" }],
      ["https://10.1.2.3/hooks", ["consultation.created", "nope"], { url: expect.stringContaining("resolves to 10.1.2.3, a private address"), "events.1": expect.stringContaining("must be one of") }],
      ["https://127.0.0.1/hooks", ["consultation.created"], { url: expect.stringContaining("a loopback address") }],
      ["", [], { url: "is required", events: "must name at least one event" }],
      ["https://8.8.8.8/hooks", [], { events: "must name at least one event" }],
    ];
    for (const [url, events, expected] of cases) {
      expect(await refusedFields(createEndpoint(ctx.db, webhooks, { url, events }), url), url).toEqual(expected);
    }
    expect(await listEndpoints(ctx.db, webhooks)).toEqual([]);

    const endpoint = await createEndpoint(ctx.db, webhooks, { url: "https://8.8.8.8/hooks", events: ["consultation.created"] });
    expect(await refusedFields(updateEndpoint(ctx.db, webhooks, endpoint.id, { url: "http://8.8.8.8/x", events: [] }), "http://8.8.8.8/x")).toEqual({
      url: "The webhook URL must use https://; plain http:// is not allowed.",
      events: "must name at least one event",
    });
    expect((await listEndpoints(ctx.db, webhooks))[0]).toMatchObject({ url: "https://8.8.8.8/hooks", events: ["consultation.created"] });
  });

  test("passes other refusals on as they are, and is undefined for anything else", async () => {
    const { organization } = await createTenant(ctx.db);
    const notFound = await refusedFields(updateEndpoint(ctx.db, { organizationId: organization.id, sealer, allowInsecure: false }, "00000000-0000-4000-8000-000000000000", { enabled: false }), "");
    expect(notFound).toEqual({});
    expect(await endpointRefusal(new Error("boom"), "https://8.8.8.8/", { allowInsecure: false })).toBeUndefined();
  });
});

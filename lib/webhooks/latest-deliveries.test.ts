import { describe, expect, test } from "vitest";
import { webhookDeliveries } from "@/db/schema";
import { Sealer } from "@/lib/crypto";
import { createTenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { latestDeliveries } from "./deliveries";
import { createEndpoint } from "./endpoints";

const ctx = setupTestDatabase();
const sealer = new Sealer("a test secret of at least thirty-two characters");

describe("the endpoint list's last delivery", () => {
  test("is the newest delivery of each endpoint, of the organization only", async () => {
    const mine = await createTenant(ctx.db);
    const other = await createTenant(ctx.db);
    const webhooks = { organizationId: mine.organization.id, sealer, allowInsecure: true };
    const busy = await createEndpoint(ctx.db, webhooks, { url: "http://127.0.0.1:9/busy", events: ["consultation.created"] });
    const quiet = await createEndpoint(ctx.db, webhooks, { url: "http://127.0.0.1:9/quiet", events: ["consultation.created"] });
    const theirs = await createEndpoint(ctx.db, { ...webhooks, organizationId: other.organization.id }, { url: "http://127.0.0.1:9/theirs", events: ["session_started"] });

    const delivery = (endpointId: string, organizationId: string, at: string, status: "pending" | "delivered" | "failed", code: number | null) => ({
      organizationId,
      endpointId,
      event: "consultation.created",
      body: "{}",
      status,
      lastStatusCode: code,
      lastAttemptAt: code ? new Date(at) : null,
      createdAt: new Date(at),
    });
    await ctx.db.insert(webhookDeliveries).values([
      delivery(busy.id, mine.organization.id, "2026-03-01T10:00:00Z", "delivered", 204),
      delivery(busy.id, mine.organization.id, "2026-03-01T12:00:00Z", "failed", 500),
      delivery(busy.id, mine.organization.id, "2026-03-01T11:00:00Z", "delivered", 200),
      delivery(theirs.id, other.organization.id, "2026-03-01T13:00:00Z", "delivered", 204),
    ]);

    const latest = await latestDeliveries(ctx.db, { organizationId: mine.organization.id });
    expect([...latest.keys()]).toEqual([busy.id]); // `quiet` has none yet
    expect(latest.get(busy.id)).toEqual({ status: "failed", lastStatusCode: 500, lastAttemptAt: "2026-03-01T12:00:00Z", test: false, createdAt: "2026-03-01T12:00:00Z" });
    expect(latest.has(quiet.id)).toBe(false);
    expect((await latestDeliveries(ctx.db, { organizationId: other.organization.id })).get(theirs.id)?.status).toBe("delivered");
  });
});

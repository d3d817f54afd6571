import { randomUUID } from "node:crypto";
import { expect, test } from "vitest";
import { recordEvent } from "@/lib/outbox";
import { createTenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { consultationFeed } from "./live-feed";

const ctx = setupTestDatabase();

function counter() {
  let count = 0;
  return { wake: () => count++, get count() { return count; } };
}

async function until(check: () => boolean, describe: () => string, ms = 5000) {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`timed out: ${describe()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("wakes the dashboards of the organization whose consultation changed, and only them", async () => {
  const a = await createTenant(ctx.db);
  const b = await createTenant(ctx.db);
  const watchingA = counter();
  const watchingB = counter();
  const feed = consultationFeed(ctx.db);
  const stopA = await feed.subscribe(a.organization.id, watchingA.wake);
  const stopB = await feed.subscribe(b.organization.id, watchingB.wake);
  const counts = () => `a=${watchingA.count} b=${watchingB.count}`;

  const event = (organizationId: string) => ({ organizationId, event: "consultation.created" as const, aggregateType: "consultation", aggregateId: randomUUID(), payload: {} });
  await recordEvent(ctx.db, event(a.organization.id));
  await until(() => watchingA.count === 1, counts);
  // One transaction with events of both: one wake each.
  await ctx.db.transaction(async (tx) => {
    await recordEvent(tx, event(a.organization.id));
    await recordEvent(tx, event(b.organization.id));
  });
  await until(() => watchingA.count === 2 && watchingB.count === 1, counts);

  stopA();
  await recordEvent(ctx.db, event(a.organization.id));
  await recordEvent(ctx.db, event(b.organization.id));
  await until(() => watchingB.count === 2, counts);
  await new Promise((r) => setTimeout(r, 200));
  expect([watchingA.count, watchingB.count]).toEqual([2, 2]);
  stopB();
});

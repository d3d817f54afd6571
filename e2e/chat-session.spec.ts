import { expect, test } from "@playwright/test";
import { mintChatLink } from "../lib/chat-sessions/link";
import { checkPage, VIEWPORTS } from "./a11y";
import { E2E_APP_SECRET } from "./app-env";
import { specDatabase } from "./call";

const DAY_MS = 86_400_000;

/** A chat session of the demo clinic written with SQL (a patient and a doctor), and the id of an API credential of the clinic. */
async function insertChatSession(): Promise<{ chatSessionId: string; patient: string; doctor: string; apiKeyId: string; keyId: string }> {
  const db = specDatabase();
  try {
    const suffix = Math.random().toString(36).slice(2, 10);
    const [org] = await db`select id from organizations where slug = 'demo-clinic'`;
    const [key] = await db`
      insert into api_keys (organization_id, key_id, secret_hash, name) values (${org!.id}, ${`tk_chatlink${suffix}`}, 'x', 'chat link spec') returning id, key_id`;
    const user = async (externalId: string, name: string, group: string) =>
      (
        await db`insert into room_users (organization_id, external_id, full_name, groups) values (${org!.id}, ${`${externalId}-${suffix}`}, ${name}, ${[group]}) returning id`
      )[0]!.id as string;
    const patient = await user("patient", "Luis Pérez", "patient");
    const doctor = await user("doctor", "Dr. Ana Martínez", "doctor");
    const [session] = await db`insert into chat_sessions (organization_id, title, created_by) values (${org!.id}, 'Rash on the arm', ${patient}) returning id`;
    for (const [position, id] of [patient, doctor].entries()) {
      await db`insert into chat_session_participants (chat_session_id, room_user_id, organization_id, position) values (${session!.id}, ${id}, ${org!.id}, ${position})`;
    }
    return { chatSessionId: session!.id, patient, doctor, apiKeyId: key!.id, keyId: key!.key_id };
  } finally {
    await db.end();
  }
}

test.describe("a chat link", () => {
  test("that cannot open the conversation: aged (410) in a browser that never opened it, forged or of a revoked credential (404); never cached, no referrer", async ({
    browser,
  }) => {
    test.setTimeout(150_000); // an axe check alone took 50 s on a loaded 2-core machine
    const s = await insertChatSession();
    const link = (mintedAt: Date, overrides: Partial<{ apiKeyId: string }> = {}) =>
      `/chat/${mintChatLink(E2E_APP_SECRET, { chatSessionId: s.chatSessionId, roomUserId: s.patient, apiKeyId: s.apiKeyId, ...overrides }, mintedAt)}`;
    const context = await browser.newContext({ viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await context.newPage();

    const aged = await page.goto(link(new Date(Date.now() - DAY_MS - 60_000)));
    expect(aged?.status()).toBe(410);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link has expired");
    await expect(page.locator("[data-link-state]")).toHaveAttribute("data-link-state", "expired");
    const headers = aged!.headers();
    expect(headers["referrer-policy"]).toBe("no-referrer");
    expect(headers["cache-control"]).toContain("no-store");
    expect(headers["x-robots-tag"]).toBe("noindex, nofollow");
    expect(headers["x-frame-options"]).toBe("DENY");
    await checkPage(page, "chat-link-phone-expired");

    const forged = mintChatLink(
      "another-secret-that-is-at-least-32-characters",
      { chatSessionId: s.chatSessionId, roomUserId: s.patient, apiKeyId: s.apiKeyId },
      new Date(),
    );
    const response = await page.goto(`/chat/${forged}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link is not valid");
    expect((await page.goto("/chat/not-a-chat-link"))?.status()).toBe(404);

    const fresh = link(new Date());
    expect((await page.goto(fresh))?.status()).toBe(200);
    const db = specDatabase();
    try {
      await db`update api_keys set revoked_at = now() where id = ${s.apiKeyId}`;
    } finally {
      await db.end();
    }
    // Another tab: this one keeps what the link gave it.
    const other = await context.newPage();
    expect((await other.goto(fresh))?.status()).toBe(404);
    await expect(other.getByRole("heading", { level: 1 })).toHaveText("This link is not valid");
    await context.close();
  });
});

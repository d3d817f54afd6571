import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import { connect, type Database } from "@/db/client";
import { setDatabase } from "@/db/runtime";
import { withDatabase } from "./postgres";

/**
 * A fresh database for this test file, copied from the migrated template, and made the
 * process's database so route handlers use it too. Dropped after the file.
 */
export function setupTestDatabase(): { readonly db: Database; readonly url: string } {
  const state = {} as { db: Database; url: string };
  const adminUrl = inject("adminUrl");
  const template = inject("templateDatabase");
  const name = `telemed_t_${randomBytes(6).toString("hex")}`;

  beforeAll(async () => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.unsafe(`create database "${name}" template "${template}"`);
          break;
        } catch (error) {
          // The template is briefly busy while another file copies it.
          if ((error as { code?: string }).code !== "55006" || attempt > 20) throw error;
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
        }
      }
    } finally {
      await admin.end();
    }
    state.url = withDatabase(adminUrl, name);
    state.db = connect(state.url, { max: 20 });
    setDatabase(state.db, state.url);
  });

  afterAll(async () => {
    await state.db?.$client.end({ timeout: 5 });
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
    } finally {
      await admin.end();
    }
  });

  return state;
}

import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { migrateDatabase, MIGRATIONS_FOLDER } from "../db/migrate";
import { testServerAdminUrl, withDatabase } from "./postgres";

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
  }
}

/**
 * Tests run against a real PostgreSQL: TEST_DATABASE_URL (any database on the server; CI
 * uses the machine's PostgreSQL 15), or else an embedded one in .data/test-postgres.
 * A template database is migrated once per migration set; each test file copies it.
 */
export default async function setup(project: TestProject) {
  const { adminUrl, stop } = await testServerAdminUrl();

  const files = readdirSync(MIGRATIONS_FOLDER, { recursive: true, encoding: "utf8" }).filter((f) => /\.(sql|json)$/.test(f)).sort();
  const digest = createHash("sha256");
  for (const file of files) digest.update(file).update(readFileSync(path.join(MIGRATIONS_FOLDER, file)));
  const templateDatabase = `telemed_tpl_${digest.digest("hex").slice(0, 12)}`;

  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [present] = await admin`select 1 from pg_database where datname = ${templateDatabase}`;
    if (!present) {
      const building = `${templateDatabase}_${process.pid}`;
      await admin.unsafe(`create database "${building}"`);
      await migrateDatabase(withDatabase(adminUrl, building));
      await admin.unsafe(`alter database "${building}" rename to "${templateDatabase}"`).catch(async (error: { code?: string }) => {
        // Another run finished first: keep theirs.
        if (error.code !== "42P04") throw error;
        await admin.unsafe(`drop database "${building}"`);
      });
    }
  } finally {
    await admin.end();
  }

  project.provide("adminUrl", adminUrl);
  project.provide("templateDatabase", templateDatabase);
  return stop;
}

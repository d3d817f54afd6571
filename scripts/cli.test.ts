import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { authenticateApiRequest } from "@/lib/auth/api-keys";
import { sha256 } from "@/lib/crypto";
import { signInWithPassword } from "@/lib/staff";
import { setupTestDatabase } from "@/test/db";

const test = setupTestDatabase();

const ROOT = path.resolve(import.meta.dirname, "..");
// `npx tsx scripts/cli.ts`, without npx's start-up time and its warnings on stderr.
const TSX = createRequire(import.meta.url).resolve("tsx/cli");

type Run = { code: number; stdout: string; stderr: string };

/** Runs the CLI as an operator would, against this file's database. */
function cli(...args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: test.url };
  delete env.SEED_DEMO;
  return new Promise((resolve) => {
    execFile(process.execPath, [TSX, "--conditions=react-server", "scripts/cli.ts", ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function field(output: string, label: string): string {
  const match = new RegExp(`^\\s*${label}:\\s+(\\S+)\\s*$`, "m").exec(output);
  if (!match) throw new Error(`no "${label}:" line in:\n${output}`);
  return match[1]!;
}

const TIMEOUT = 90_000;

describe("npm run cli", () => {
  const slug = `clinica-norte-${randomBytes(3).toString("hex")}`;
  let organizationId = "";
  let credential = { keyId: "", secret: "", bearer: "" };

  it(
    "org:create makes an organization and org:list shows it",
    async () => {
      const created = await cli("org:create", "--name", "Clínica del Norte", "--slug", slug, "--timezone", "America/Lima", "--language", "es");
      expect(created.code, created.stderr).toBe(0);
      organizationId = field(created.stdout, "id");
      expect(organizationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(field(created.stdout, "slug")).toBe(slug);
      expect(field(created.stdout, "timezone")).toBe("America/Lima");

      const listed = await cli("org:list");
      expect(listed.code, listed.stderr).toBe(0);
      const [header, ...lines] = listed.stdout.trim().split("\n");
      expect(header).toMatch(/^ID\s+SLUG\s+NAME\s+TIMEZONE\s+CREATED/);
      const row = lines.find((line) => line.startsWith(organizationId));
      expect(row, listed.stdout).toBeDefined();
      expect(row).toMatch(new RegExp(`^${organizationId}\\s+${slug}\\s+Clínica del Norte\\s+America/Lima\\s+\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}$`));
    },
    TIMEOUT,
  );

  it(
    "key:create prints a credential once that authenticates, and only its hash is stored",
    async () => {
      const issued = await cli("key:create", "--org", slug, "--name", "HIS integration");
      expect(issued.code, issued.stderr).toBe(0);
      credential = {
        keyId: field(issued.stdout, "key id"),
        secret: field(issued.stdout, "secret"),
        bearer: /Authorization: Bearer (\S+)/.exec(issued.stdout)?.[1] ?? "",
      };
      expect(credential.keyId).toMatch(/^tk_/);
      expect(credential.bearer).toBe(`${credential.keyId}.${credential.secret}`);
      expect(issued.stdout).toMatch(/only a hash of it is stored/);

      const options = { defaultLimitPerHour: 1000 };
      const byBearer = await authenticateApiRequest(test.db, new Headers({ authorization: `Bearer ${credential.bearer}` }), options);
      expect(byBearer.organizationId).toBe(organizationId);
      expect(byBearer.timeZone).toBe("America/Lima");
      const byPair = await authenticateApiRequest(
        test.db,
        new Headers({ "x-api-key": credential.keyId, "x-api-secret": credential.secret }),
        options,
      );
      expect(byPair.apiKeyId).toBe(byBearer.apiKeyId);

      const rows = await test.db.execute(sql`select name, secret_hash, row_to_json(k)::text as whole from api_keys k where key_id = ${credential.keyId}`);
      expect(rows).toHaveLength(1);
      const row = rows[0] as { name: string; secret_hash: string; whole: string };
      expect(row.name).toBe("HIS integration");
      expect(row.secret_hash).toBe(sha256(credential.secret));
      const leaks = await test.db.execute(sql`select count(*)::int as n from api_keys k where position(${credential.secret} in row_to_json(k)::text) > 0`);
      expect((leaks[0] as { n: number }).n).toBe(0);
    },
    TIMEOUT,
  );

  it(
    "key:revoke stops the credential working",
    async () => {
      expect(credential.keyId).not.toBe("");
      const revoked = await cli("key:revoke", "--org", organizationId, "--key", credential.keyId);
      expect(revoked.code, revoked.stderr).toBe(0);
      expect(revoked.stdout).toContain(`Revoked credential ${credential.keyId}`);
      await expect(
        authenticateApiRequest(test.db, new Headers({ authorization: `Bearer ${credential.bearer}` }), { defaultLimitPerHour: 1000 }),
      ).rejects.toMatchObject({ status: 401, code: "invalid_credentials" });
    },
    TIMEOUT,
  );

  it(
    "a bad timezone exits 2 with one line naming --timezone, and creates nothing",
    async () => {
      const count = async () => ((await test.db.execute(sql`select count(*)::int as n from organizations`))[0] as { n: number }).n;
      const before = await count();
      const run = await cli("org:create", "--name", "Clínica Sur", "--timezone", "Mars/Olympus");
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(/^error: --timezone .*IANA timezone.*"Mars\/Olympus"/);
      expect(await count()).toBe(before);
    },
    TIMEOUT,
  );

  it(
    "staff:create adds a staff member who can sign in with the printed password, and refuses bad flags by name",
    async () => {
      const email = `rosa-${randomBytes(3).toString("hex")}@clinica-norte.example`;
      const created = await cli("staff:create", "--org", slug, "--email", email, "--name", "Rosa Díaz", "--role", "scheduler");
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toContain(`Staff member ${email} (scheduler) added to Clínica del Norte (${slug}).`);
      const password = field(created.stdout, "password");
      expect(password.length).toBeGreaterThanOrEqual(20);
      const signedIn = await signInWithPassword(test.db, email, password, { ip: null, userAgent: null });
      expect(signedIn).toMatchObject({ ok: true, member: { email, role: "scheduler", organizationId } });
      const [stored] = await test.db.execute<{ password_hash: string }>(sql`select password_hash from users where email = ${email}`);
      expect(stored!.password_hash).toMatch(/^\$argon2id\$/);

      const cases: [string[], RegExp][] = [
        [["staff:create", "--org", slug, "--email", "not-an-email", "--name", "X", "--role", "admin"], /^error: --email must be an email address/],
        [["staff:create", "--org", slug, "--email", "p@x.example", "--name", "P", "--role", "provider"], /^error: --provider is required for the provider role/],
        [["staff:create", "--org", slug, "--email", "p@x.example", "--name", "P", "--role", "owner"], /^error: --role must be admin, scheduler or provider/],
        [["staff:create", "--org", slug, "--email", email, "--name", "Again", "--role", "admin"], /^error: --email is already used by a staff account/],
        [["staff:create", "--org", slug, "--email", "q@x.example", "--name", "Q", "--role", "admin", "--password", "short"], /^error: --password must be at least 12 characters/],
        [["staff:create", "--org", slug, "--email", "q@x.example", "--name", "Q", "--role", "admin", "--password", "password1234"], /^error: --password is one of the most common passwords/],
      ];
      for (const [args, message] of cases) {
        const run = await cli(...args);
        expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(2);
        expect(run.stderr).toMatch(message);
      }
    },
    TIMEOUT,
  );

  it(
    "other bad input exits 2 naming what is wrong",
    async () => {
      const cases: [string[], RegExp][] = [
        [["org:create"], /--name is required/],
        [["org:create", "--name", "Clínica Este", "--colour", "red"], /unknown flag --colour/],
        [["key:create", "--org", "no-such-clinic"], /--org: no organization .*"no-such-clinic"/],
        [["key:revoke", "--org", slug], /--key is required/],
        [["org:remove"], /unknown command "org:remove"/],
      ];
      for (const [args, message] of cases) {
        const run = await cli(...args);
        expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(2);
        expect(run.stderr).toMatch(message);
        expect(run.stderr.trim().split("\n"), run.stderr).toHaveLength(1);
      }
    },
    TIMEOUT,
  );

  // Issue 13, item 10: a name with control or invisible formatting characters exits 2 naming --name.
  it(
    "refuses control and bidi characters in names, naming the flag",
    async () => {
      const cases: string[][] = [
        ["org:create", "--name", "Clínica\u001b[31m Roja"],
        ["key:create", "--org", slug, "--name", "HIS \u202eetouq"],
        ["staff:create", "--org", slug, "--email", "z@x.example", "--name", "Rosa\u200bDíaz", "--role", "admin"],
      ];
      for (const args of cases) {
        const run = await cli(...args);
        expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(2);
        expect(run.stderr).toMatch(/^error: --name must not contain control or invisible formatting characters/);
      }
    },
    3 * TIMEOUT,
  );
});

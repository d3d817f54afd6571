/**
 * Operator CLI: `npm run cli -- <command> [flags]`.
 *
 * Uses DATABASE_URL when set; otherwise the embedded PostgreSQL in DATA_DIR (started here if
 * the app is not already running it, and then stopped again when the command ends).
 * Exit codes: 0 done, 2 bad input (the message names the flag), 1 anything else.
 */
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { runtime, type Runtime } from "@/db/runtime";
import { apiKeys } from "@/db/schema";
import { issueApiCredential, revokeApiCredential } from "@/lib/auth/api-keys";
import { appUrl, ConfigError } from "@/lib/config";
import { createStaffMember, newStaffMemberSchema, type NewStaffMember } from "@/lib/staff";
import { AppError, postgresErrorOf } from "@/lib/errors";
import { createOrganization, findOrganization, listOrganizations, newOrganizationSchema, type OrganizationRow } from "@/lib/organizations";
import { formatLocal } from "@/lib/time";
import { INVISIBLE_CHARACTERS_MESSAGE, isPlainName } from "@/lib/validation/text";
import { parseFlags, print, requiredString, table, UsageError, type Command } from "./cli/flags";

const COMMANDS: Record<string, Command> = {
  "org:create": {
    summary: "Create an organization (a clinic).",
    usage: "org:create --name <name> [--slug <slug>] [--timezone America/Bogota] [--language es]",
    options: { name: { type: "string" }, slug: { type: "string" }, timezone: { type: "string" }, language: { type: "string" } },
    validate: (values) => {
      if (values.name === undefined) throw new UsageError("--name is required (the organization's display name)");
      const input = { name: values.name, slug: values.slug, timezone: values.timezone, language: values.language };
      const parsed = newOrganizationSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = String(issue.path[0] ?? "name");
        const given = input[field as keyof typeof input];
        throw new UsageError(`--${field} ${issue.message}${given === undefined ? "" : ` (got ${JSON.stringify(given)})`}`);
      }
      return parsed.data;
    },
    run: async (db, input: Parameters<typeof createOrganization>[1]) => {
      let organization: OrganizationRow;
      try {
        organization = await createOrganization(db, input);
      } catch (error) {
        if (error instanceof AppError && error.code === "slug_taken") {
          const slug = input.slug ? JSON.stringify(input.slug) : "derived from --name";
          throw new UsageError(`--slug is already used by another organization (${slug}); choose another with --slug`);
        }
        throw error;
      }
      print("Organization created.");
      print(`  id:        ${organization.id}`);
      print(`  slug:      ${organization.slug}`);
      print(`  name:      ${organization.name}`);
      print(`  timezone:  ${organization.timezone}`);
      print(`  language:  ${organization.language}`);
      print(`Next: npm run cli -- key:create --org ${organization.slug}`);
    },
  },

  "org:list": {
    summary: "List organizations.",
    usage: "org:list",
    options: {},
    validate: () => undefined,
    run: async (db) => {
      const rows = await listOrganizations(db);
      if (rows.length === 0) {
        print('No organizations yet. Create one with: npm run cli -- org:create --name "My Clinic"');
        return;
      }
      print(
        table(
          ["ID", "SLUG", "NAME", "TIMEZONE", "CREATED (UTC)"],
          rows.map((o) => [o.id, o.slug, o.name, o.timezone, formatLocal(o.createdAt, "UTC")]),
        ),
      );
    },
  },

  "key:create": {
    summary: "Issue an API credential for an organization (shown once).",
    usage: "key:create --org <id-or-slug> [--name <label>]",
    options: { org: { type: "string" }, name: { type: "string" } },
    validate: (values) => {
      const org = requiredString(values, "org", "the organization's id or slug");
      const name = values.name === undefined ? "CLI credential" : String(values.name).trim();
      if (!name) throw new UsageError("--name must not be empty (a label for the credential)");
      if (name.length > 120) throw new UsageError("--name must be at most 120 characters");
      if (!isPlainName(name)) throw new UsageError(`--name ${INVISIBLE_CHARACTERS_MESSAGE}`);
      return { org, name };
    },
    run: async (db, input: { org: string; name: string }) => {
      const organization = await organizationFlag(db, input.org);
      const credential = await issueApiCredential(db, organization.id, input.name);
      print(`API credential "${input.name}" created for ${organization.name} (${organization.slug}).`);
      print(`  key id:  ${credential.keyId}`);
      print(`  secret:  ${credential.secret}`);
      print("Send it as headers:");
      print(`  X-API-Key: ${credential.keyId}`);
      print(`  X-API-Secret: ${credential.secret}`);
      print("or as one bearer token:");
      print(`  Authorization: Bearer ${credential.bearerToken}`);
      print("This is the only time the secret is shown: only a hash of it is stored.");
      print(`Revoke it with: npm run cli -- key:revoke --org ${organization.slug} --key ${credential.keyId}`);
    },
  },

  "staff:create": {
    summary: "Add a staff member who signs in to the dashboard (admin, scheduler or provider).",
    usage: "staff:create --org <id-or-slug> --email <email> --name <name> --role admin|scheduler|provider [--provider <providerId>] [--password <password>]",
    options: { org: { type: "string" }, email: { type: "string" }, name: { type: "string" }, role: { type: "string" }, provider: { type: "string" }, password: { type: "string" } },
    validate: (values) => {
      const org = requiredString(values, "org", "the organization's id or slug");
      const generated = values.password === undefined;
      const input = {
        email: requiredString(values, "email", "the person's email, their sign-in name"),
        name: requiredString(values, "name", "the person's name as staff see it"),
        role: requiredString(values, "role", "admin, scheduler or provider"),
        providerId: typeof values.provider === "string" ? values.provider : undefined,
        // Without --password, a strong one is made up and shown once.
        password: generated ? randomBytes(15).toString("base64url") : String(values.password),
      };
      const parsed = newStaffMemberSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = String(issue.path[0] ?? "email");
        const flag = field === "providerId" ? "provider" : field;
        throw new UsageError(`--${flag} ${issue.message}`);
      }
      return { org, input, generated };
    },
    run: async (db, { org, input, generated }: { org: string; input: NewStaffMember & { password: string }; generated: boolean }) => {
      const organization = await organizationFlag(db, org);
      let member;
      try {
        member = await createStaffMember(db, organization.id, input);
      } catch (error) {
        if (error instanceof AppError && error.code === "email_taken") throw new UsageError("--email is already used by a staff account");
        const weak = error instanceof AppError ? error.details.find((d) => d.code === "weak_password") : undefined;
        if (weak) throw new UsageError(`--password ${weak.message}`);
        if (error instanceof AppError && error.code === "unknown_provider") {
          throw new UsageError(`--provider is not a provider of ${organization.slug} (see GET /api/providers for their ids)`);
        }
        throw error;
      }
      print(`Staff member ${member.email} (${member.role}) added to ${organization.name} (${organization.slug}).`);
      if (generated) {
        print(`  password: ${input.password}`);
        print("This is the only time the password is shown: only an argon2 hash of it is stored.");
      }
      print(`Sign in at ${appUrl()}/signin`);
    },
  },

  "key:revoke": {
    summary: "Revoke an API credential: requests made with it are refused from now on.",
    usage: "key:revoke --org <id-or-slug> --key <keyId>",
    options: { org: { type: "string" }, key: { type: "string" } },
    validate: (values) => ({
      org: requiredString(values, "org", "the organization's id or slug"),
      key: requiredString(values, "key", "the credential's key id, tk_..."),
    }),
    run: async (db, input: { org: string; key: string }) => {
      const organization = await organizationFlag(db, input.org);
      const [key] = await db
        .select({ revokedAt: apiKeys.revokedAt })
        .from(apiKeys)
        .where(and(eq(apiKeys.keyId, input.key), eq(apiKeys.organizationId, organization.id)));
      if (!key) throw new UsageError(`--key: no credential ${JSON.stringify(input.key)} in organization ${organization.slug}`);
      if (key.revokedAt) {
        print(`Credential ${input.key} of ${organization.slug} was already revoked (${key.revokedAt.toISOString()}).`);
        return;
      }
      await revokeApiCredential(db, organization.id, input.key);
      print(`Revoked credential ${input.key} of ${organization.slug}.`);
    },
  },
};

function helpText(): string {
  return [
    "Usage: npm run cli -- <command> [flags]",
    "",
    "Commands:",
    ...Object.values(COMMANDS).flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    "  help",
    "      Show this help (or <command> --help).",
    "",
    "Database: DATABASE_URL if set, else the embedded PostgreSQL in DATA_DIR (default .data).",
    "Exit codes: 0 done, 2 bad input, 1 other failure.",
  ].join("\n");
}

async function organizationFlag(db: Database, idOrSlug: string): Promise<OrganizationRow> {
  let organization: OrganizationRow | undefined;
  try {
    organization = await findOrganization(db, idOrSlug);
  } catch (error) {
    // Shaped like a UUID but not one: no such organization.
    if (postgresErrorOf(error)?.code !== "22P02") throw error;
  }
  if (!organization) {
    throw new UsageError(`--org: no organization with id or slug ${JSON.stringify(idOrSlug)} (see: npm run cli -- org:list)`);
  }
  return organization;
}

/** The runtime's own messages (embedded PostgreSQL start, the demo banner) go to stderr, so stdout is the command's output. */
async function openRuntime(): Promise<Runtime> {
  const log = console.log;
  console.log = (...args: unknown[]) => console.error(...args);
  try {
    return await runtime();
  } finally {
    console.log = log;
  }
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write("error: missing command\n" + helpText() + "\n");
    return 2;
  }
  if (name === "help" || name === "--help" || name === "-h") {
    print(helpText());
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    throw new UsageError(`unknown command ${JSON.stringify(name)} (commands: ${[...Object.keys(COMMANDS), "help"].join(", ")})`);
  }
  const values = parseFlags(name, command, rest);
  if (values.help) {
    print(`Usage: npm run cli -- ${command.usage}\n${command.summary}`);
    return 0;
  }
  const input = command.validate(values); // before any database work

  const rt = await openRuntime();
  try {
    await command.run(rt.db, input as never);
  } finally {
    // Ends the pool; stops the embedded PostgreSQL only if this process started it.
    await rt.stop();
  }
  return 0;
}

let exitCode: number;
try {
  exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`error: ${error.message}\n`);
    exitCode = 2;
  } else if (error instanceof ConfigError) {
    process.stderr.write(`error: ${error.message}\n`);
    exitCode = 2;
  } else {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.DEBUG) console.error(error);
    exitCode = 1;
  }
}
process.exit(exitCode);

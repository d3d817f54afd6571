import { formatWithOptions, inspect } from "node:util";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { patients } from "@/db/schema";
import { postgresErrorOf } from "@/lib/errors";
import { errorResponse } from "@/lib/http/envelope";
import { createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { DatabaseError, toDatabaseError } from "./errors";

const test = setupTestDatabase();
let tenant: Tenant;

const PATIENT = { documentType: "CC" as const, documentNumber: "5550193847", name: "Hermenegilda Ospina Quevedo", phone: "+573204417789", email: "h.ospina.5550@example.org" };
const VALUES = [PATIENT.documentNumber, PATIENT.name, PATIENT.phone, PATIENT.email, "Hermenegilda"];

beforeAll(async () => {
  tenant = await createTenant(test.db);
  await test.db.insert(patients).values({ organizationId: tenant.organization.id, ...PATIENT });
});

async function failure(work: PromiseLike<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error("expected the query to fail");
}

/** Every way the error reaches a log: its message, its stack, util.inspect (console.*) in depth with hidden fields, JSON. */
function everythingPrinted(error: unknown): string {
  return [
    String(error),
    (error as Error).stack,
    inspect(error, { depth: 10, showHidden: true }),
    formatWithOptions({ depth: 10 }, "%o", error),
    JSON.stringify(error),
  ].join("\n");
}

function expectNoValues(error: unknown) {
  const printed = everythingPrinted(error);
  for (const value of VALUES) expect(printed).not.toContain(value);
}

describe("a failed query (issue 13, item 4)", () => {
  it("a unique violation names its code, constraint and table, and none of the row's values", async () => {
    const error = await failure(test.db.insert(patients).values({ organizationId: tenant.organization.id, ...PATIENT }));
    expect(error).toBeInstanceOf(DatabaseError);
    expect(postgresErrorOf(error)).toMatchObject({ code: "23505", constraint_name: "patients_document_key" });
    expect(error).toMatchObject({ code: "23505", table_name: "patients", severity: "ERROR" });
    expect(String(error)).toContain("patients_document_key");
    expectNoValues(error);
  });

  it("a NUL byte in a name (22021) says what happened without quoting the value", async () => {
    const error = await failure(test.db.insert(patients).values({ organizationId: tenant.organization.id, ...PATIENT, documentNumber: "5550193848", name: `${PATIENT.name}\u0000` }));
    expect(postgresErrorOf(error)?.code).toBe("22021");
    expect(String(error)).toContain("character_not_in_repertoire");
    expectNoValues(error);
  });

  it("a not-null violation, whose detail lists the whole row, and a check violation, in a transaction", async () => {
    const notNull = await failure(
      test.db.execute(sql`insert into patients (organization_id, name, document_type, document_number, phone, email)
        values (${tenant.organization.id}, ${PATIENT.name}, 'CC', '5550193849', ${PATIENT.phone}, null)`),
    );
    expect(postgresErrorOf(notNull)).toMatchObject({ code: "23502" });
    expect(notNull).toMatchObject({ column_name: "email", table_name: "patients" });
    expectNoValues(notNull);

    const check = await failure(
      test.db.transaction(async (tx) => {
        const none = "00000000-0000-0000-0000-000000000000";
        await tx.execute(sql`insert into chat_messages (organization_id, chat_session_id, room_id, sender_id, sender_role, sender_name, body, sent_at)
          values (${tenant.organization.id}, ${none}, ${none}, ${none}, 'patient', ${PATIENT.name}, ${PATIENT.email.repeat(100)}, now())`);
      }),
    );
    expect(postgresErrorOf(check)).toMatchObject({ code: "23514", constraint_name: "chat_messages_body_length" });
    expectNoValues(check);
  });

  it("a bad value for a column's type (22P02), through drizzle and through the client's own queries", async () => {
    const drizzled = await failure(test.db.execute(sql`select * from patients where id = ${PATIENT.name}::uuid`));
    expect(postgresErrorOf(drizzled)?.code).toBe("22P02");
    expectNoValues(drizzled);
    const direct = await failure(test.db.$client`select * from patients where id = ${PATIENT.name}::uuid`);
    expect(direct).toBeInstanceOf(DatabaseError);
    expect(postgresErrorOf(direct)?.code).toBe("22P02");
    expectNoValues(direct);
    const unsafe = await failure(test.db.$client.unsafe("select * from patients where id = $1::uuid", [PATIENT.email]));
    expect(postgresErrorOf(unsafe)?.code).toBe("22P02");
    expectNoValues(unsafe);
  });

  it("keeps the message of errors about the schema, which name no value", async () => {
    const error = await failure(test.db.execute(sql`select no_such_column from patients where name = ${PATIENT.name}`));
    expect(String(error)).toContain('column "no_such_column" does not exist');
    expectNoValues(error);
  });

  it("reaches the API's error mapper, which logs it, as codes only", async () => {
    const error = await failure(test.db.insert(patients).values({ organizationId: tenant.organization.id, ...PATIENT }));
    const printed: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void printed.push(formatWithOptions({ depth: 10 }, ...args)));
    try {
      const res = errorResponse(error, "req-1");
      expect(res.status).toBe(500);
      expect(JSON.stringify(await res.json())).not.toContain(PATIENT.documentNumber);
    } finally {
      spy.mockRestore();
    }
    expect(printed.join("\n")).toContain("23505");
    for (const value of VALUES) expect(printed.join("\n")).not.toContain(value);
  });

  it("a driver error that is not the server's keeps only its kind and code", () => {
    const wrapped = Object.assign(new Error(`Failed query: insert into patients values ($1)\nparams: ${PATIENT.name}`), { params: [PATIENT.name], cause: new TypeError(`bad ${PATIENT.email}`) });
    const made = toDatabaseError(wrapped);
    expect(made.message).toBe("Query failed: TypeError");
    expectNoValues(made);
    const connection = toDatabaseError(Object.assign(new Error("write CONNECTION_CLOSED 127.0.0.1:5432"), { code: "CONNECTION_CLOSED" }));
    expect(connection.message).toBe("Query failed: write CONNECTION_CLOSED 127.0.0.1:5432 (CONNECTION_CLOSED)");
  });
});

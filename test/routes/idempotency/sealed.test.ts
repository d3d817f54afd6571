import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as create } from "@/app/api/consultations/route";
import { appSealer } from "@/lib/config";
import { isSealed } from "@/lib/crypto";
import { call, createTenant, type Tenant } from "@/test/api";
import { setupTestDatabase } from "@/test/db";
import { immediateGeneralExample } from "@/test/fixtures/seed-examples";
import { sealPlainResponses } from "@/lib/idempotency";

const test = setupTestDatabase();
let tenant: Tenant;
beforeAll(async () => {
  tenant = await createTenant(test.db);
});

let n = 0;
function consultationBody() {
  const example = immediateGeneralExample();
  n++;
  return { ...example, provider: { ...example.provider, documentNumber: String(71_000_000 + n) }, patient: { ...example.patient, documentNumber: String(72_000_000 + n) } };
}

async function storedBody(key: string): Promise<string> {
  const [row] = await test.db.execute<{ response_body: string }>(
    sql`select response_body from idempotency_keys where organization_id = ${tenant.organization.id} and key = ${key}`,
  );
  return row!.response_body;
}

const tokenOf = (url: string) => new URL(url).pathname.split("/").pop()!;

describe("stored idempotent answers (issue 13, item 3)", () => {
  it("are sealed at rest: no PIN, join link or patient data in idempotency_keys, and the replay is the same bytes", async () => {
    const headers = { ...tenant.headers, "idempotency-key": "sealed-1" };
    const body = consultationBody();
    const first = await call(create, { path: "/api/consultations", headers, body });
    expect(first.status, first.text).toBe(200);
    const data = first.json.data;

    const stored = await storedBody("sealed-1");
    expect(isSealed(stored)).toBe(true);
    for (const secret of [data.accessPin, tokenOf(data.participantAccess.patientUrl), tokenOf(data.participantAccess.providerUrl), body.patient.name, body.patient.documentNumber]) {
      expect(stored).not.toContain(secret);
    }

    const replay = await call(create, { path: "/api/consultations", headers, body });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.text).toBe(first.text);
  });

  it("written in plain text by an older version, are still replayed, and sealing them changes nothing for the client", async () => {
    const headers = { ...tenant.headers, "idempotency-key": "legacy-1" };
    const body = consultationBody();
    const first = await call(create, { path: "/api/consultations", headers, body });
    expect(first.status, first.text).toBe(200);
    // What an older version stored: the answer as it was sent.
    await test.db.execute(sql`update idempotency_keys set response_body = ${first.text} where organization_id = ${tenant.organization.id} and key = 'legacy-1'`);

    const fromPlain = await call(create, { path: "/api/consultations", headers, body });
    expect(fromPlain.headers.get("idempotent-replayed")).toBe("true");
    expect(fromPlain.text).toBe(first.text);

    // Small batches, so the pages are walked.
    expect(await sealPlainResponses(test.db, appSealer(), 1)).toBeGreaterThanOrEqual(1);
    const stored = await storedBody("legacy-1");
    expect(isSealed(stored)).toBe(true);
    expect(stored).not.toContain(first.json.data.accessPin);
    expect(await sealPlainResponses(test.db, appSealer())).toBe(0);

    const fromSealed = await call(create, { path: "/api/consultations", headers, body });
    expect(fromSealed.text).toBe(first.text);
  });
});

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as serveBackground } from "@/app/api/backgrounds/[alias]/route";
import { POST as upload } from "@/app/api/settings/background-image/route";
import { DELETE as removeBackground } from "@/app/api/settings/backgrounds/[alias]/route";
import { GET as listBackgrounds } from "@/app/api/settings/backgrounds/route";
import { GET as readSettings } from "@/app/api/settings/route";
import { PATCH as update } from "@/app/api/settings/update/route";
import { roomUsers } from "@/db/schema";
import { BACKGROUND_MAX_BYTES, BACKGROUNDS_PER_ORGANIZATION } from "@/lib/limits";
import { callSettingsOf } from "@/lib/settings/call-settings";
import { LocalDiskStorage, setFileStorage } from "@/lib/storage";
import { mintUserToken } from "@/lib/teleconsultation/user-token";
import { call, createTenant, type Tenant } from "@/test/api";
import { filesUnder, jpegWithLocation, png, sendFile } from "@/test/chat-files";
import { setupTestDatabase } from "@/test/db";

const test = setupTestDatabase();
const directory = mkdtempSync(path.join(tmpdir(), "telemed-backgrounds-"));
const storage = new LocalDiskStorage(directory);

let tenant: Tenant;
let other: Tenant;
beforeAll(async () => {
  setFileStorage(storage);
  tenant = await createTenant(test.db);
  other = await createTenant(test.db);
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** The credential as the contract's curl examples send it. */
const apikey = (t: Tenant) => ({ apikey: t.credential.bearerToken });
const ALIAS = /^[0-9a-f]{32}$/;

/** A multipart body written out by hand with the contract's own boundary, `multipart-boundary`. */
function contractMultipart(field: string, fileName: string, type: string, bytes: Uint8Array): { body: Buffer; contentType: string } {
  const boundary = "multipart-boundary";
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`;
  return { body: Buffer.concat([Buffer.from(head), Buffer.from(bytes), Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function answerOf(responding: Promise<Response>) {
  const response = await responding;
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
}

async function uploadAs(t: Tenant, bytes: Uint8Array, name = "backdrop.png", type = "image/png") {
  return sendFile(upload, { path: "/api/settings/background-image", params: {}, headers: apikey(t), file: { bytes, name, type }, field: "virtual_background" });
}

async function uploaded(t: Tenant, bytes?: Uint8Array): Promise<string> {
  const res = await uploadAs(t, bytes ?? (await png(64, 36)));
  expect(res.status, res.text).toBe(200);
  return res.json.virtual_background.background_alias;
}

const patch = (t: Tenant | Record<string, string>, body: unknown, contentType = "application/json") =>
  call(update, { method: "PATCH", path: "/api/settings/update", headers: { ...("credential" in t ? apikey(t as Tenant) : (t as Record<string, string>)), "content-type": contentType }, body });

async function fetchImage(alias: string) {
  const response = await serveBackground(new Request(`http://localhost/api/backgrounds/${encodeURIComponent(alias)}`), { params: Promise.resolve({ alias }) });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

const rowsOf = (organizationId: string) =>
  test.db.execute<{ alias: string; storage_key: string; content_type: string; byte_size: number; width: number; height: number }>(sql`
    select alias, storage_key, content_type, byte_size, width, height from organization_backgrounds where organization_id = ${organizationId} order by created_at`);

/** A refused upload keeps nothing: no new row, no new bytes (temporary files included). */
async function expectNothingStored(t: Tenant, rowsBefore: number, filesBefore: string[]) {
  expect(await rowsOf(t.organization.id)).toHaveLength(rowsBefore);
  expect(filesUnder(directory).sort()).toEqual([...filesBefore].sort());
}

describe("POST /api/settings/background-image", () => {
  it("answers the contract's shape to the contract's request (apikey header, its boundary, the field virtual_background), and serves the image", async () => {
    const image = await png(320, 180);
    const { body, contentType } = contractMultipart("virtual_background", "clinic.png", "image/png", image);
    const res = await answerOf(
      upload(new Request("http://localhost/api/settings/background-image", { method: "POST", headers: { apikey: tenant.credential.bearerToken, "content-type": contentType }, body: new Uint8Array(body) }), {
        params: Promise.resolve({}),
      }),
    );
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.json)).toEqual(["virtual_background"]);
    const background = res.json.virtual_background;
    expect(Object.keys(background)).toEqual(["background_alias", "url", "creation_date"]);
    expect(background.background_alias).toMatch(ALIAS);
    expect(background.url).toBe(`https://portal.test/api/backgrounds/${background.background_alias}`);
    expect(new Date(background.creation_date).toISOString()).toBe(background.creation_date);
    // The credential's rate-limit headers come with it, as on every API answer.
    expect(res.headers.get("x-ratelimit-limit")).toMatch(/^\d+$/);
    expect(res.headers.get("x-ratelimit-remaining")).toMatch(/^\d+$/);

    const [row] = (await rowsOf(tenant.organization.id)).filter((r) => r.alias === background.background_alias);
    expect(row).toMatchObject({ content_type: "image/png", width: 320, height: 180 });
    expect(row!.storage_key).toMatch(/^backgrounds\/[0-9a-f]{2}\/[0-9a-f]{32}$/);

    const served = await fetchImage(background.background_alias);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.bytes.equals(readFileSync(storage.pathOf(row!.storage_key)))).toBe(true);
    expect(Number(served.headers.get("content-length"))).toBe(served.bytes.length);
  });

  it("refuses 10 MB and one byte with 413, keeping nothing, and stops reading a longer body at the limit", async () => {
    const rowsBefore = (await rowsOf(tenant.organization.id)).length;
    const filesBefore = filesUnder(directory);
    const tooBig = Buffer.alloc(BACKGROUND_MAX_BYTES + 1, 0);
    (await png(8, 8)).copy(tooBig); // an image's signature at the front: refused for its size, not its type
    const res = await uploadAs(tenant, tooBig);
    expect(res.status, res.text).toBe(413);
    expect(res.json).toMatchObject({ code: "file_too_large", details: [{ field: "virtual_background", code: "file_too_large" }] });
    expect(res.json.error).toContain("10 MB");
    await expectNothingStored(tenant, rowsBefore, filesBefore);

    // Exactly 10 MB is not refused for its size (these bytes are no image, so it is refused for its type).
    const exactly = Buffer.alloc(BACKGROUND_MAX_BYTES, 0x41);
    expect((await uploadAs(tenant, exactly, "big.png")).status).toBe(415);

    // A body with no length that goes on and on: dropped soon after the limit, not read to its end.
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 50 * 1024 * 1024) return controller.close();
        const chunk = new Uint8Array(256 * 1024);
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const request = new Request("http://localhost/api/settings/background-image", {
      method: "POST",
      headers: { ...apikey(tenant), "content-type": "multipart/form-data; boundary=multipart-boundary" },
      body: endless,
      duplex: "half",
    } as RequestInit);
    const streamed = await upload(request, { params: Promise.resolve({}) });
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(BACKGROUND_MAX_BYTES + 2 * 1024 * 1024);
    // A Content-Length that says too much is refused before anything is read.
    const declared = await upload(
      new Request("http://localhost/api/settings/background-image", {
        method: "POST",
        headers: { ...apikey(tenant), "content-type": "multipart/form-data; boundary=x", "content-length": String(BACKGROUND_MAX_BYTES * 2) },
        body: "",
      }),
      { params: Promise.resolve({}) },
    );
    expect(declared.status).toBe(413);
    await expectNothingStored(tenant, rowsBefore, filesBefore);
  });

  it("refuses a text file renamed .png (and an SVG, a GIF) by its content with 415, keeping nothing", async () => {
    const rowsBefore = (await rowsOf(tenant.organization.id)).length;
    const filesBefore = filesUnder(directory);
    const cases: [Uint8Array, string][] = [
      [Buffer.from("Dear clinic, this is a plain text file with a .png name.\n"), "notes.png"],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'), "logo.png"],
      [await sharp({ create: { width: 4, height: 4, channels: 3, background: "white" } }).gif().toBuffer(), "anim.png"],
    ];
    for (const [bytes, name] of cases) {
      const res = await uploadAs(tenant, bytes, name, "image/png");
      expect(res.status, name).toBe(415);
      expect(res.json).toMatchObject({ code: "file_type_not_allowed", details: [{ field: "virtual_background", code: "file_type_not_allowed" }] });
    }
    // The wrong field, a path sent as text (curl's `--form virtual_background=path`), no multipart at all.
    const wrongField = await sendFile(upload, { path: "/api/settings/background-image", params: {}, headers: apikey(tenant), file: { bytes: await png(), name: "a.png" }, field: "file" });
    expect([wrongField.status, wrongField.json.details[0].field]).toEqual([400, "virtual_background"]);
    const form = new FormData();
    form.set("virtual_background", "your_path_to_file");
    const asText = await upload(new Request("http://localhost/api/settings/background-image", { method: "POST", headers: apikey(tenant), body: form }), { params: Promise.resolve({}) });
    const asTextBody = await asText.json();
    expect([asText.status, asTextBody.details[0].field]).toEqual([400, "virtual_background"]);
    expect(asTextBody.details[0].message).toContain("@path");
    const json = await call(upload, { path: "/api/settings/background-image", headers: apikey(tenant), body: { virtual_background: "x" } });
    expect([json.status, json.json.code]).toEqual([400, "unsupported_content_type"]);
    await expectNothingStored(tenant, rowsBefore, filesBefore);
  });

  it("stores a photo without its metadata (EXIF with GPS, camera serial), upright", async () => {
    const original = await jpegWithLocation();
    const before = await sharp(original).metadata();
    expect(before.exif?.toString("latin1")).toContain("Serial-12345");
    // The GPS IFD pointer (tag 0x8825, little-endian "II" EXIF), with its latitude reference "N".
    expect(before.exif!.includes(Buffer.from([0x25, 0x88]))).toBe(true);
    const alias = await uploaded(tenant, original);
    const [row] = (await rowsOf(tenant.organization.id)).filter((r) => r.alias === alias);
    const stored = readFileSync(storage.pathOf(row!.storage_key));
    const after = await sharp(stored).metadata();
    expect(after.format).toBe("jpeg");
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(stored.toString("latin1")).not.toContain("Serial-12345");
    expect(stored.toString("latin1")).not.toContain("Exif");
    expect(stored.includes(Buffer.from("II*\0"))).toBe(false);
    expect(stored.includes(Buffer.from("MM\0*"))).toBe(false);
    // Orientation 6: the 64×32 picture as seen is 32 wide and 64 high.
    expect([after.width, after.height, row!.width, row!.height]).toEqual([32, 64, 32, 64]);
    expect((await fetchImage(alias)).bytes.equals(stored)).toBe(true);
  });

  it("shrinks a large image to fit 1920×1080, keeps its format, and never enlarges a small one", async () => {
    const large = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: { r: 10, g: 90, b: 160 } } }).webp().toBuffer();
    const alias = await uploaded(tenant, large);
    const [row] = (await rowsOf(tenant.organization.id)).filter((r) => r.alias === alias);
    expect(row).toMatchObject({ content_type: "image/webp", width: 1440, height: 1080 });
    const small = await uploaded(tenant, await png(40, 20));
    expect((await rowsOf(tenant.organization.id)).find((r) => r.alias === small)).toMatchObject({ width: 40, height: 20 });
  });

  it(`keeps at most ${BACKGROUNDS_PER_ORGANIZATION} backgrounds per organization: one more is a 409 that stores nothing`, async () => {
    const crowded = await createTenant(test.db);
    await test.db.execute(sql`
      insert into organization_backgrounds (organization_id, alias, storage_key, content_type, byte_size, width, height)
      select ${crowded.organization.id}, md5(random()::text || n), 'backgrounds/zz/' || md5(random()::text || n), 'image/png', 10, 1, 1
      from generate_series(1, ${BACKGROUNDS_PER_ORGANIZATION}) n`);
    const filesBefore = filesUnder(directory);
    const res = await uploadAs(crowded, await png());
    expect(res.status, res.text).toBe(409);
    expect(res.json.code).toBe("background_limit");
    await expectNothingStored(crowded, BACKGROUNDS_PER_ORGANIZATION, filesBefore);
    // Another organization is not held back by this one's.
    expect((await uploadAs(other, await png())).status).toBe(200);
  });
});

describe("PATCH /api/settings/update", () => {
  it("takes the contract's example as written (apikey, JSON sent by curl --data as form-urlencoded) and answers its shape", async () => {
    const alias = await uploaded(tenant);
    const body = `{\n"background_alias":"${alias}"\n}`;
    const res = await patch(tenant, body, "application/x-www-form-urlencoded");
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.json)).toEqual(["company"]);
    const company = res.json.company;
    expect(Object.keys(company)).toEqual(["name", "default_language", "default_background", "end_call_redirect_url", "user_details_provider_url", "end_call_redirect_timeout_ms"]);
    expect(Object.keys(company.default_background)).toEqual(["alias", "url", "creation_date"]);
    expect(company).toMatchObject({
      name: tenant.organization.name,
      default_language: "es",
      default_background: { alias, url: `https://portal.test/api/backgrounds/${alias}` },
      end_call_redirect_url: "",
      user_details_provider_url: "",
      end_call_redirect_timeout_ms: 5000,
    });
    expect(new Date(company.default_background.creation_date).toISOString()).toBe(company.default_background.creation_date);
    expect(res.headers.get("x-ratelimit-limit")).toMatch(/^\d+$/);

    // GET /api/settings answers the same; the call page sees the same default.
    const read = await call(readSettings, { path: "/api/settings", headers: apikey(tenant) });
    expect(read.status).toBe(200);
    expect(read.json).toEqual(res.json);
    expect((await callSettingsOf(test.db, tenant.organization.id)).defaultBackground).toEqual({ alias, url: `/api/backgrounds/${alias}` });
  });

  it("refuses a form-urlencoded body that is not JSON, and other content types", async () => {
    const form = await patch(tenant, "background_alias=abc", "application/x-www-form-urlencoded");
    expect([form.status, form.json.code]).toEqual([400, "invalid_json"]);
    const text = await patch(tenant, '{"name":"X Clinic"}', "text/plain");
    expect([text.status, text.json.code]).toEqual([400, "unsupported_content_type"]);
  });

  it("refuses an alias that is not one of the organization's, another organization's included, without telling them apart", async () => {
    const theirs = await uploaded(other);
    const answers = [];
    for (const background_alias of ["3e4d0683d78be3a884b7a60028644f57", theirs, "../../etc/passwd", "x".repeat(100)]) {
      const res = await patch(tenant, { background_alias });
      expect(res.status, background_alias).toBe(400);
      expect(res.json).toMatchObject({ code: "unknown_background", details: [{ field: "background_alias", code: "unknown_background" }] });
      answers.push(res.json.details[0].message);
    }
    expect(new Set(answers).size).toBe(1);
    // Theirs is still theirs: not their default, nor ours.
    expect((await call(readSettings, { path: "/api/settings", headers: apikey(other) })).json.company.default_background).toBeNull();
    expect((await call(readSettings, { path: "/api/settings", headers: apikey(tenant) })).json.company.default_background?.alias).not.toBe(theirs);
  });

  it("changes the other company fields, checks each, and clears with null or an empty string", async () => {
    const fresh = await createTenant(test.db);
    const res = await patch(fresh, {
      name: "Clínica del Norte",
      default_language: "it",
      end_call_redirect_url: "https://clinic.example/after-call",
      user_details_provider_url: "https://clinic.example/api/users",
      end_call_redirect_timeout_ms: 8000,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.company).toEqual({
      name: "Clínica del Norte",
      default_language: "it",
      default_background: null,
      end_call_redirect_url: "https://clinic.example/after-call",
      user_details_provider_url: "https://clinic.example/api/users",
      end_call_redirect_timeout_ms: 8000,
    });
    expect(await callSettingsOf(test.db, fresh.organization.id)).toEqual({
      backgrounds: [],
      defaultBackground: null,
      endCallRedirectUrl: "https://clinic.example/after-call",
      endCallRedirectTimeoutMs: 8000,
    });

    const bad: [Record<string, unknown>, string][] = [
      [{ end_call_redirect_url: "http://clinic.example/after" }, "end_call_redirect_url"],
      [{ end_call_redirect_url: "javascript:alert(1)" }, "end_call_redirect_url"],
      [{ end_call_redirect_url: `https://clinic.example/${"a".repeat(500)}` }, "end_call_redirect_url"],
      [{ user_details_provider_url: "ftp://clinic.example/users" }, "user_details_provider_url"],
      [{ end_call_redirect_timeout_ms: 60_001 }, "end_call_redirect_timeout_ms"],
      [{ end_call_redirect_timeout_ms: -1 }, "end_call_redirect_timeout_ms"],
      [{ end_call_redirect_timeout_ms: 1.5 }, "end_call_redirect_timeout_ms"],
      [{ end_call_redirect_timeout_ms: "5000" }, "end_call_redirect_timeout_ms"],
      [{ default_language: "fr" }, "default_language"],
      [{ name: "" }, "name"],
      [{ name: "Evil\u202Eclinic" }, "name"],
      [{ background_alias: 42 }, "background_alias"],
    ];
    for (const [body, field] of bad) {
      const refused = await patch(fresh, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.json.details.map((d: { field: string }) => d.field), JSON.stringify(body)).toEqual([field]);
    }

    const cleared = await patch(fresh, { end_call_redirect_url: null, user_details_provider_url: "", end_call_redirect_timeout_ms: 0 });
    expect(cleared.json.company).toMatchObject({ end_call_redirect_url: "", user_details_provider_url: "", end_call_redirect_timeout_ms: 0 });
    expect((await callSettingsOf(test.db, fresh.organization.id)).endCallRedirectUrl).toBeNull();
  });

  it("says which fields exist when none is given", async () => {
    for (const body of [{}, { colour: "blue" }, { background_alias: undefined }]) {
      const res = await patch(tenant, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.details).toEqual([expect.objectContaining({ field: "body", code: "no_fields" })]);
      for (const field of ["background_alias", "name", "default_language", "end_call_redirect_url", "user_details_provider_url", "end_call_redirect_timeout_ms"]) {
        expect(res.json.details[0].message).toContain(field);
      }
    }
    const notAnObject = await patch(tenant, "[1,2]");
    expect(notAnObject.status).toBe(400);
  });

  it("clears the default background with null", async () => {
    const alias = await uploaded(tenant);
    expect((await patch(tenant, { background_alias: alias })).json.company.default_background.alias).toBe(alias);
    const cleared = await patch(tenant, { background_alias: null });
    expect(cleared.status).toBe(200);
    expect(cleared.json.company.default_background).toBeNull();
  });
});

describe("the clinic's audit log", () => {
  it("records what the API changed, by the credential's key id, and nothing when nothing changed", async () => {
    const audited = await createTenant(test.db);
    const auditOf = () =>
      test.db.execute<{ action: string; actor_label: string; detail: Record<string, unknown> }>(sql`
        select action, actor_label, detail from audit_log where organization_id = ${audited.organization.id} order by id`);
    const alias = await uploaded(audited);
    expect((await patch(audited, { background_alias: alias, end_call_redirect_timeout_ms: 3000 })).status).toBe(200);
    expect((await patch(audited, { end_call_redirect_timeout_ms: 3000 })).status).toBe(200);
    expect((await patch(audited, { end_call_redirect_timeout_ms: 70_000 })).status).toBe(400);
    expect((await call(removeBackground, { method: "DELETE", path: `/api/settings/backgrounds/${alias}`, headers: apikey(audited), params: { alias } })).status).toBe(204);
    const rows = await auditOf();
    expect(rows.map((r) => r.action)).toEqual(["organization.background_added", "organization.call_settings_updated", "organization.background_deleted"]);
    for (const row of rows) expect(row.actor_label).toBe(`API credential ${audited.credential.keyId}`);
    expect(rows[1]!.detail).toEqual({ background_alias: { from: null, to: alias }, end_call_redirect_timeout_ms: { from: 5000, to: 3000 } });
    expect(JSON.stringify(rows)).not.toContain(audited.credential.secret);
  });
});

describe("listing and deleting backgrounds", () => {
  it("lists the organization's own, newest first, marking the default", async () => {
    const lister = await createTenant(test.db);
    const first = await uploaded(lister);
    const second = await uploaded(lister);
    await patch(lister, { background_alias: first });
    const res = await call(listBackgrounds, { path: "/api/settings/backgrounds", headers: apikey(lister) });
    expect(res.status).toBe(200);
    expect(res.json.backgrounds.map((b: { background_alias: string; is_default: boolean }) => [b.background_alias, b.is_default])).toEqual([
      [second, false],
      [first, true],
    ]);
    expect(Object.keys(res.json.backgrounds[0])).toEqual(["background_alias", "url", "creation_date", "is_default"]);
    expect((await callSettingsOf(test.db, lister.organization.id)).backgrounds.map((b) => b.alias)).toEqual([second, first]);
  });

  it("deletes one: 204, the row and its bytes gone, the default cleared; another organization's is 404 and stays", async () => {
    const owner = await createTenant(test.db);
    const alias = await uploaded(owner);
    await patch(owner, { background_alias: alias });
    const [row] = await rowsOf(owner.organization.id);

    const foreign = await call(removeBackground, { method: "DELETE", path: `/api/settings/backgrounds/${alias}`, headers: apikey(other), params: { alias } });
    expect([foreign.status, foreign.json.code]).toEqual([404, "not_found"]);
    const malformed = await call(removeBackground, { method: "DELETE", path: "/api/settings/backgrounds/nope", headers: apikey(owner), params: { alias: "nope" } });
    expect(malformed.status).toBe(404);
    expect((await fetchImage(alias)).status).toBe(200);

    const res = await call(removeBackground, { method: "DELETE", path: `/api/settings/backgrounds/${alias}`, headers: apikey(owner), params: { alias } });
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe("");
    expect(await rowsOf(owner.organization.id)).toEqual([]);
    expect(await storage.exists(row!.storage_key)).toBe(false);
    expect((await call(readSettings, { path: "/api/settings", headers: apikey(owner) })).json.company.default_background).toBeNull();
    expect((await fetchImage(alias)).status).toBe(404);
    const again = await call(removeBackground, { method: "DELETE", path: `/api/settings/backgrounds/${alias}`, headers: apikey(owner), params: { alias } });
    expect(again.status).toBe(404);
  });
});

describe("GET /api/backgrounds/{alias}", () => {
  it("answers 404, never 500, for an unknown or malformed alias, without caching the answer", async () => {
    for (const alias of ["3e4d0683d78be3a884b7a60028644f57", "3E4D0683D78BE3A884B7A60028644F57", "x'; drop table organizations; --", "../../etc/passwd", "", "a".repeat(5000)]) {
      const res = await fetchImage(alias);
      expect(res.status, alias).toBe(404);
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });
});

describe("who may use /api/settings", () => {
  const routes = () => [
    { name: "GET /api/settings", run: (headers: Record<string, string>) => call(readSettings, { path: "/api/settings", headers }) },
    { name: "PATCH /api/settings/update", run: (headers: Record<string, string>) => patch(headers, { name: "Taken over" }) },
    { name: "GET /api/settings/backgrounds", run: (headers: Record<string, string>) => call(listBackgrounds, { path: "/api/settings/backgrounds", headers }) },
    {
      name: "DELETE /api/settings/backgrounds/{alias}",
      run: (headers: Record<string, string>) => call(removeBackground, { method: "DELETE", path: "/api/settings/backgrounds/3e4d0683d78be3a884b7a60028644f57", headers, params: { alias: "3e4d0683d78be3a884b7a60028644f57" } }),
    },
    {
      name: "POST /api/settings/background-image",
      run: async (headers: Record<string, string>) => sendFile(upload, { path: "/api/settings/background-image", params: {}, headers, file: { bytes: await png(), name: "a.png" }, field: "virtual_background" }),
    },
  ];

  it("answers the contract's 401 { error: \"Unauthorized user\" } to a missing or invalid credential, on every route", async () => {
    const { keyId, secret } = tenant.credential;
    const cases: [Record<string, string>, string][] = [
      [{}, "missing_credentials"],
      [{ apikey: `${keyId}.wrong` }, "invalid_credentials"],
      [{ apikey: "your_api_key" }, "invalid_credentials"],
      [{ authorization: `Bearer ${keyId}.${secret}x` }, "invalid_credentials"],
      [{ "x-api-key": keyId }, "invalid_credentials"],
    ];
    const rowsBefore = (await rowsOf(tenant.organization.id)).length;
    for (const route of routes()) {
      for (const [headers, code] of cases) {
        const res = await route.run(headers);
        expect(res.status, `${route.name} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.json.error).toBe("Unauthorized user");
        expect(res.json.code).toBe(code);
      }
    }
    expect(await rowsOf(tenant.organization.id)).toHaveLength(rowsBefore);
    expect((await call(readSettings, { path: "/api/settings", headers: apikey(tenant) })).json.company.name).toBe(tenant.organization.name);
  });

  it("refuses a room user's token: the settings are the organization's", async () => {
    const [user] = await test.db.insert(roomUsers).values({ organizationId: tenant.organization.id, externalId: "settings-doctor", fullName: "Dr. Settings", groups: ["doctor"] }).returning();
    const token = await mintUserToken(process.env.APP_SECRET!, { roomUserId: user!.id, organizationId: tenant.organization.id, apiKeyId: tenant.credential.id }, new Date(), 600);
    for (const route of routes()) {
      const res = await route.run({ authorization: `Bearer ${token.accessToken}` });
      expect([res.status, res.json.code], route.name).toEqual([403, "user_token_not_allowed"]);
    }
  });

  it("takes every credential form", async () => {
    for (const headers of [apikey(tenant), tenant.headers, { "x-api-key": tenant.credential.keyId, "x-api-secret": tenant.credential.secret }]) {
      expect((await call(readSettings, { path: "/api/settings", headers })).status).toBe(200);
    }
  });
});

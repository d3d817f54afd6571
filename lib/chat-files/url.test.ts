import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CHAT_FILE_URL_TTL_MS, chatFileUrl, chatFileViewFor, fileView, verifyChatFileUrl } from "./url";

const SECRET = "a-secret-of-at-least-thirty-two-characters";
const parts = (url: string) => {
  const parsed = new URL(url, "https://portal.test");
  return { path: parsed.pathname, expires: parsed.searchParams.get("expires"), signature: parsed.searchParams.get("signature") };
};

describe("a chat file's download URL", () => {
  const fileId = randomUUID();
  const now = new Date("2030-05-01T10:00:00Z");

  it("names the file and expires ten minutes after it was minted", () => {
    const url = parts(chatFileUrl(SECRET, fileId, now));
    expect(url.path).toBe(`/api/chat-files/${fileId}`);
    expect(Number(url.expires)).toBe(now.getTime() + CHAT_FILE_URL_TTL_MS);
    expect(verifyChatFileUrl(SECRET, fileId, url.expires, url.signature, now)).toBe(true);
    expect(verifyChatFileUrl(SECRET, fileId, url.expires, url.signature, new Date(now.getTime() + CHAT_FILE_URL_TTL_MS - 1))).toBe(true);
    expect(verifyChatFileUrl(SECRET, fileId, url.expires, url.signature, new Date(now.getTime() + CHAT_FILE_URL_TTL_MS))).toBe(false);
  });

  it("verifies for nothing else: another file, a later expiry, a changed signature, another secret", () => {
    const { expires, signature } = parts(chatFileUrl(SECRET, fileId, now));
    expect(verifyChatFileUrl(SECRET, randomUUID(), expires, signature, now)).toBe(false);
    expect(verifyChatFileUrl(SECRET, fileId, String(Number(expires) + 60_000), signature, now)).toBe(false);
    const flipped = signature!.slice(0, -1) + (signature!.endsWith("A") ? "B" : "A");
    expect(verifyChatFileUrl(SECRET, fileId, expires, flipped, now)).toBe(false);
    expect(verifyChatFileUrl(`${SECRET}-other`, fileId, expires, signature, now)).toBe(false);
    for (const [e, s] of [
      [null, signature],
      [expires, null],
      ["1e15", signature],
      ["-1", signature],
      [expires, "x"],
    ] as const) {
      expect(verifyChatFileUrl(SECRET, fileId, e, s, now)).toBe(false);
    }
    expect(verifyChatFileUrl(SECRET, "../etc", expires, signature, now)).toBe(false);
  });

  it("refuses one that expires further ahead than we ever mint", () => {
    const later = new Date(now.getTime() + 3600_000);
    const { expires, signature } = parts(chatFileUrl(SECRET, fileId, later));
    expect(verifyChatFileUrl(SECRET, fileId, expires, signature, now)).toBe(false);
  });

  it("shows a file with its URL, and none once deleted", () => {
    const row = { id: fileId, fileName: "informe.pdf", contentType: "application/pdf", byteSize: 1234 };
    expect(fileView(row, "/x")).toEqual({ id: fileId, name: "informe.pdf", contentType: "application/pdf", size: 1234, url: "/x" });
    expect(chatFileViewFor(row, SECRET, now).url).toBe(chatFileUrl(SECRET, fileId, now));
    expect(chatFileViewFor({ ...row, deletedAt: now }, SECRET, now).url).toBeNull();
  });
});

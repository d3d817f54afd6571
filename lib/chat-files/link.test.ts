import { describe, expect, it } from "vitest";
import { CHAT_FILE_MAX_BYTES } from "@/lib/limits";
import { chatFileLinkExpiresAt, chatFileLinkFresh, fileKindOf, fileSizeOf, precheckChatFile } from "./link";

describe("a chat file as the browser shows it", () => {
  it("gives its size in the units the 10 MB limit is stated in (the page says it in words)", () => {
    expect([0, 1, 820, 1024, 12_345, 1024 * 1024, 1.44 * 1024 * 1024, CHAT_FILE_MAX_BYTES, 25 * 1024 * 1024].map(fileSizeOf)).toEqual([
      { unit: "bytes", value: 0 },
      { unit: "bytes", value: 1 },
      { unit: "bytes", value: 820 },
      { unit: "kb", value: 1 },
      { unit: "kb", value: 12 },
      { unit: "mb", value: 1 },
      { unit: "mb", value: 1.4 },
      { unit: "mb", value: 10 },
      { unit: "mb", value: 25 },
    ]);
    expect(["application/pdf", "image/webp", "text/plain"].map(fileKindOf)).toEqual(["pdf", "image", "file"]);
  });

  it("knows when its download URL runs out, and renews it with time to spare", () => {
    const url = "/api/chat-files/7d3c5a6e-1b2f-4c8d-9e0a-112233445566?expires=1900000600000&signature=abc";
    expect(chatFileLinkExpiresAt(url)).toBe(1_900_000_600_000);
    expect(chatFileLinkFresh(url, 1_900_000_000_000)).toBe(true);
    expect(chatFileLinkFresh(url, 1_900_000_600_000 - 31_000)).toBe(true);
    expect(chatFileLinkFresh(url, 1_900_000_600_000 - 29_000)).toBe(false);
    expect(chatFileLinkFresh(url, 1_900_000_700_000)).toBe(false);
    expect(chatFileLinkExpiresAt("/api/chat-files/x")).toBeNull();
    expect(chatFileLinkExpiresAt("/api/chat-files/x?expires=soon")).toBeNull();
  });

  it("refuses before uploading what the server would refuse anyway", () => {
    expect(precheckChatFile({ size: CHAT_FILE_MAX_BYTES, type: "application/pdf" })).toBeNull();
    expect(precheckChatFile({ size: CHAT_FILE_MAX_BYTES + 1, type: "application/pdf" })).toBe("file_too_large");
    expect(precheckChatFile({ size: 10, type: "application/x-msdownload" })).toBe("file_type_not_allowed");
    expect(precheckChatFile({ size: 0, type: "image/png" })).toBe("empty");
    // No type from the browser: the server reads the bytes and decides.
    expect(precheckChatFile({ size: 10, type: "" })).toBeNull();
  });
});

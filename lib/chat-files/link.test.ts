import { describe, expect, it } from "vitest";
import { CHAT_FILE_MAX_BYTES } from "@/lib/limits";
import { chatFileLinkExpiresAt, chatFileLinkFresh, chatFileRefusal, formatFileSize, precheckChatFile } from "./link";

describe("a chat file as the browser shows it", () => {
  it("gives its size in the units the 10 MB limit is stated in", () => {
    expect([0, 1, 820, 1024, 12_345, 1024 * 1024, 1.44 * 1024 * 1024, CHAT_FILE_MAX_BYTES, 25 * 1024 * 1024].map(formatFileSize)).toEqual([
      "0 bytes",
      "1 byte",
      "820 bytes",
      "1 KB",
      "12 KB",
      "1 MB",
      "1.4 MB",
      "10 MB",
      "25 MB",
    ]);
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

  it("says why a file was refused in words, naming it", () => {
    expect(chatFileRefusal({ code: "file_type_not_allowed", message: "Only JPEG… (this file is application/x-msdownload)." }, "results.pdf")).toBe(
      "“results.pdf” is not a photo or a PDF, so it cannot be sent. Only JPEG, PNG and WebP images and PDF documents can be shared.",
    );
    expect(chatFileRefusal({ code: "file_too_large" }, "scan.pdf")).toContain("larger than 10 MB");
    expect(chatFileRefusal({ code: "chat_files_rate_limited" }, "a.png")).toContain("Wait a while");
    // The call being over is said best by the server, which knows whether it was a consultation.
    expect(chatFileRefusal({ code: "chat_closed", message: "The consultation is over, so its chat is closed." }, "a.png")).toBe("The consultation is over, so its chat is closed.");
  });
});

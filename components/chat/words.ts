import { useFormatter, useTranslations } from "next-intl";
import { fileKindOf, fileSizeOf, type FileKind } from "@/lib/chat-files/link";
import { CHAT_FILES_PER_HOUR } from "@/lib/limits";

/*
 * The chat's words that more than one screen says: a file's kind and size, and why something
 * was refused, from the error's code (the server's own message stays English, for integrators; `download_failed` is the page's own).
 * The call's chat panel, the chat page and the dashboard's transcript all say them the same way.
 */

type ChatTranslator = ReturnType<typeof useTranslations<"Chat">>;
type Formatter = ReturnType<typeof useFormatter>;

const KIND = { pdf: "file.kind.pdf", image: "file.kind.image", file: "file.kind.file" } as const satisfies Record<FileKind, string>;

/** A file's kind and size in the reader's language: "PDF, 12 KB", "Imagen, 1,4 MB". */
export function fileWords(t: ChatTranslator, format: Formatter) {
  const size = (bytes: number) => {
    const { unit, value } = fileSizeOf(bytes);
    if (unit === "bytes") return t("file.bytes", { count: value });
    const amount = format.number(value, { maximumFractionDigits: 1 });
    return unit === "kb" ? t("file.kb", { size: amount }) : t("file.mb", { size: amount });
  };
  const kind = (contentType: string) => t(KIND[fileKindOf(contentType)]);
  const facts = (file: { contentType: string; size: number }) => t("file.facts", { kind: kind(file.contentType), size: size(file.size) });
  return { size, kind, facts };
}

export function useFileWords() {
  return fileWords(useTranslations("Chat"), useFormatter());
}

/**
 * Something that went wrong, as the page keeps it until it says it: the server's code (or the
 * browser's own: `network_unavailable`, `empty`), whether the network failed, the file it was
 * about, and what the person was doing (opening the call says "the call" where a code is vague).
 */
export type ChatProblem = { code?: string; status?: number; network?: boolean; file?: string; doing?: "call" };

/** A thrown error as a problem: its code and status when the server answered, else a network failure. */
export function problemOf(error: unknown, more: Pick<ChatProblem, "file" | "doing"> = {}): ChatProblem {
  const { code, status } = (error ?? {}) as { code?: unknown; status?: unknown };
  const known = typeof code === "string" ? code : undefined;
  const answered = typeof status === "number" ? status : undefined;
  return { ...more, code: known, status: answered, network: known === "network_unavailable" || (answered === undefined && known === undefined) };
}

/** What to tell the person, for every code the chat's routes answer with; a code it does not know still gets words. */
export function problemText(t: ChatTranslator, problem: ChatProblem): string {
  const { code, status, file } = problem;
  if (file !== undefined) {
    if (code === "file_too_large" || status === 413) return t("refusal.tooLarge", { name: file });
    if (code === "file_type_not_allowed" || status === 415) return t("refusal.wrongType", { name: file });
    if (code === "empty") return t("refusal.empty", { name: file });
    if (code === "chat_files_rate_limited") return t("refusal.filesRateLimited", { count: CHAT_FILES_PER_HOUR });
    if (problem.network) return t("refusal.offline", { name: file });
  }
  if (problem.network) return t("error.offline");
  switch (code) {
    case "storage_unavailable":
      return t("error.storage");
    case "chat_rate_limited":
      return t("error.rateLimited");
    case "chat_closed":
      return t("error.chatClosed");
    case "chat_session_closed":
      return t("error.sessionClosed");
    case "not_in_call":
      return t("error.notInCall");
    case "call_not_ready":
      return t("error.callNotReady");
    case "download_failed":
      return t("error.downloadFailed");
    case "chat_session_state":
      return problem.doing === "call" ? t("error.callUnavailable") : t("error.sessionState");
    case "not_a_participant":
    case "chat_user_required":
    case "chat_plus_required":
    case "forbidden":
      return t("error.notAllowed");
  }
  if (status === 401) return t("accessEnded");
  if (status === 404) return t("notFound");
  return file !== undefined ? t("refusal.fileFailed", { name: file }) : t("error.unknown");
}

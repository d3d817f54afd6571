import { getFormatter, getTranslations } from "next-intl/server";
import { fileWords } from "@/components/chat/words";
import type { ChatFile } from "@/lib/chat-files/schema";
import styles from "./dashboard.module.css";
import { TranscriptFileLink } from "./TranscriptFileLink";

/**
 * A file in a consultation's transcript: a download link minted for this staff member when the
 * page was rendered (a click after it ran out renders the page again and then downloads), or
 * why there is none (the room's uploads were deleted). Its words are said here, on the server, so
 * the page needs no chat messages in the browser.
 */
export async function TranscriptFile({ file }: { file: ChatFile }) {
  const t = await getTranslations("Chat");
  const facts = fileWords(t, await getFormatter()).facts(file);
  if (!file.url) {
    return (
      <p className={styles.transcriptFile} data-testid="transcript-file">
        {file.name} <span className={styles.muted}>{t("transcript.gone", { facts })}</span>
      </p>
    );
  }
  return (
    <p className={styles.transcriptFile} data-testid="transcript-file">
      <TranscriptFileLink
        url={file.url}
        fileName={file.name}
        label={t("transcript.download", { name: file.name, facts })}
        offline={t("error.downloadFailed")}
      />{" "}
      <span className={styles.muted}>{t("transcript.facts", { facts })}</span>
    </p>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { FreshFileLink } from "@/components/ui/FreshFileLink";
import { fileKindWord, formatFileSize } from "@/lib/chat-files/link";
import type { ChatFile } from "@/lib/chat-files/schema";
import styles from "./dashboard.module.css";

/**
 * A file in a consultation's transcript: a download link minted for this staff member when the
 * page was rendered (a click after it ran out renders the page again and then downloads), or
 * why there is none (the room's uploads were deleted).
 */
export function TranscriptFile({ file }: { file: ChatFile }) {
  const router = useRouter();
  const [offline, setOffline] = useState(false);
  const facts = `${fileKindWord(file.contentType)}, ${formatFileSize(file.size)}`;
  if (!file.url) {
    return (
      <p className={styles.transcriptFile} data-testid="transcript-file">
        {file.name} <span className={styles.muted}>({facts}) · file no longer available</span>
      </p>
    );
  }
  return (
    <p className={styles.transcriptFile} data-testid="transcript-file">
      <FreshFileLink
        url={file.url}
        fileName={file.name}
        renew={async () => {
          if (!navigator.onLine) throw new Error("offline");
          router.refresh();
        }}
        onRenewFailed={() => setOffline(true)}
        aria-label={`Download ${file.name}, ${facts}`}
      >
        {file.name}
      </FreshFileLink>{" "}
      <span className={styles.muted}>({facts})</span>
      {offline ? <span role="alert"> The download could not start: check your connection.</span> : null}
    </p>
  );
}

"use client";

import { useState, type FormEvent } from "react";
import { ISSUE_CATEGORIES, ISSUE_DESCRIPTION_MAX_LENGTH, type IssueReport } from "@/lib/rooms/schema";
import { callApi, type CallApiError } from "@/lib/video/call-api";
import type { ConnectionStats } from "@/lib/video/transport";
import styles from "./room.module.css";

const CATEGORY_WORD: Record<(typeof ISSUE_CATEGORIES)[number], string> = {
  audio: "Sound",
  video: "Picture",
  connection: "Connection",
  other: "Something else",
};

type Props = {
  roomId: string;
  participantId: string;
  /** Measures the connection now (takes about a second); null when there is none. */
  measure: () => Promise<ConnectionStats | null>;
  onDone: () => void;
};

/** The seed's Report issue flow: what went wrong, in a few words, sent with the connection's figures. */
export function ReportIssue({ roomId, participantId, measure, onDone }: Props) {
  const [category, setCategory] = useState<(typeof ISSUE_CATEGORIES)[number] | null>(null);
  const [description, setDescription] = useState("");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<IssueReport | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!category) {
      setError("Choose what the problem is about.");
      return;
    }
    setSending(true);
    setError(null);
    try {
      const connectionStats = await measure().catch(() => null);
      const report = await callApi<IssueReport>(`/api/rooms/${roomId}/issue-reports?participantId=${participantId}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ category, description, connectionStats }),
      });
      setSent(report);
    } catch (failure) {
      setError((failure as CallApiError).message);
    } finally {
      setSending(false);
    }
  }

  if (sent) {
    return (
      <div data-testid="report-sent">
        <h2 id="report-title">Thank you, the clinic has your report</h2>
        <p role="status">
          We sent it with your connection&apos;s details, so the clinic&apos;s support can look into it. Reference: <strong>{sent.issueReportId.slice(0, 8)}</strong>
        </p>
        <div className={styles.dialogActions}>
          <button type="button" className={styles.primary} onClick={onDone} autoFocus>
            Back to the call
          </button>
        </div>
      </div>
    );
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="report-form">
      <h2 id="report-title">Report a problem</h2>
      <fieldset className={styles.categories} aria-describedby="report-error">
        <legend>What is the problem about?</legend>
        {ISSUE_CATEGORIES.map((c) => (
          <label key={c} className={styles.category}>
            <input type="radio" name="category" value={c} checked={category === c} onChange={() => {
                setCategory(c);
                setError(null);
              }}
              required
            />
            {CATEGORY_WORD[c]}
          </label>
        ))}
      </fieldset>
      <label htmlFor="report-description" className={styles.label}>
        What happened? <span className={styles.hint}>(optional)</span>
      </label>
      <textarea
        id="report-description"
        className={styles.textarea}
        rows={3}
        maxLength={ISSUE_DESCRIPTION_MAX_LENGTH}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        aria-describedby="report-hint"
      />
      <p id="report-hint" className={styles.hint}>
        Up to {ISSUE_DESCRIPTION_MAX_LENGTH} characters. Your connection&apos;s figures (delay, lost data, speed) are sent with it; nothing from your camera or microphone.
      </p>
      <p id="report-error" className={styles.error} role="alert">
        {error}
      </p>
      <div className={styles.dialogActions}>
        <button type="submit" className={styles.primary} disabled={sending} data-testid="report-send">
          {sending ? "Sending…" : "Send report"}
        </button>
        <button type="button" className={styles.link} onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

"use client";

import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { ISSUE_CATEGORIES, ISSUE_DESCRIPTION_MAX_LENGTH, type IssueReport } from "@/lib/rooms/schema";
import { callApi, type CallApiError } from "@/lib/video/call-api";
import type { ConnectionStats } from "@/lib/video/transport";
import styles from "./room.module.css";

const CATEGORY = {
  audio: "categories.audio",
  video: "categories.video",
  connection: "categories.connection",
  other: "categories.other",
} as const satisfies Record<(typeof ISSUE_CATEGORIES)[number], string>;

/** A refused report, by the API's error code, in the page's words; any other code gets a general one. */
const FAILURE = {
  too_many_reports: "errors.tooMany",
  network_unavailable: "errors.offline",
} as const;

type Props = {
  roomId: string;
  participantId: string;
  /** Measures the connection now (takes about a second); null when there is none. */
  measure: () => Promise<ConnectionStats | null>;
  onDone: () => void;
};

/** The seed's Report issue flow: what went wrong, in a few words, sent with the connection's figures. */
export function ReportIssue({ roomId, participantId, measure, onDone }: Props) {
  const t = useTranslations("Call.report");
  const [category, setCategory] = useState<(typeof ISSUE_CATEGORIES)[number] | null>(null);
  const [description, setDescription] = useState("");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<IssueReport | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!category) {
      setError(t("chooseCategory"));
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
      setError(t(FAILURE[(failure as CallApiError).code as keyof typeof FAILURE] ?? "errors.unknown"));
    } finally {
      setSending(false);
    }
  }

  if (sent) {
    return (
      <div data-testid="report-sent">
        <h2 id="report-title">{t("sentTitle")}</h2>
        <p role="status">{t.rich("sentBody", { reference: sent.issueReportId.slice(0, 8), strong: (chunks) => <strong>{chunks}</strong> })}</p>
        <div className={styles.dialogActions}>
          <button type="button" className={styles.primary} onClick={onDone} autoFocus>
            {t("back")}
          </button>
        </div>
      </div>
    );
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="report-form">
      <h2 id="report-title">{t("title")}</h2>
      <fieldset className={styles.categories} aria-describedby="report-error">
        <legend>{t("about")}</legend>
        {ISSUE_CATEGORIES.map((c) => (
          <label key={c} className={styles.category}>
            <input type="radio" name="category" value={c} checked={category === c} onChange={() => {
                setCategory(c);
                setError(null);
              }}
              required
            />
            {t(CATEGORY[c])}
          </label>
        ))}
      </fieldset>
      <label htmlFor="report-description" className={styles.label}>
        {t("whatHappened")} <span className={styles.hint}>{t("optional")}</span>
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
        {t("hint", { max: ISSUE_DESCRIPTION_MAX_LENGTH })}
      </p>
      <p id="report-error" className={styles.error} role="alert">
        {error}
      </p>
      <div className={styles.dialogActions}>
        <button type="submit" className={styles.primary} disabled={sending} data-testid="report-send">
          {sending ? t("sending") : t("send")}
        </button>
        <button type="button" className={styles.link} onClick={onDone}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}

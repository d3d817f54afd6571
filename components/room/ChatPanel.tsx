"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useRef, useState, type ChangeEvent, type FormEvent, type KeyboardEvent, type SyntheticEvent } from "react";
import { CHAT_MESSAGE_MAX_LENGTH } from "@/lib/chat/schema";
import { CHAT_FILE_ACCEPT, isChatImage, precheckChatFile } from "@/lib/chat-files/link";
import type { ChatFile } from "@/lib/chat-files/schema";
import type { ParticipantRole } from "@/lib/rooms/session";
import { problemOf, problemText, useFileWords, type ChatProblem } from "@/components/chat/words";
import { FreshFileLink } from "@/components/ui/FreshFileLink";
import { DownloadIcon, FileIcon, PaperclipIcon } from "./icons";
import styles from "./room.module.css";
import type { ChatEntry } from "./useChat";
import { HOUR_CYCLE } from "@/lib/i18n/clock";

type Props = {
  participantId: string;
  messages: ChatEntry[];
  send: (message: { text: string; file?: ChatFile | null }, retryOf?: ChatEntry) => Promise<void>;
  upload: (file: File, options: { onProgress?: (fraction: number) => void; signal?: AbortSignal }) => Promise<ChatFile>;
  /** Reads the messages again so their files' download URLs are fresh. */
  renewFileLinks: () => Promise<void>;
  onClose: () => void;
  /** The call is over: the transcript stays readable, nothing more can be sent. */
  closed: boolean;
};

/** The file chosen for the next message: uploading (progress 0 to 1), then uploaded (`file`). */
type Attachment = { name: string; size: number; progress: number; file: ChatFile | null; controller: AbortController };

/** What a sender is in the call, beside their name. */
const ROLE = { patient: "role.patient", provider: "role.provider", guest: "role.guest", member: "role.member" } as const satisfies Record<ParticipantRole, string>;

/** A picture's thumbnail from its download URL; a file icon if it cannot be shown. */
function Thumbnail({ src, onLoad }: { src: string; onLoad: (event: SyntheticEvent<HTMLImageElement>) => void }) {
  const [failed, setFailed] = useState(false);
  if (failed) return <FileIcon />;
  // Not next/image: its optimizer would fetch and cache a file meant for the call's participants only.
  // eslint-disable-next-line @next/next/no-img-element
  return <img src={src} alt="" className={styles.chatThumb} onLoad={onLoad} onError={() => setFailed(true)} data-testid="chat-thumbnail" />;
}

/** A file in a message: a download link with its name and size (and a thumbnail for a picture), or why there is none. */
function MessageFile({
  file,
  pending,
  renew,
  onRenewFailed,
  onImageLoad,
}: {
  file: ChatFile;
  pending: boolean;
  renew: () => Promise<void>;
  onRenewFailed: () => void;
  onImageLoad: (event: SyntheticEvent<HTMLImageElement>) => void;
}) {
  const t = useTranslations("Chat");
  const words = useFileWords();
  if (!file.url) {
    return (
      <p className={styles.chatFile} data-testid="chat-file">
        <FileIcon />
        <span className={styles.chatFileText}>
          <span className={styles.chatFileName}>{file.name}</span>
          <span className={styles.chatFileMeta}>{pending ? words.facts(file) : t("panel.fileUnavailable")}</span>
        </span>
      </p>
    );
  }
  const image = isChatImage(file.contentType);
  return (
    <FreshFileLink
      url={file.url}
      fileName={file.name}
      renew={renew}
      onRenewFailed={onRenewFailed}
      className={image ? styles.chatFile + " " + styles.chatFileImage : styles.chatFile}
      data-testid="chat-file"
    >
      {image ? <Thumbnail key={file.url} src={file.url} onLoad={onImageLoad} /> : <FileIcon />}
      <span className={styles.chatFileText}>
        <span className={styles.chatFileName}>
          <span className={styles.visuallyHidden}>{t("download")} </span>
          {file.name}
        </span>
        <span className={styles.chatFileMeta}>{words.facts(file)}</span>
      </span>
      <DownloadIcon />
    </FreshFileLink>
  );
}

/**
 * The call's chat: a side panel on wide screens, a sheet over the video on phones. Text is shown
 * as text. A photo or a PDF goes with a message: it uploads as soon as it is chosen (the
 * progress shows), and Send sends it with whatever was typed.
 */
export function ChatPanel({ participantId, messages, send, upload, renewFileLinks, onClose, closed }: Props) {
  const t = useTranslations("Chat");
  const format = useFormatter();
  const words = useFileWords();
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<ChatProblem | null>(null);
  const [attachment, setAttachment] = useState<Attachment | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
  }, []);

  // The newest message stays in sight: when one arrives, and when the chosen file's row above the box takes room from the list.
  const staged = attachment !== null;
  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: "end" });
  }, [messages.length, staged]);

  // Closing the panel stops an upload nobody will send.
  const uploading = useRef<AbortController | null>(null);
  useEffect(() => () => uploading.current?.abort(), []);

  async function pick(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0];
    event.target.value = ""; // the same file chosen again is a change again
    if (!chosen) return;
    uploading.current?.abort(); // a new choice replaces the one before
    const refused = precheckChatFile(chosen);
    if (refused) {
      setAttachment(null);
      setError({ code: refused, file: chosen.name });
      return;
    }
    setError(null);
    const controller = new AbortController();
    uploading.current = controller;
    const mine = (a: Attachment | null) => a?.controller === controller;
    setAttachment({ name: chosen.name, size: chosen.size, progress: 0, file: null, controller });
    // Typing a few words to go with it, or Enter to send it, is what comes next.
    input.current?.focus();
    try {
      const file = await upload(chosen, {
        signal: controller.signal,
        onProgress: (progress) => setAttachment((a) => (mine(a) ? { ...a!, progress } : a)),
      });
      setAttachment((a) => (mine(a) ? { ...a!, progress: 1, file } : a));
    } catch (failure) {
      if ((failure as { code?: string }).code === "aborted") return;
      setAttachment((a) => (mine(a) ? null : a));
      setError(problemOf(failure, { file: chosen.name }));
    } finally {
      if (uploading.current === controller) uploading.current = null;
    }
  }

  function removeAttachment() {
    attachment?.controller.abort();
    setAttachment(null);
    input.current?.focus();
  }

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    const text = draft.trim();
    if (attachment && !attachment.file) return; // Send waits for the upload
    const file = attachment?.file ?? null;
    if (!text && !file) return;
    setError(null);
    setDraft("");
    setAttachment(null);
    try {
      await send({ text, file });
    } catch (failure) {
      setError(problemOf(failure));
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter starts a new line, as in every chat people know.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
    if (event.key === "Escape") onClose();
  }

  // A thumbnail that arrives after the list scrolled down pushes the newest message out of sight.
  function imageLoaded(event: SyntheticEvent<HTMLImageElement>) {
    const last = list.current?.lastElementChild;
    if (last && event.currentTarget.closest("li") === last) last.scrollIntoView({ block: "end" });
  }
  const renewFailed = () => setError({ code: "download_failed" });

  const left = CHAT_MESSAGE_MAX_LENGTH - draft.length;
  const busy = attachment !== null && attachment.file === null;
  const percent = attachment ? Math.round(attachment.progress * 100) : 0;
  return (
    <aside className={styles.chat} aria-labelledby="chat-title" data-testid="chat-panel">
      <header className={styles.chatHeader}>
        <h2 id="chat-title">{t("panel.title")}</h2>
        <button type="button" className={styles.chatClose} onClick={onClose} aria-label={t("panel.close")}>
          ×
        </button>
      </header>
      <ol ref={list} className={styles.chatMessages} aria-live="polite" aria-label={t("messages")} data-testid="chat-messages">
        {messages.length === 0 ? <li className={styles.chatEmpty}>{t("panel.empty")}</li> : null}
        {messages.map((m) => {
          const mine = m.senderId === participantId;
          return (
            <li key={m.clientId ?? m.id} className={mine ? styles.chatMine : styles.chatTheirs} data-testid="chat-message" data-pending={m.pending ? "true" : undefined}>
              <p className={styles.chatMeta}>
                <span>{mine ? t("you") : t("panel.sender", { name: m.displayName, role: t(ROLE[m.role]) })}</span>
                <time dateTime={m.sentAt}>{m.pending ? t("sending") : format.dateTime(new Date(m.sentAt), { timeStyle: "short", ...HOUR_CYCLE })}</time>
              </p>
              {m.text ? <p className={styles.chatText}>{m.text}</p> : null}
              {m.file ? <MessageFile file={m.file} pending={m.pending === true || m.failed === true} renew={renewFileLinks} onRenewFailed={renewFailed} onImageLoad={imageLoaded} /> : null}
              {m.failed ? (
                <p className={styles.chatFailed}>
                  {t("notSent")}{" "}
                  <button type="button" className={styles.link} onClick={() => void send({ text: m.text, file: m.file }, m).catch((e: unknown) => setError(problemOf(e)))}>
                    {t("tryAgain")}
                  </button>
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      {closed ? (
        <p className={styles.hint}>{t("panel.closed")}</p>
      ) : (
        <form className={styles.chatForm} onSubmit={(e) => void submit(e)}>
          {attachment ? (
            <div className={styles.chatAttachment} data-testid="chat-attachment" data-uploaded={attachment.file ? "true" : "false"}>
              <FileIcon />
              <span className={styles.chatFileText}>
                <span className={styles.chatFileName}>{attachment.name}</span>
                <span className={styles.chatFileMeta}>
                  {attachment.file ? t("panel.readyFacts", { facts: words.facts(attachment.file) }) : t("panel.uploadingPercent", { percent: format.number(percent / 100, { style: "percent" }) })}
                </span>
                {busy ? <progress className={styles.chatProgress} max={100} value={percent} aria-label={t("panel.uploadingName", { name: attachment.name })} /> : null}
              </span>
              <button type="button" className={styles.chatRemove} onClick={removeAttachment} aria-label={t("panel.remove", { name: attachment.name })} data-testid="chat-attachment-remove">
                ×
              </button>
            </div>
          ) : null}
          <p className={styles.visuallyHidden} role="status">
            {attachment ? (attachment.file ? t("panel.ready", { name: attachment.name }) : t("panel.uploadingName", { name: attachment.name })) : ""}
          </p>
          <button
            type="button"
            className={styles.chatAttach}
            onClick={() => picker.current?.click()}
            aria-label={t("panel.attach")}
            title={t("panel.attach")}
            data-testid="chat-attach"
          >
            <PaperclipIcon />
          </button>
          <input ref={picker} type="file" accept={CHAT_FILE_ACCEPT} hidden tabIndex={-1} onChange={(e) => void pick(e)} data-testid="chat-file-input" />
          <label htmlFor="chat-input" className={styles.visuallyHidden}>
            {t("message")}
          </label>
          <textarea
            id="chat-input"
            ref={input}
            value={draft}
            rows={2}
            maxLength={CHAT_MESSAGE_MAX_LENGTH}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={onKeyDown}
            placeholder={attachment ? t("panel.placeholderWithFile") : t("placeholder")}
            aria-describedby="chat-limit chat-error"
            data-testid="chat-input"
          />
          <button type="submit" className={styles.primary} disabled={busy || (draft.trim().length === 0 && !attachment?.file)} data-testid="chat-send">
            {t("send")}
          </button>
          <p id="chat-limit" className={styles.chatLimit} aria-live={left <= 50 ? "polite" : "off"}>
            {left <= 100 ? t("charactersLeft", { count: left }) : t("panel.limit", { max: format.number(CHAT_MESSAGE_MAX_LENGTH) })}
          </p>
          <p id="chat-error" className={styles.chatError} role="alert" data-testid="chat-error">
            {error ? problemText(t, error) : null}
          </p>
        </form>
      )}
    </aside>
  );
}

"use client";

import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type MouseEvent, type ReactNode } from "react";
import { chatFileLinkFresh, formatFileSize } from "@/lib/chat-files/link";
import styles from "./chat.module.css";
import {
  ChatRequestError,
  CHAT_FILE_MAX_BYTES,
  CHAT_FILE_TYPES,
  CHAT_MESSAGE_MAX_LENGTH,
  type ChatMessageView,
  type ChatPeople,
  type ChatSessionView,
  type ChatTransport,
  type ChatViewer,
} from "./types";
import { useChatSession, type ChatEntry } from "./useChatSession";

/** Every string this page shows, in one place (another issue translates them). */
const TEXT = {
  untitled: "Chat consultation",
  loading: "Loading the conversation…",
  with: (names: string) => `With ${names}`,
  state: {
    created: {
      basic: "Ask for a consultation when you are ready.",
      plus: "The patient has not asked for the consultation yet.",
      staff: "The patient has not asked for the consultation yet.",
    },
    started: {
      basic: "Waiting for the clinic to accept your request.",
      plus: (who: string) => `${who} asked for a consultation.`,
      staff: (who: string) => `${who} asked for a consultation.`,
    },
    accepted: (who: string) => `Accepted by ${who}.`,
    rejected: (who: string, reason: string | null) => `Declined by ${who}${reason ? `: “${reason}”` : "."}`,
    finished: (who: string, reason: string | null | undefined) => `Finished by ${who}${reason ? `: “${reason}”` : "."}`,
  },
  stateLabel: { created: "Not started", started: "Waiting for acceptance", accepted: "In progress", rejected: "Declined", finished: "Finished" },
  someone: "someone",
  you: "You",
  actions: "What you can do",
  start: "Ask for a consultation",
  accept: "Accept",
  reject: "Reject",
  rejectReason: "Reason (the patient sees it)",
  rejectConfirm: "Reject the request",
  finish: "Finish consultation",
  finishConfirm: "Finish it for everyone",
  finishQuestion: "Finish this consultation? The chat closes for everyone; the messages stay readable.",
  cancel: "Cancel",
  startCall: "Start video call",
  joinCall: "Join video call",
  openingCall: "Opening the video call…",
  readOnly: "You are reading this conversation. Only its participants can write or act on it.",
  closed: "This consultation is closed. The messages stay readable.",
  messages: "Messages",
  empty: "No messages yet.",
  sending: "Sending…",
  notSent: "Not sent.",
  tryAgain: "Try again",
  message: "Message",
  placeholder: "Write a message",
  hint: "Images or PDF up to 10 MB · Shift+Enter for a new line",
  left: (n: number) => `${n} characters left`,
  send: "Send",
  attach: "Attach file",
  uploading: (name: string) => `Uploading ${name}…`,
  download: "Download",
  fileGone: (name: string) => `${name} (the clinic deleted this file)`,
  tooLarge: (name: string) => `${name} is larger than 10 MB. Send a smaller file.`,
  wrongType: (name: string) => `${name} is not an image (JPEG, PNG, WebP) or a PDF.`,
  reconnecting: "Connection lost. Reconnecting…",
  accessEnded: "Your access to this conversation has ended. Open the link from your message again, or ask the clinic for a new one.",
  notFound: "This conversation is no longer available.",
  unavailable: "The conversation could not be loaded. Check your connection and reload the page.",
} as const;

type Props = {
  transport: ChatTransport;
  viewer: ChatViewer;
  /** Names of the participants' ids (userExternalId → full name). */
  people: ChatPeople;
  organizationName?: string;
  initial?: { session: ChatSessionView; messages: ChatMessageView[] };
  /** `page`: the whole screen (the patient's link); `panel`: inside the dashboard. */
  variant?: "page" | "panel";
};

/** Whether a file link can still be followed as it is (else it is minted again first). */
const linkStillGood = (url: string) => chatFileLinkFresh(url, Date.now());

function formatTime(ms: number): string {
  const at = new Date(ms);
  const today = new Date().toDateString() === at.toDateString();
  return at.toLocaleString([], today ? { hour: "2-digit", minute: "2-digit" } : { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

function uploadRefusal(file: File, error: unknown): string {
  if (error instanceof ChatRequestError) {
    if (error.status === 413 || error.code === "file_too_large") return TEXT.tooLarge(file.name);
    if (error.status === 415 || error.code === "file_type_not_allowed") return TEXT.wrongType(file.name);
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * A chat consultation: its title and state in words, the transcript (text shown as text, files as
 * downloads, images as thumbnails), the composer, and what this person may do in this state.
 * The same component on the patient's link and on the dashboard; the transport says how it talks.
 */
export function ChatConversation({ transport, viewer, people, organizationName, initial, variant = "page" }: Props) {
  const chat = useChatSession(transport, viewer.externalId, initial);
  const { session } = chat;
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<"reject" | "finish" | null>(null);
  const [reason, setReason] = useState("");
  const scroller = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const ids = { title: useId(), input: useId(), hint: useId(), error: useId(), reason: useId() };

  // The list is pinned to its newest message by CSS (a column-reverse scroller), not by scrolling
  // from code: the dashboard's idle limit counts scrolling as activity, and arriving messages are
  // not the clinician doing something. Only the person's own send brings them back to the bottom.
  const newestMine = chat.messages.at(-1)?.sender === viewer.externalId;
  useEffect(() => {
    if (newestMine && scroller.current) scroller.current.scrollTop = 0;
  }, [chat.messages.length, newestMine]);

  const nameOf = (externalId: string | null | undefined) => (externalId ? (people[externalId] ?? externalId) : TEXT.someone);
  const role = viewer.privilege ?? "staff";
  const participant = viewer.externalId !== null;
  const others = session ? session.participants.filter((p) => p !== viewer.externalId).map(nameOf) : [];
  const open = session !== null && (session.state === "created" || session.state === "started" || session.state === "accepted");

  async function act(label: string, work: () => Promise<unknown>) {
    setError(null);
    setBusy(label);
    try {
      await work();
      setConfirming(null);
      setReason("");
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(null);
    }
  }

  /** Into the session's call: this person's own room link, minted now. The call starts a new room first. */
  const goToCall = (startNew: boolean) =>
    act(TEXT.openingCall, async () => {
      let room = session?.room ?? null;
      if (startNew || !room) room = (await chat.change({ room: "new" })).room;
      if (!room) throw new Error(TEXT.unavailable);
      window.location.assign(await chat.callLink(room));
      // Stays busy while the browser leaves for the call.
      await new Promise(() => {});
    });

  function submit(event?: FormEvent) {
    event?.preventDefault();
    const text = draft.trim();
    if (!text || !open) return;
    setError(null);
    setDraft("");
    void chat.send(text);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter starts a new line, as in every chat people know.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  async function attach(file: File) {
    setError(null);
    if (file.size > CHAT_FILE_MAX_BYTES) return setError(TEXT.tooLarge(file.name));
    if (file.type && !(CHAT_FILE_TYPES as readonly string[]).includes(file.type)) return setError(TEXT.wrongType(file.name));
    setBusy(TEXT.uploading(file.name));
    try {
      const stored = await chat.upload(file);
      const text = draft.trim();
      setDraft("");
      void chat.send(text, stored);
    } catch (failure) {
      setError(uploadRefusal(file, failure));
    } finally {
      setBusy(null);
      if (fileInput.current) fileInput.current.value = "";
    }
  }

  async function download(event: MouseEvent<HTMLAnchorElement>, m: ChatEntry) {
    if (!m.file?.url || linkStillGood(m.file.url)) return;
    event.preventDefault();
    const fresh = (await chat.refreshFiles()).find((x) => x.id === m.id)?.file;
    if (!fresh?.url) return;
    const a = document.createElement("a");
    a.href = fresh.url;
    a.download = fresh.name;
    a.click();
  }

  if (chat.blocked || chat.loadError || !session) {
    const text =
      chat.blocked === "access_ended" ? TEXT.accessEnded : chat.blocked === "not_found" ? TEXT.notFound : chat.loadError ? TEXT.unavailable : TEXT.loading;
    return (
      <section className={`${styles.conversation} ${styles[variant]}`} aria-busy={!chat.blocked && !chat.loadError} data-testid="chat-conversation">
        <p
          className={chat.blocked || chat.loadError ? styles.problem : styles.muted}
          role={chat.blocked || chat.loadError ? "alert" : "status"}
          data-testid="chat-problem"
        >
          {text}
        </p>
      </section>
    );
  }

  const stateText = (() => {
    switch (session.state) {
      case "created":
        return TEXT.state.created[role];
      case "started":
        return role === "basic" ? TEXT.state.started.basic : TEXT.state.started[role](nameOf(session.startedBy));
      case "accepted":
        return TEXT.state.accepted(nameOf(session.acceptedBy));
      case "rejected":
        return TEXT.state.rejected(nameOf(session.rejectedBy), session.rejectReason);
      case "finished":
        return TEXT.state.finished(nameOf(session.finishedBy), session.finishReason);
    }
  })();

  const actions = (() => {
    if (!participant || busy === TEXT.openingCall) return null;
    const buttons: ReactNode[] = [];
    const disabled = busy !== null;
    if (session.state === "created" && role === "basic") {
      buttons.push(
        <button
          key="start"
          type="button"
          className={styles.primary}
          disabled={disabled}
          onClick={() => void act(TEXT.start, () => chat.change({ start: true }))}
        >
          {TEXT.start}
        </button>,
      );
    }
    if (session.state === "started" && role === "plus") {
      buttons.push(
        <button
          key="accept"
          type="button"
          className={styles.primary}
          disabled={disabled}
          onClick={() => void act(TEXT.accept, () => chat.change({ accept: true }))}
        >
          {TEXT.accept}
        </button>,
        <button
          key="reject"
          type="button"
          className={styles.secondary}
          disabled={disabled}
          aria-expanded={confirming === "reject"}
          onClick={() => setConfirming(confirming === "reject" ? null : "reject")}
        >
          {TEXT.reject}
        </button>,
      );
    }
    if (session.state === "accepted") {
      if (role === "plus" && !session.room) {
        buttons.push(
          <button key="call" type="button" className={styles.primary} disabled={disabled} onClick={() => void goToCall(true)}>
            {TEXT.startCall}
          </button>,
        );
      }
      if (session.room) {
        buttons.push(
          <button key="join" type="button" className={styles.primary} disabled={disabled} onClick={() => void goToCall(false)}>
            {TEXT.joinCall}
          </button>,
        );
      }
      buttons.push(
        <button
          key="finish"
          type="button"
          className={styles.secondary}
          disabled={disabled}
          aria-expanded={confirming === "finish"}
          onClick={() => setConfirming(confirming === "finish" ? null : "finish")}
        >
          {TEXT.finish}
        </button>,
      );
    }
    return buttons.length > 0 ? buttons : null;
  })();

  return (
    <section className={`${styles.conversation} ${styles[variant]}`} aria-labelledby={ids.title} data-testid="chat-conversation" data-state={session.state}>
      <header className={styles.header}>
        {organizationName ? <p className={styles.eyebrow}>{organizationName}</p> : null}
        <h1 id={ids.title} className={styles.title}>
          {session.title ?? TEXT.untitled}
        </h1>
        {others.length > 0 ? <p className={styles.with}>{TEXT.with(others.join(", "))}</p> : null}
        <p className={styles.state} data-testid="chat-state">
          <span className={`${styles.badge} ${styles[`badge_${session.state}`]}`}>{TEXT.stateLabel[session.state]}</span> <span>{stateText}</span>
        </p>
        {!participant ? <p className={styles.muted}>{TEXT.readOnly}</p> : null}
      </header>

      {actions || confirming ? (
        <div className={styles.actions} role="group" aria-label={TEXT.actions}>
          {actions}
          {confirming === "reject" && session.state === "started" ? (
            <form
              className={styles.confirm}
              onSubmit={(e) => {
                e.preventDefault();
                void act(TEXT.reject, () => chat.change({ reject: reason.trim() || true }));
              }}
            >
              <label htmlFor={ids.reason}>{TEXT.rejectReason}</label>
              <textarea id={ids.reason} value={reason} rows={2} maxLength={500} onChange={(e) => setReason(e.target.value)} className={styles.reason} />
              <div className={styles.confirmButtons}>
                <button type="submit" className={styles.danger} disabled={busy !== null}>
                  {TEXT.rejectConfirm}
                </button>
                <button type="button" className={styles.secondary} onClick={() => setConfirming(null)}>
                  {TEXT.cancel}
                </button>
              </div>
            </form>
          ) : null}
          {confirming === "finish" && session.state === "accepted" ? (
            <div className={styles.confirm}>
              <p>{TEXT.finishQuestion}</p>
              <div className={styles.confirmButtons}>
                <button
                  type="button"
                  className={styles.danger}
                  disabled={busy !== null}
                  onClick={() => void act(TEXT.finish, () => chat.change({ finish: true }))}
                >
                  {TEXT.finishConfirm}
                </button>
                <button type="button" className={styles.secondary} onClick={() => setConfirming(null)}>
                  {TEXT.cancel}
                </button>
              </div>
            </div>
          ) : null}
        </div>
      ) : null}

      {chat.connection === "reconnecting" ? (
        <p className={styles.notice} role="status">
          {TEXT.reconnecting}
        </p>
      ) : null}

      <div ref={scroller} className={styles.scroller} role="region" aria-label={TEXT.messages} tabIndex={0}>
        <ol className={styles.messages} aria-live="polite" data-testid="chat-messages">
          {chat.messages.length === 0 ? <li className={styles.empty}>{TEXT.empty}</li> : null}
          {chat.messages.map((m) => {
            const mine = viewer.externalId !== null && m.sender === viewer.externalId;
            return (
              <li
                key={m.clientId ?? `id:${m.id}`}
                className={mine ? styles.mine : styles.theirs}
                data-testid="chat-message"
                data-pending={m.pending ? "true" : undefined}
              >
                <p className={styles.meta}>
                  <span className={styles.sender}>{mine ? TEXT.you : m.senderName || nameOf(m.sender)}</span>
                  <time dateTime={new Date(m.sentAt).toISOString()} suppressHydrationWarning>
                    {m.pending ? TEXT.sending : formatTime(m.sentAt)}
                  </time>
                </p>
                {m.file && m.file.url === null ? (
                  <p className={styles.fileGone}>{TEXT.fileGone(m.file.name)}</p>
                ) : m.file?.url ? (
                  <a className={styles.file} href={m.file.url} download={m.file.name} onClick={(e) => void download(e, m)} data-testid="chat-file">
                    {m.file.contentType.startsWith("image/") ? (
                      // eslint-disable-next-line @next/next/no-img-element -- a signed, short-lived URL of our own API; nothing to optimize
                      <img className={styles.thumb} src={m.file.url} alt="" loading="lazy" />
                    ) : (
                      <span className={styles.fileIcon} aria-hidden="true">
                        PDF
                      </span>
                    )}
                    <span className={styles.fileName}>
                      <span className={styles.visuallyHidden}>{TEXT.download} </span>
                      {m.file.name}
                    </span>
                    <span className={styles.fileSize}>{formatFileSize(m.file.size)}</span>
                  </a>
                ) : null}
                {m.text ? <p className={styles.text}>{m.text}</p> : null}
                {m.failed ? (
                  <p className={styles.failed}>
                    {TEXT.notSent} {m.failed}{" "}
                    <button type="button" className={styles.link} onClick={() => void chat.retry(m)}>
                      {TEXT.tryAgain}
                    </button>
                  </p>
                ) : null}
              </li>
            );
          })}
        </ol>
      </div>

      {!participant ? null : !open ? (
        <p className={styles.closed} data-testid="chat-closed">
          {TEXT.closed}
        </p>
      ) : (
        <form className={styles.composer} onSubmit={submit}>
          <label htmlFor={ids.input} className={styles.composerLabel}>
            {TEXT.message}
          </label>
          <button
            type="button"
            className={`${styles.secondary} ${styles.attach}`}
            disabled={busy !== null}
            onClick={() => fileInput.current?.click()}
            aria-label={TEXT.attach}
            aria-describedby={ids.hint}
            data-testid="chat-attach"
          >
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
              <path
                d="M16.5 6.5 8.8 14.2a1.8 1.8 0 0 0 2.5 2.5l7.4-7.4a3.5 3.5 0 0 0-5-5L6.3 11.7a5.2 5.2 0 0 0 7.4 7.4l6.2-6.2"
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
                strokeLinecap="round"
              />
            </svg>
            <span className={styles.attachText}>{TEXT.attach}</span>
          </button>
          <input
            ref={fileInput}
            type="file"
            accept={CHAT_FILE_TYPES.join(",")}
            className={styles.visuallyHidden}
            tabIndex={-1}
            aria-hidden="true"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void attach(file);
            }}
            data-testid="chat-file-input"
          />
          <textarea
            id={ids.input}
            value={draft}
            rows={1}
            maxLength={CHAT_MESSAGE_MAX_LENGTH}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={onKeyDown}
            placeholder={TEXT.placeholder}
            aria-describedby={`${ids.hint} ${ids.error}`}
            className={styles.input}
            data-testid="chat-input"
          />
          <button type="submit" className={styles.primary} disabled={draft.trim().length === 0} data-testid="chat-send">
            {TEXT.send}
          </button>
          <p id={ids.hint} className={styles.hint}>
            {CHAT_MESSAGE_MAX_LENGTH - draft.length <= 100 ? TEXT.left(CHAT_MESSAGE_MAX_LENGTH - draft.length) : TEXT.hint}
          </p>
          {busy && busy !== TEXT.openingCall ? (
            <p className={styles.hint} role="status">
              {busy}
            </p>
          ) : null}
        </form>
      )}
      <p id={ids.error} className={styles.error} role="alert" data-testid="chat-error">
        {error}
      </p>
      {busy === TEXT.openingCall ? (
        <p className={styles.notice} role="status">
          {TEXT.openingCall}
        </p>
      ) : null}
    </section>
  );
}

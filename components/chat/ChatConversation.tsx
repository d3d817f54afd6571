"use client";

import { useFormatter, useNow, useTranslations } from "next-intl";
import { Fragment, useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type MouseEvent, type ReactNode } from "react";
import { chatFileLinkFresh, precheckChatFile } from "@/lib/chat-files/link";
import styles from "./chat.module.css";
import {
  CHAT_FILE_TYPES,
  CHAT_MESSAGE_MAX_LENGTH,
  type ChatMessageView,
  type ChatPeople,
  type ChatSessionState,
  type ChatSessionView,
  type ChatTransport,
  type ChatViewer,
} from "./types";
import { useChatSession, type ChatEntry } from "./useChatSession";
import { fileWords, problemOf, problemText, type ChatProblem } from "./words";
import { HOUR_CYCLE } from "@/lib/i18n/clock";

/** Each state's badge. */
const STATE_LABEL = {
  created: "stateLabel.created",
  started: "stateLabel.started",
  accepted: "stateLabel.accepted",
  rejected: "stateLabel.rejected",
  finished: "stateLabel.finished",
} as const satisfies Record<ChatSessionState, string>;

/** Each state's badge colours (chat.module.css). */
const BADGE = {
  created: "badge_created",
  started: "badge_started",
  accepted: "badge_accepted",
  rejected: "badge_rejected",
  finished: "badge_finished",
} as const satisfies Record<ChatSessionState, string>;

/**
 * Class names (or ids) joined with spaces. Not a template literal: the catalog test reads the
 * keys of this file from its string literals, and a template's backticks pair across lines.
 */
const classes = (...names: (string | undefined)[]) => names.filter(Boolean).join(" ");

/** What the page is busy with: an action, opening the call (the page is left), or a file on its way. */
type Busy = { kind: "action" } | { kind: "call" } | { kind: "upload"; name: string };

const DAY_MS = 86_400_000;

type Props = {
  transport: ChatTransport;
  viewer: ChatViewer;
  /** Names of the participants' ids (userExternalId → full name). */
  people: ChatPeople;
  organizationName?: string;
  initial?: { session: ChatSessionView; messages: ChatMessageView[] };
  /** "page": the whole screen (the patient's link); "panel": inside the dashboard. */
  variant?: "page" | "panel";
  /** Beside the clinic's name in the header: the page's language switcher. */
  headerAside?: ReactNode;
};

/** Whether a file link can still be followed as it is (else it is minted again first). */
const linkStillGood = (url: string) => chatFileLinkFresh(url, Date.now());

/**
 * A chat consultation: its title and state in words, the transcript by day (text shown as text,
 * files as downloads, images as thumbnails), the composer, and what this person may do in this
 * state. The same component on the patient's link and on the dashboard; the transport says how
 * it talks. Times are the clinic's (the request's timezone), in the reader's language.
 */
export function ChatConversation({ transport, viewer, people, organizationName, initial, variant = "page", headerAside }: Props) {
  const t = useTranslations("Chat");
  const format = useFormatter();
  const now = useNow();
  const files = fileWords(t, format);
  const chat = useChatSession(transport, viewer.externalId, initial);
  const { session } = chat;
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<ChatProblem | null>(null);
  const [busy, setBusy] = useState<Busy | null>(null);
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

  const nameOf = (externalId: string | null | undefined) => (externalId ? (people[externalId] ?? externalId) : t("someone"));
  const role = viewer.privilege ?? "staff";
  const participant = viewer.externalId !== null;
  const others = session ? session.participants.filter((p) => p !== viewer.externalId).map(nameOf) : [];
  const open = session !== null && (session.state === "created" || session.state === "started" || session.state === "accepted");

  // The calendar day of an instant in the clinic's timezone (equal strings, equal days), and its name
  // over the messages: today, yesterday, or the date.
  const dayOf = (ms: number) => format.dateTime(ms, { year: "numeric", month: "2-digit", day: "2-digit" });
  const today = dayOf(now.getTime());
  const yesterday = dayOf(now.getTime() - DAY_MS);
  const dayName = (ms: number) => {
    const day = dayOf(ms);
    if (day === today) return t("day.today");
    if (day === yesterday) return t("day.yesterday");
    const thisYear = format.dateTime(ms, { year: "numeric" }) === format.dateTime(now, { year: "numeric" });
    return format.dateTime(ms, thisYear ? { weekday: "long", day: "numeric", month: "long" } : { weekday: "long", day: "numeric", month: "long", year: "numeric" });
  };

  async function act(work: () => Promise<unknown>, doing?: "call") {
    setError(null);
    setBusy(doing === "call" ? { kind: "call" } : { kind: "action" });
    try {
      await work();
      setConfirming(null);
      setReason("");
    } catch (failure) {
      setError(problemOf(failure, { doing }));
    } finally {
      setBusy(null);
    }
  }

  /** Into the session's call: this person's own room link, minted now. The call starts a new room first. */
  const goToCall = (startNew: boolean) =>
    act(async () => {
      let room = session?.room ?? null;
      if (startNew || !room) room = (await chat.change({ room: "new" })).room;
      if (!room) throw Object.assign(new Error("no call"), { code: "call_not_ready", status: 409 });
      window.location.assign(await chat.callLink(room));
      // Stays busy while the browser leaves for the call.
      await new Promise(() => {});
    }, "call");

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
    const refused = precheckChatFile(file);
    if (refused) {
      if (fileInput.current) fileInput.current.value = "";
      return setError({ code: refused, file: file.name });
    }
    setBusy({ kind: "upload", name: file.name });
    try {
      const stored = await chat.upload(file);
      const text = draft.trim();
      setDraft("");
      void chat.send(text, stored);
    } catch (failure) {
      setError(problemOf(failure, { file: file.name }));
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
    const text = chat.blocked === "access_ended" ? t("accessEnded") : chat.blocked === "not_found" ? t("notFound") : chat.loadError ? t("unavailable") : t("loading");
    return (
      <section className={classes(styles.conversation, styles[variant])} aria-busy={!chat.blocked && !chat.loadError} data-testid="chat-conversation">
        {headerAside ? <div className={classes(styles.header, styles.headerTop)}>{headerAside}</div> : null}
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
        return role === "basic" ? t("state.createdBasic") : t("state.createdOthers");
      case "started":
        return role === "basic" ? t("state.startedBasic") : t("state.startedOthers", { name: nameOf(session.startedBy) });
      case "accepted":
        return t("state.accepted", { name: nameOf(session.acceptedBy) });
      case "rejected":
        return session.rejectReason
          ? t("state.rejectedWithReason", { name: nameOf(session.rejectedBy), reason: session.rejectReason })
          : t("state.rejected", { name: nameOf(session.rejectedBy) });
      case "finished":
        return session.finishReason
          ? t("state.finishedWithReason", { name: nameOf(session.finishedBy), reason: session.finishReason })
          : t("state.finished", { name: nameOf(session.finishedBy) });
    }
  })();

  const actions = (() => {
    if (!participant || busy?.kind === "call") return null;
    const buttons: ReactNode[] = [];
    const disabled = busy !== null;
    if (session.state === "created" && role === "basic") {
      buttons.push(
        <button key="start" type="button" className={styles.primary} disabled={disabled} onClick={() => void act(() => chat.change({ start: true }))}>
          {t("start")}
        </button>,
      );
    }
    if (session.state === "started" && role === "plus") {
      buttons.push(
        <button key="accept" type="button" className={styles.primary} disabled={disabled} onClick={() => void act(() => chat.change({ accept: true }))}>
          {t("accept")}
        </button>,
        <button
          key="reject"
          type="button"
          className={styles.secondary}
          disabled={disabled}
          aria-expanded={confirming === "reject"}
          onClick={() => setConfirming(confirming === "reject" ? null : "reject")}
        >
          {t("reject")}
        </button>,
      );
    }
    if (session.state === "accepted") {
      if (role === "plus" && !session.room) {
        buttons.push(
          <button key="call" type="button" className={styles.primary} disabled={disabled} onClick={() => void goToCall(true)}>
            {t("startCall")}
          </button>,
        );
      }
      if (session.room) {
        buttons.push(
          <button key="join" type="button" className={styles.primary} disabled={disabled} onClick={() => void goToCall(false)}>
            {t("joinCall")}
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
          {t("finish")}
        </button>,
      );
    }
    return buttons.length > 0 ? buttons : null;
  })();

  const left = CHAT_MESSAGE_MAX_LENGTH - draft.length;

  return (
    <section className={classes(styles.conversation, styles[variant])} aria-labelledby={ids.title} data-testid="chat-conversation" data-state={session.state}>
      <header className={styles.header}>
        {organizationName || headerAside ? (
          <div className={styles.headerTop}>
            {organizationName ? <p className={styles.eyebrow}>{organizationName}</p> : null}
            {headerAside}
          </div>
        ) : null}
        <h1 id={ids.title} className={styles.title}>
          {session.title ?? t("untitled")}
        </h1>
        {others.length > 0 ? <p className={styles.with}>{t("with", { names: format.list(others, { type: "conjunction" }) })}</p> : null}
        <p className={styles.state} data-testid="chat-state">
          <span className={classes(styles.badge, styles[BADGE[session.state]])}>{t(STATE_LABEL[session.state])}</span> <span>{stateText}</span>
        </p>
        {!participant ? <p className={styles.muted}>{t("readOnly")}</p> : null}
      </header>

      {actions || confirming ? (
        <div className={styles.actions} role="group" aria-label={t("actions")}>
          {actions}
          {confirming === "reject" && session.state === "started" ? (
            <form
              className={styles.confirm}
              onSubmit={(e) => {
                e.preventDefault();
                void act(() => chat.change({ reject: reason.trim() || true }));
              }}
            >
              <label htmlFor={ids.reason}>{t("rejectReason")}</label>
              <textarea id={ids.reason} value={reason} rows={2} maxLength={500} onChange={(e) => setReason(e.target.value)} className={styles.reason} />
              <div className={styles.confirmButtons}>
                <button type="submit" className={styles.danger} disabled={busy !== null}>
                  {t("rejectConfirm")}
                </button>
                <button type="button" className={styles.secondary} onClick={() => setConfirming(null)}>
                  {t("cancel")}
                </button>
              </div>
            </form>
          ) : null}
          {confirming === "finish" && session.state === "accepted" ? (
            <div className={styles.confirm}>
              <p>{t("finishQuestion")}</p>
              <div className={styles.confirmButtons}>
                <button type="button" className={styles.danger} disabled={busy !== null} onClick={() => void act(() => chat.change({ finish: true }))}>
                  {t("finishConfirm")}
                </button>
                <button type="button" className={styles.secondary} onClick={() => setConfirming(null)}>
                  {t("cancel")}
                </button>
              </div>
            </div>
          ) : null}
        </div>
      ) : null}

      {chat.connection === "reconnecting" ? (
        <p className={styles.notice} role="status">
          {t("reconnecting")}
        </p>
      ) : null}

      <div ref={scroller} className={styles.scroller} role="region" aria-label={t("messages")} tabIndex={0}>
        <ol className={styles.messages} aria-live="polite" data-testid="chat-messages">
          {chat.messages.length === 0 ? <li className={styles.empty}>{t("empty")}</li> : null}
          {chat.messages.map((m, index) => {
            const mine = viewer.externalId !== null && m.sender === viewer.externalId;
            const before = chat.messages[index - 1];
            const newDay = !before || dayOf(before.sentAt) !== dayOf(m.sentAt);
            return (
              <Fragment key={m.clientId ?? "id:" + m.id}>
                {newDay ? (
                  <li className={styles.day} data-testid="chat-day" suppressHydrationWarning>
                    {dayName(m.sentAt)}
                  </li>
                ) : null}
                <li className={mine ? styles.mine : styles.theirs} data-testid="chat-message" data-pending={m.pending ? "true" : undefined}>
                  <p className={styles.meta}>
                    <span className={styles.sender}>{mine ? t("you") : m.senderName || nameOf(m.sender)}</span>
                    <time dateTime={new Date(m.sentAt).toISOString()} suppressHydrationWarning>
                      {m.pending ? t("sending") : format.dateTime(m.sentAt, { timeStyle: "short", ...HOUR_CYCLE })}
                    </time>
                  </p>
                  {m.file && m.file.url === null ? (
                    <p className={styles.fileGone}>{t("fileGone", { name: m.file.name })}</p>
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
                        <span className={styles.visuallyHidden}>{t("download")} </span>
                        {m.file.name}
                      </span>
                      <span className={styles.fileSize}>{files.size(m.file.size)}</span>
                    </a>
                  ) : null}
                  {m.text ? <p className={styles.text}>{m.text}</p> : null}
                  {m.failed ? (
                    <p className={styles.failed}>
                      {t("notSent")} {problemText(t, m.failed)}{" "}
                      <button type="button" className={styles.link} onClick={() => void chat.retry(m)}>
                        {t("tryAgain")}
                      </button>
                    </p>
                  ) : null}
                </li>
              </Fragment>
            );
          })}
        </ol>
      </div>

      {!participant ? null : !open ? (
        <p className={styles.closed} data-testid="chat-closed">
          {t("closed")}
        </p>
      ) : (
        <form className={styles.composer} onSubmit={submit}>
          <label htmlFor={ids.input} className={styles.composerLabel}>
            {t("message")}
          </label>
          <button
            type="button"
            className={classes(styles.secondary, styles.attach)}
            disabled={busy !== null}
            onClick={() => fileInput.current?.click()}
            aria-label={t("attach")}
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
            <span className={styles.attachText}>{t("attach")}</span>
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
            placeholder={t("placeholder")}
            aria-describedby={classes(ids.hint, ids.error)}
            className={styles.input}
            data-testid="chat-input"
          />
          <button type="submit" className={styles.primary} disabled={draft.trim().length === 0} data-testid="chat-send">
            {t("send")}
          </button>
          <p id={ids.hint} className={styles.hint}>
            {left <= 100 ? t("charactersLeft", { count: left }) : t("hint")}
          </p>
          {busy?.kind === "upload" ? (
            <p className={styles.hint} role="status">
              {t("uploading", { name: busy.name })}
            </p>
          ) : busy?.kind === "action" ? (
            <p className={styles.hint} role="status">
              {t("working")}
            </p>
          ) : null}
        </form>
      )}
      <p id={ids.error} className={styles.error} role="alert" data-testid="chat-error">
        {error ? problemText(t, error) : null}
      </p>
      {busy?.kind === "call" ? (
        <p className={styles.notice} role="status">
          {t("openingCall")}
        </p>
      ) : null}
    </section>
  );
}

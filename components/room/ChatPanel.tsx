"use client";

import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { CHAT_MESSAGE_MAX_LENGTH } from "@/lib/chat/schema";
import type { CallApiError } from "@/lib/video/call-api";
import { ROLE_WORD } from "./RemoteTile";
import styles from "./room.module.css";
import type { ChatEntry } from "./useChat";

type Props = {
  participantId: string;
  messages: ChatEntry[];
  send: (text: string, retryOf?: ChatEntry) => Promise<void>;
  onClose: () => void;
  /** The call is over: the transcript stays readable, nothing more can be sent. */
  closed: boolean;
};

function clock(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** The call's chat: a side panel on wide screens, a sheet over the video on phones. Text is shown as text. */
export function ChatPanel({ participantId, messages, send, onClose, closed }: Props) {
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    input.current?.focus();
  }, []);

  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: "end" });
  }, [messages.length]);

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setError(null);
    setDraft("");
    try {
      await send(text);
    } catch (failure) {
      setError((failure as CallApiError).message);
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

  const left = CHAT_MESSAGE_MAX_LENGTH - draft.length;
  return (
    <aside className={styles.chat} aria-labelledby="chat-title" data-testid="chat-panel">
      <header className={styles.chatHeader}>
        <h2 id="chat-title">Chat</h2>
        <button type="button" className={styles.chatClose} onClick={onClose} aria-label="Close chat">
          ×
        </button>
      </header>
      <ol ref={list} className={styles.chatMessages} aria-live="polite" aria-label="Messages" data-testid="chat-messages">
        {messages.length === 0 ? <li className={styles.chatEmpty}>No messages yet. Messages are kept with the consultation.</li> : null}
        {messages.map((m) => {
          const mine = m.senderId === participantId;
          return (
            <li key={m.clientId ?? m.id} className={mine ? styles.chatMine : styles.chatTheirs} data-testid="chat-message" data-pending={m.pending ? "true" : undefined}>
              <p className={styles.chatMeta}>
                <span>{mine ? "You" : `${m.displayName} · ${ROLE_WORD[m.role]}`}</span>
                <time dateTime={m.sentAt}>{m.pending ? "Sending…" : clock(m.sentAt)}</time>
              </p>
              <p className={styles.chatText}>{m.text}</p>
              {m.failed ? (
                <p className={styles.chatFailed}>
                  Not sent.{" "}
                  <button type="button" className={styles.link} onClick={() => void send(m.text, m).catch((e: CallApiError) => setError(e.message))}>
                    Try again
                  </button>
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      {closed ? (
        <p className={styles.hint}>The consultation is over; the chat is closed.</p>
      ) : (
        <form className={styles.chatForm} onSubmit={(e) => void submit(e)}>
          <label htmlFor="chat-input" className={styles.visuallyHidden}>
            Message
          </label>
          <textarea
            id="chat-input"
            ref={input}
            value={draft}
            rows={2}
            maxLength={CHAT_MESSAGE_MAX_LENGTH}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={onKeyDown}
            placeholder="Write a message"
            aria-describedby="chat-limit chat-error"
            data-testid="chat-input"
          />
          <button type="submit" className={styles.primary} disabled={draft.trim().length === 0} data-testid="chat-send">
            Send
          </button>
          <p id="chat-limit" className={styles.chatLimit} aria-live={left <= 50 ? "polite" : "off"}>
            {left <= 100 ? `${left} characters left` : `Up to ${CHAT_MESSAGE_MAX_LENGTH} characters. Enter sends, Shift+Enter adds a line.`}
          </p>
          <p id="chat-error" className={styles.chatError} role="alert">
            {error}
          </p>
        </form>
      )}
    </aside>
  );
}

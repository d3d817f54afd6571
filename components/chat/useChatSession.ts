"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { readEventStream } from "@/lib/realtime/read-event-stream";
import { ChatRequestError, type ChatMessageView, type ChatSessionChange, type ChatSessionView, type ChatTransport } from "./types";
import { problemOf, type ChatProblem } from "./words";

/** A message on screen: stored (id > 0), or still on its way (id 0, only its clientId); `failed`: why it was not stored. */
export type ChatEntry = ChatMessageView & { pending?: boolean; failed?: ChatProblem };

export type ChatConnection = "connecting" | "live" | "reconnecting";

/** Why the page cannot go on: its access ended (a user token expired, a credential revoked) or the session is gone. */
export type ChatBlocked = "access_ended" | "not_found" | null;

const SEND_RETRIES = 4;
const MAX_STREAM_DELAY_MS = 15_000;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

function keyOf(m: ChatEntry): string {
  return m.clientId ?? `id:${m.id}`;
}

/** Stored messages in the server's order, then those not stored yet in the order typed; a stored copy replaces its pending one. */
export function mergeMessages(current: ChatEntry[], incoming: ChatEntry[]): ChatEntry[] {
  const byKey = new Map<string, ChatEntry>();
  for (const m of [...current, ...incoming]) {
    const known = byKey.get(keyOf(m));
    if (!known || m.id > 0 || known.id === 0) byKey.set(keyOf(m), m);
  }
  return [...byKey.values()].sort((a, b) => {
    if ((a.id === 0) !== (b.id === 0)) return a.id === 0 ? 1 : -1;
    return a.id === 0 ? a.sentAt - b.sentAt : a.id - b.id;
  });
}

function blockedBy(error: unknown): ChatBlocked {
  if (!(error instanceof ChatRequestError)) return null;
  if (error.status === 401) return "access_ended";
  if (error.status === 404) return "not_found";
  return null;
}

/**
 * One chat session as a page shows it: the session and its transcript (read once, then live from
 * the stream, resumed with Last-Event-ID after a cut), sending (a clientId per message, retried
 * while the network fails, so it is stored once), files, directives, and read marks (`seen` when
 * the page is visible and something new from others arrived).
 */
export function useChatSession(transport: ChatTransport, me: string | null, initial?: { session: ChatSessionView; messages: ChatMessageView[] }) {
  const [session, setSession] = useState<ChatSessionView | null>(initial?.session ?? null);
  const [messages, setMessages] = useState<ChatEntry[]>(initial?.messages ?? []);
  const [loaded, setLoaded] = useState(initial !== undefined);
  const [loadError, setLoadError] = useState(false);
  const [blocked, setBlocked] = useState<ChatBlocked>(null);
  const [connection, setConnection] = useState<ChatConnection>("connecting");
  // The newest stored message: where the live stream resumes after a cut (Last-Event-ID).
  const newest = useRef(0);
  useEffect(() => {
    newest.current = messages.reduce((max, m) => Math.max(max, m.id), newest.current);
  }, [messages]);

  const received = useCallback((incoming: ChatMessageView[]) => setMessages((current) => mergeMessages(current, incoming)), []);

  /** Every message after `after`, page by page (a long transcript comes in several answers). */
  const readAfter = useCallback(
    async (after: number) => {
      let cursor = after;
      for (let page = 0; page < 100; page++) {
        const batch = await transport.messages(cursor);
        if (batch.length === 0) return;
        received(batch);
        const last = batch[batch.length - 1]!.id;
        newest.current = Math.max(newest.current, last);
        if (last <= cursor) return;
        cursor = last;
      }
    },
    [transport, received],
  );

  // The session and the transcript, then the live stream from the newest message on.
  useEffect(() => {
    const abort = new AbortController();
    const { signal } = abort;
    void (async () => {
      if (!loaded) {
        try {
          const [first] = await Promise.all([transport.session(), readAfter(0)]);
          if (signal.aborted) return;
          setSession(first);
          setLoaded(true);
        } catch (error) {
          if (signal.aborted) return;
          const why = blockedBy(error);
          if (why) setBlocked(why);
          else setLoadError(true);
          return;
        }
      }
      let delay = 1000;
      let firstConnection = true;
      while (!signal.aborted) {
        try {
          const response = await transport.events(newest.current > 0 ? String(newest.current) : null, signal);
          if (response.status === 401 || response.status === 404) {
            setBlocked(response.status === 401 ? "access_ended" : "not_found");
            return;
          }
          if (!response.ok) throw new Error(`stream answered ${response.status}`);
          setConnection("live");
          delay = 1000;
          if (!firstConnection) {
            // A cut may have hidden a directive: read the session again.
            setSession(await transport.session());
          }
          firstConnection = false;
          await readEventStream(
            response,
            (event) => {
              let data: unknown;
              try {
                data = JSON.parse(event.data);
              } catch {
                return;
              }
              if (event.event === "message") {
                const message = data as ChatMessageView;
                newest.current = Math.max(newest.current, message.id);
                received([message]);
              } else if ((event.event === "session" || event.event === "hello") && data && typeof data === "object" && "state" in data) {
                // The stream says what changed (state, call, stamps), not who: that is in the session itself.
                setSession((current) => (current ? { ...current, ...(data as Partial<ChatSessionView>) } : current));
                if (event.event === "session") void transport.session().then(setSession, () => {});
              }
            },
            (ms) => (delay = Math.max(1000, ms)),
          );
        } catch (error) {
          if (signal.aborted) return;
          const why = blockedBy(error);
          if (why) {
            setBlocked(why);
            return;
          }
        }
        if (signal.aborted) return;
        setConnection("reconnecting");
        await sleep(delay, signal);
        delay = Math.min(delay * 2, MAX_STREAM_DELAY_MS);
      }
    })();
    return () => abort.abort();
    // `loaded` is read once: the stream is not restarted when the first load finishes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [transport, readAfter, received]);

  /** Stores one message; a network failure is retried with the same clientId (stored once), a refusal is shown on it. */
  const deliver = useCallback(
    async (entry: ChatEntry) => {
      setMessages((current) =>
        mergeMessages(
          current.filter((m) => m.clientId !== entry.clientId),
          [{ ...entry, pending: true, failed: undefined }],
        ),
      );
      for (let attempt = 0; ; attempt++) {
        try {
          const stored = await transport.send({ text: entry.text || undefined, fileId: entry.file?.id, clientId: entry.clientId! });
          setMessages((current) =>
            mergeMessages(
              current.filter((m) => m.clientId !== entry.clientId),
              [stored],
            ),
          );
          return;
        } catch (error) {
          const network = error instanceof ChatRequestError && error.network;
          if (network && attempt < SEND_RETRIES) {
            await sleep(1000 * 2 ** attempt);
            continue;
          }
          const why = blockedBy(error);
          if (why) setBlocked(why);
          const failed = problemOf(error);
          setMessages((current) => current.map((m) => (m.clientId === entry.clientId ? { ...m, pending: false, failed } : m)));
          return;
        }
      }
    },
    [transport],
  );

  const send = useCallback(
    (text: string, file: ChatEntry["file"] = null) =>
      deliver({
        id: 0,
        chatSessionId: session?.id ?? "",
        clientId: crypto.randomUUID(),
        sender: me,
        senderName: "",
        role: "member",
        text,
        file,
        sentAt: Date.now(),
      }),
    [deliver, me, session?.id],
  );

  const retry = useCallback((entry: ChatEntry) => deliver(entry), [deliver]);

  const change = useCallback(
    async (request: ChatSessionChange) => {
      const next = await transport.change(request);
      setSession(next);
      return next;
    },
    [transport],
  );

  /** Reads the transcript again for fresh file links (they are short-lived capabilities). */
  const refreshFiles = useCallback(async () => {
    const all = await transport.messages(0);
    received(all);
    return all;
  }, [transport, received]);

  // Read marks: while the page is visible, anything new from the others is seen.
  const newestFromOthers = useMemo(() => messages.reduce((max, m) => (m.id > 0 && m.sender !== me ? Math.max(max, m.id) : max), 0), [messages, me]);
  const seenUpTo = useRef(0);
  useEffect(() => {
    if (!me || !loaded || blocked) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const mark = () => {
      if (document.visibilityState !== "visible" || newestFromOthers <= seenUpTo.current) return;
      const upTo = newestFromOthers;
      clearTimeout(timer);
      timer = setTimeout(() => {
        seenUpTo.current = upTo;
        transport.change({ seen: true }).then(setSession, () => {
          seenUpTo.current = 0;
        });
      }, 300);
    };
    mark();
    document.addEventListener("visibilitychange", mark);
    return () => {
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", mark);
    };
  }, [me, loaded, blocked, newestFromOthers, transport]);

  return {
    session,
    messages,
    loaded,
    loadError,
    blocked,
    connection,
    send,
    retry,
    change,
    refreshFiles,
    upload: transport.upload,
    callLink: transport.callLink,
  };
}

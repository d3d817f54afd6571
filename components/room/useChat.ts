"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ChatMessage } from "@/lib/chat/schema";
import { CHAT_FILE_LINK_MARGIN_MS, chatFileLinkExpiresAt } from "@/lib/chat-files/link";
import type { ChatFile } from "@/lib/chat-files/schema";
import type { ParticipantRole } from "@/lib/rooms/session";
import { callApi, uploadFile } from "@/lib/video/call-api";

/** A message on screen: stored (has an id), or still on its way (only a clientId). */
export type ChatEntry = Omit<ChatMessage, "role"> & { role: ParticipantRole; pending?: boolean; failed?: boolean };

const readKey = (participantId: string) => `tm_chat_read_${participantId}`;

// Where a third-party iframe's storage is blocked, touching sessionStorage throws: the count
// then lives in memory only.
function storedReadUpTo(participantId: string): number {
  try {
    const stored = Number(window.sessionStorage.getItem(readKey(participantId)) ?? "0");
    return Number.isSafeInteger(stored) ? stored : 0;
  } catch {
    return 0;
  }
}

function storeReadUpTo(participantId: string, id: number): void {
  try {
    window.sessionStorage.setItem(readKey(participantId), String(id));
  } catch {
    // see storedReadUpTo
  }
}

function merge(current: ChatEntry[], incoming: ChatEntry[]): ChatEntry[] {
  const byKey = new Map<string, ChatEntry>();
  for (const m of [...current, ...incoming]) {
    const key = m.clientId ?? `id:${m.id}`;
    const known = byKey.get(key);
    // A stored copy wins over the pending one it confirms.
    if (!known || (known.pending && !m.pending) || (!m.pending && m.id > 0)) byKey.set(key, m);
  }
  // Stored messages in the server's order, then the ones not stored yet in the order typed.
  const unstored = (m: ChatEntry) => m.pending === true || m.failed === true || m.id === 0;
  return [...byKey.values()].sort((a, b) => {
    if (unstored(a) !== unstored(b)) return unstored(a) ? 1 : -1;
    return unstored(a) ? a.sentAt.localeCompare(b.sentAt) : a.id - b.id;
  });
}

/**
 * The call's chat: what was said before (read again after a reload or a reconnect), what
 * arrives live, what this person sends, and how many messages they have not seen yet.
 */
export function useChat(room: { roomId: string; participantId: string; role: ParticipantRole } | null, open: boolean) {
  const [messages, setMessages] = useState<ChatEntry[]>([]);
  const [readUpTo, setReadUpTo] = useState(0);
  const base = room ? `/api/rooms/${room.roomId}/chat?participantId=${room.participantId}` : null;
  const filesUrl = room ? `/api/rooms/${room.roomId}/chat/files?participantId=${room.participantId}` : null;

  useEffect(() => {
    if (!room) return;
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setReadUpTo(storedReadUpTo(room.participantId));
  }, [room]);

  /** Reads what is stored after the newest message we have: the history, or what a reconnect missed. */
  const catchUp = useCallback(async () => {
    if (!base) return;
    const newest = messages.reduce((max, m) => (m.pending ? max : Math.max(max, m.id)), 0);
    try {
      const stored = await callApi<ChatMessage[]>(`${base}&after=${newest}`, { method: "GET" });
      setMessages((current) => merge(current, stored));
    } catch {
      // Offline or the session ended: the live stream or the next reconnect fills the gap.
    }
  }, [base, messages]);

  const received = useCallback((message: ChatMessage) => setMessages((current) => merge(current, [message])), []);

  /** Sends text, a file uploaded with `upload`, or both; `retryOf` sends a failed message again, as it was. */
  const send = useCallback(
    async (message: { text: string; file?: ChatFile | null }, retryOf?: ChatEntry) => {
      if (!base || !room) return;
      const clientId = retryOf?.clientId ?? crypto.randomUUID();
      const draft: ChatEntry = retryOf
        ? { ...retryOf, pending: true, failed: false }
        : {
            id: 0,
            clientId,
            senderId: room.participantId,
            role: room.role,
            displayName: "",
            text: message.text,
            file: message.file ?? null,
            sentAt: new Date().toISOString(),
            pending: true,
          };
      setMessages((current) => merge(current.filter((m) => m.clientId !== clientId), [draft]));
      try {
        const body = { ...(draft.text ? { text: draft.text } : {}), ...(draft.file ? { fileId: draft.file.id } : {}), clientId };
        const stored = await callApi<ChatMessage>(base, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
        setMessages((current) => merge(current.filter((m) => m.clientId !== clientId), [stored]));
      } catch (error) {
        setMessages((current) => current.map((m) => (m.clientId === clientId ? { ...m, pending: false, failed: true } : m)));
        throw error;
      }
    },
    [base, room],
  );

  /** Uploads a file for the next message (it is sent with `send`); refusals come back as a CallApiError with the server's code. */
  const upload = useCallback(
    (file: File, options: { onProgress?: (fraction: number) => void; signal?: AbortSignal }) => {
      if (!filesUrl) return Promise.reject(Object.assign(new Error("Join the call before sending files."), { code: "not_in_call" }));
      return uploadFile<ChatFile>(filesUrl, file, options);
    },
    [filesUrl],
  );

  // A file's download URL is minted for this reader and lasts ten minutes: the messages are read
  // again (fresh URLs) before the first one on screen runs out, and at once when one already has.
  const lastRenewal = useRef(0);
  const renewFileLinks = useCallback(async () => {
    if (!base) return;
    lastRenewal.current = Date.now();
    const fresh: ChatMessage[] = [];
    for (let after = 0; ;) {
      const page = await callApi<ChatMessage[]>(`${base}&after=${after}`, { method: "GET" });
      fresh.push(...page);
      if (page.length === 0) break;
      after = page[page.length - 1]!.id;
    }
    setMessages((current) => merge(current, fresh));
  }, [base]);

  const firstExpiry = useMemo(
    () =>
      messages.reduce<number | null>((first, m) => {
        const expires = m.file?.url ? chatFileLinkExpiresAt(m.file.url) : null;
        return expires !== null && (first === null || expires < first) ? expires : first;
      }, null),
    [messages],
  );
  useEffect(() => {
    if (!open || firstExpiry === null) return;
    const now = Date.now();
    // Never more often than a minute apart: a clock far off from the server's would otherwise renew in a loop.
    const wait = Math.max(firstExpiry - CHAT_FILE_LINK_MARGIN_MS - now, lastRenewal.current + 60_000 - now, 0);
    const timer = window.setTimeout(() => void renewFileLinks().catch(() => {}), wait);
    return () => window.clearTimeout(timer);
  }, [open, firstExpiry, renewFileLinks]);

  const newestFromOthers = useMemo(
    () => messages.reduce((max, m) => (!m.pending && room && m.senderId !== room.participantId ? Math.max(max, m.id) : max), 0),
    [messages, room],
  );

  // Everything on screen is read while the chat is open.
  useEffect(() => {
    if (!open || !room || newestFromOthers <= readUpTo) return;
    storeReadUpTo(room.participantId, newestFromOthers);
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setReadUpTo(newestFromOthers);
  }, [open, room, newestFromOthers, readUpTo]);

  const unread = open || !room ? 0 : messages.filter((m) => !m.pending && m.senderId !== room.participantId && m.id > readUpTo).length;
  return { messages, unread, send, upload, renewFileLinks, received, catchUp };
}

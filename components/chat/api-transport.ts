import { ChatRequestError, type ChatFileView, type ChatMessageView, type ChatSessionView, type ChatTransport } from "./types";

/** No answer: the page says it in words (the code is the browser's own, as the call's is). */
const offline = () => new ChatRequestError("You seem to be offline.", undefined, "network_unavailable");

/** A request to the chat-sessions API; the contract's `{ error }` body becomes a ChatRequestError. */
async function request<T>(url: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, cache: "no-store" });
  } catch {
    throw offline();
  }
  const body = (await response.json().catch(() => null)) as (T & { error?: unknown; code?: unknown }) | null;
  if (!response.ok) {
    const message = typeof body?.error === "string" ? body.error : `The server answered ${response.status}.`;
    throw new ChatRequestError(message, response.status, typeof body?.code === "string" ? body.code : undefined);
  }
  return body as T;
}

/**
 * The chat page of a participant who came through their chat link: the chat-sessions API, with
 * the user token the link gave this tab (`Authorization: Bearer`).
 */
export function userTokenTransport(chatSessionId: string, accessToken: string): ChatTransport {
  const base = `/api/chat-sessions/${encodeURIComponent(chatSessionId)}`;
  const auth = { Authorization: `Bearer ${accessToken}` };
  const json = { ...auth, "Content-Type": "application/json" };
  return {
    session: () => request<ChatSessionView>(base, { headers: auth }),
    messages: (after) => request<ChatMessageView[]>(`${base}/messages?after=${after}&limit=500`, { headers: auth }),
    send: (message) => request<ChatMessageView>(`${base}/messages`, { method: "POST", headers: json, body: JSON.stringify(message) }),
    upload: (file) => {
      const form = new FormData();
      form.append("file", file, file.name);
      return request<ChatFileView>(`${base}/files`, { method: "POST", headers: auth, body: form });
    },
    change: (change) => request<ChatSessionView>(base, { method: "PATCH", headers: json, body: JSON.stringify(change) }),
    events: (lastEventId, signal) =>
      fetch(`${base}/events`, {
        headers: { ...auth, Accept: "text/event-stream", ...(lastEventId ? { "Last-Event-ID": lastEventId } : {}) },
        cache: "no-store",
        signal,
      }),
    callLink: async (roomId) => {
      const room = await request<{ accessLinkURL?: string | null }>(`/api/teleconsultation/${encodeURIComponent(roomId)}`, { headers: auth });
      if (!room.accessLinkURL) throw new ChatRequestError("The video call is not ready yet. Try again in a moment.", 409, "call_not_ready");
      return room.accessLinkURL;
    },
  };
}

import { ChatRequestError, type ChatFileView, type ChatMessageView, type ChatSessionChange, type ChatSessionView, type ChatTransport } from "./types";

/** What a dashboard server action answers: the value, or the refusal in words (an action's thrown error reaches the browser without its message). */
export type ChatActionResult<T> = { ok: true; value: T } | { ok: false; message: string; status: number; code: string };

/** The dashboard's chat actions (app/dashboard/chat/[chatSessionId]/actions.ts), each acting as the signed-in staff member. */
export type StaffChatActions = {
  session: (chatSessionId: string) => Promise<ChatActionResult<ChatSessionView>>;
  messages: (chatSessionId: string, after: number) => Promise<ChatActionResult<ChatMessageView[]>>;
  send: (chatSessionId: string, message: { text?: string; fileId?: string; clientId: string }) => Promise<ChatActionResult<ChatMessageView>>;
  change: (chatSessionId: string, change: ChatSessionChange) => Promise<ChatActionResult<ChatSessionView>>;
  callLink: (chatSessionId: string) => Promise<ChatActionResult<string>>;
};

/** No answer: the page says it in words (the code is the browser's own, as the call's is). */
const offline = () => new ChatRequestError("You seem to be offline.", undefined, "network_unavailable");

async function run<T>(action: () => Promise<ChatActionResult<T>>): Promise<T> {
  let result: ChatActionResult<T>;
  try {
    result = await action();
  } catch {
    throw offline();
  }
  if (!result.ok) throw new ChatRequestError(result.message, result.status, result.code);
  return result.value;
}

/**
 * The conversation on the dashboard: server actions for reading, writing and directives, and the
 * dashboard's own routes for the live stream and uploads (a stream and a 10 MB body are not
 * actions), all on the staff member's signed-in session.
 */
export function staffTransport(chatSessionId: string, actions: StaffChatActions): ChatTransport {
  const base = `/dashboard/chat/${encodeURIComponent(chatSessionId)}`;
  return {
    session: () => run(() => actions.session(chatSessionId)),
    messages: (after) => run(() => actions.messages(chatSessionId, after)),
    send: (message) => run(() => actions.send(chatSessionId, message)),
    change: (change) => run(() => actions.change(chatSessionId, change)),
    callLink: () => run(() => actions.callLink(chatSessionId)),
    upload: async (file) => {
      const form = new FormData();
      form.append("file", file, file.name);
      let response: Response;
      try {
        response = await fetch(`${base}/files`, { method: "POST", body: form, cache: "no-store" });
      } catch {
        throw offline();
      }
      const body = (await response.json().catch(() => null)) as (ChatFileView & { error?: unknown; code?: unknown }) | null;
      if (!response.ok) {
        throw new ChatRequestError(
          typeof body?.error === "string" ? body.error : `The server answered ${response.status}.`,
          response.status,
          typeof body?.code === "string" ? body.code : undefined,
        );
      }
      return body!;
    },
    events: (lastEventId, signal) =>
      fetch(`${base}/events`, {
        headers: { Accept: "text/event-stream", ...(lastEventId ? { "Last-Event-ID": lastEventId } : {}) },
        cache: "no-store",
        signal,
      }),
  };
}

/** One Server-Sent Event as the stream sent it. */
export type StreamEvent = { event: string; id: string | null; data: string };

/**
 * Reads a Server-Sent Events answer read with fetch (EventSource cannot send an Authorization
 * header): calls `onEvent` for each event, and `onRetry` when the server says how long to wait
 * before reconnecting. Resolves when the stream ends; rejects when it breaks.
 */
export async function readEventStream(response: Response, onEvent: (event: StreamEvent) => void, onRetry?: (ms: number) => void): Promise<void> {
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let event = "message";
  let id: string | null = null;
  let data: string[] = [];
  const line = (text: string) => {
    if (text === "") {
      if (data.length > 0) onEvent({ event, id, data: data.join("\n") });
      event = "message";
      id = null;
      data = [];
      return;
    }
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? "" : text.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
    else if (field === "id") id = value;
    else if (field === "retry" && /^\d+$/.test(value)) onRetry?.(Number(value));
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.search(/\r\n|\r|\n/)) !== -1) {
      // A lone CR at the end may be the first half of a CRLF split across chunks.
      if (end === buffer.length - 1 && buffer[end] === "\r") break;
      const text = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer.startsWith("\r\n", end) ? 2 : 1));
      line(text);
    }
  }
}

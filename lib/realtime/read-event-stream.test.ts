import { describe, expect, it } from "vitest";
import { readEventStream, type StreamEvent } from "./read-event-stream";

/** An answer whose body arrives in these pieces, as a network delivers it. */
function answer(chunks: string[]): Response {
  const encoder = new TextEncoder();
  return new Response(
    new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
        controller.close();
      },
    }),
  );
}

async function read(chunks: string[]) {
  const events: StreamEvent[] = [];
  const retries: number[] = [];
  await readEventStream(
    answer(chunks),
    (e) => events.push(e),
    (ms) => retries.push(ms),
  );
  return { events, retries };
}

describe("readEventStream", () => {
  it("reads events with their name, id and data, however the network cuts the bytes", async () => {
    const text =
      'retry: 3000\n\nevent: hello\ndata: {"a":1}\n\n: ping\n\nid: 7\nevent: message\ndata: {"text":"hola\\nqué tal"}\n\nid: 8\ndata: one\ndata: two\n\n';
    const whole = await read([text]);
    expect(whole.events).toEqual([
      { event: "hello", id: null, data: '{"a":1}' },
      { event: "message", id: "7", data: '{"text":"hola\\nqué tal"}' },
      { event: "message", id: "8", data: "one\ntwo" },
    ]);
    expect(whole.retries).toEqual([3000]);
    // Byte by byte, and with CRLF line ends split between chunks.
    expect((await read([...text])).events).toEqual(whole.events);
    const crlf = text.replace(/\n/g, "\r\n");
    expect((await read(crlf.match(/[\s\S]{1,5}/g)!)).events).toEqual(whole.events);
  });

  it("keeps multi-byte characters split across chunks whole, and drops an event the stream cut off", async () => {
    const bytes = new TextEncoder().encode("event: message\ndata: ñandú 👨‍⚕️\n\nevent: message\ndata: cut");
    const body = new ReadableStream({
      start(controller) {
        for (const b of bytes) controller.enqueue(new Uint8Array([b]));
        controller.close();
      },
    });
    const events: StreamEvent[] = [];
    await readEventStream(new Response(body), (e) => events.push(e));
    expect(events).toEqual([{ event: "message", id: null, data: "ñandú 👨‍⚕️" }]);
  });
});

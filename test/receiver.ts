/** A real HTTP server on loopback standing in for someone we call: an integrator's webhook receiver, LiveKit. */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedRequest = { method: string; url: string; headers: IncomingHttpHeaders; body: string; bytes: Buffer; at: number };

/** Answers a request once its whole body has arrived. */
export type Answer = (req: IncomingMessage, res: ServerResponse, body: Buffer) => unknown;

export type Receiver = {
  /** `http://127.0.0.1:<port>`, no path. */
  url: string;
  port: number;
  /** Every request, in the order they arrived. */
  received: ReceivedRequest[];
  /** Swappable while it runs. */
  answer: Answer;
  /** How many connections were opened to it. */
  connections: () => number;
  /** Drops kept-alive connections too, so the test run is not held open. */
  close: () => Promise<void>;
};

/** Starts a receiver on a free port; it answers 204 with no body until told otherwise. */
export async function startReceiver(answer: Answer = (_req, res) => res.writeHead(204).end()): Promise<Receiver> {
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const bytes = Buffer.concat(chunks);
      receiver.received.push({ method: req.method!, url: req.url!, headers: req.headers, body: bytes.toString("utf8"), bytes, at: Date.now() });
      void receiver.answer(req, res, bytes);
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}`,
    port,
    received: [],
    answer,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return receiver;
}

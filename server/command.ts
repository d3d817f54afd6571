import path from "node:path";

/**
 * How tests and benchmarks start the app as `npm start` does: `node <APP_SERVER_SCRIPT>`, with
 * PORT (and HOST) in its environment. Node alone, not npm: npm runs a script under `sh -c`, which
 * does not pass SIGTERM on, so stopping npm would leave the server (and its pool) running.
 */
export const APP_SERVER_SCRIPT = path.join(import.meta.dirname, "start.mjs");

/** Next.js calls this once at server start; the work lives in a Node-only module. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./instrumentation-node");
}

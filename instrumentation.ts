/** Next.js calls this once at server start: get the database ready before the first request. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { runtime } = await import("./db/runtime");
  const { ConfigError } = await import("./lib/config");
  try {
    await runtime();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    console.error("Start-up failed: the database is not ready.", error);
    process.exit(1);
  }
}

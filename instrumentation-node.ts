import { runtime } from "./db/runtime";
import { ConfigError } from "./lib/config";

/** Gets the database ready before the first request; a bad configuration stops the server with its message. */
try {
  await runtime();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : "Start-up failed: the database is not ready.");
  if (!(error instanceof ConfigError)) console.error(error);
  process.exit(1);
}

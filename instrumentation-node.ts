import { runtime } from "./db/runtime";
import { ConfigError, env } from "./lib/config";
import { startProcessJobs } from "./lib/jobs/runtime";

/** Gets the database ready before the first request; a bad configuration stops the server with its message. */
try {
  await runtime();
  if (env().JOBS_IN_APP) await startProcessJobs();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : "Start-up failed: the database is not ready.");
  if (!(error instanceof ConfigError)) console.error(error);
  process.exit(1);
}

/**
 * `npm run worker`: the portal's background jobs (webhook fan-out and delivery, expiry,
 * auto-completion, housekeeping) as a process of their own. Run the app with
 * JOBS_IN_APP=false beside it; any number of workers can run at once.
 */
import { runtime } from "@/db/runtime";
import { ConfigError, env } from "@/lib/config";
import { startProcessJobs } from "@/lib/jobs/runtime";

try {
  if (!env().DATABASE_URL) {
    console.error("npm run worker needs DATABASE_URL: with the embedded database the app runs the jobs itself.");
    process.exit(2);
  }
  const jobs = await startProcessJobs();
  console.log("Worker started: webhook delivery, expiry and auto-completion jobs are running.");
  const stop = async (signal: string) => {
    console.log(`${signal}: finishing the jobs in hand…`);
    await jobs.stop();
    await (await runtime()).stop();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

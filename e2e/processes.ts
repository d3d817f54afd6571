/**
 * Real servers a spec starts for itself: more app instances on the e2e database (to prove
 * signaling crosses instances through PostgreSQL), and a coturn TURN relay on loopback.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { APP_SERVER_SCRIPT } from "../server/command";
import { freePort } from "../test/postgres";
import { appServerEnv } from "./app-env";

const ROOT = path.resolve(import.meta.dirname, "..");

export type Started = { url: string; port: number; stop: () => Promise<void> };

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
}

/** Another app server (`npm start`'s) of the production build, on the e2e database, with extra settings. */
export async function startAppInstance(extraEnv: Record<string, string>): Promise<Started> {
  const databaseUrl = process.env.E2E_SPEC_DATABASE_URL;
  if (!databaseUrl) throw new Error("E2E_SPEC_DATABASE_URL is not set");
  const port = await freePort();
  const child = spawn(process.execPath, [APP_SERVER_SCRIPT], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...appServerEnv({ databaseUrl, port, seedDemo: false }), ...extraEnv },
  });
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app instance on ${port} exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`app instance on ${port} did not become healthy`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, port, stop: stopper(child) };
}

export type StartedApp = Started & {
  /** The server process itself, so a spec can kill it the hard way (SIGKILL: a crash mid-work). */
  child: ChildProcess;
  /** Resolves once the process has exited, however it ended. */
  exited: Promise<void>;
};

/**
 * Like startAppInstance, on any database (a spec's own, or on a PostgreSQL of its own), and
 * handing back the process: a spec can SIGKILL it and start another on the same database.
 * A process that does not become healthy is stopped before this throws.
 */
export async function startAppProcess(options: { databaseUrl: string; extraEnv?: Record<string, string> }): Promise<StartedApp> {
  const port = await freePort();
  const child = spawn(process.execPath, [APP_SERVER_SCRIPT], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...appServerEnv({ databaseUrl: options.databaseUrl, port, seedDemo: false }), ...options.extraEnv },
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = stopper(child);
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`app instance on ${port} exited (${child.exitCode ?? child.signalCode})`);
      const ok = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`app instance on ${port} did not become healthy`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, stop, child, exited };
}

/** coturn from Debian on 127.0.0.1, checking TURN REST API credentials made with `secret`. */
export async function startTurnServer(secret: string): Promise<Started> {
  const port = await freePort();
  const minPort = 40000 + Math.floor(Math.random() * 20000);
  const child = spawn(
    "turnserver",
    [
      "-n", // no config file
      "--listening-ip=127.0.0.1",
      "--relay-ip=127.0.0.1",
      `--listening-port=${port}`,
      `--min-port=${minPort}`,
      `--max-port=${minPort + 200}`,
      "--use-auth-secret",
      `--static-auth-secret=${secret}`,
      "--realm=telemed.test",
      "--allow-loopback-peers", // both browsers and the relay are on this machine
      "--fingerprint",
      "--no-cli",
      "--no-tls",
      "--no-dtls",
      "--log-file=stdout",
      "--simple-log",
      "--verbose",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 10_000;
  while (!/listener opened on|Total General servers|IPv4\. UDP listener opened/i.test(log)) {
    if (child.exitCode !== null) throw new Error(`turnserver exited: ${log.slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`turnserver did not start: ${log.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    port,
    stop: stopper(child),
  };
}

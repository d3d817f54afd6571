/**
 * What every benchmark here needs around its measurement: clean-up that runs once whatever
 * happens, child processes in their own process groups, the sources' newest change (to tell a
 * stale build), whether the machine is quiet, and a plain text table.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type postgres from "postgres";
import { APP_SERVER_SCRIPT } from "@/server/command";
import { withDatabase } from "@/test/postgres";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------
// Clean-up: everything started is registered here and undone in reverse, once, whether the
// run ends, fails, or is interrupted.

const cleanups: { name: string; run: () => Promise<void> }[] = [];
let cleaning: Promise<void> | undefined;
let interrupted = false;

export function onCleanup(name: string, run: () => Promise<void>): void {
  cleanups.push({ name, run });
}

export function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const { name, run } of cleanups.reverse()) {
      try {
        await run();
      } catch (error) {
        console.error(`clean-up: ${name} failed:`, error);
      }
    }
  })();
  return cleaning;
}

export function wasInterrupted(): boolean {
  return interrupted;
}

/** On Ctrl-C (and kin): say what is being undone, run `first` (stop a measurement), clean up, exit 130. */
export function cleanUpOnSignals(what: string, first: () => void = () => {}): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      interrupted = true;
      console.error(`\n${signal}: ${what}...`);
      first();
      void cleanUp().finally(() => process.exit(130));
    });
  }
}

// ---------------------------------------------------------------------------------------
// Child processes: each in its own process group, so stopping one stops what it spawned.

export type Child = { name: string; proc: ChildProcess; exited: Promise<number | null>; tail: () => string };

export function startChild(name: string, args: string[], env: NodeJS.ProcessEnv, options: { echo?: boolean } = {}): Child {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    if (options.echo) process.stdout.write(text);
    lines.push(...text.split("\n").filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  proc.stdout!.on("data", collect);
  proc.stderr!.on("data", collect);
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { name, proc, exited, tail: () => lines.slice(-40).join("\n") };
}

/** Whether the child has ended (by itself or by a signal). */
export function hasExited(child: Child): boolean {
  return child.proc.exitCode !== null || child.proc.signalCode !== null;
}

export async function stopChild(child: Child): Promise<void> {
  if (hasExited(child)) return;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.proc.pid!, sig);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const timedOut = await Promise.race([child.exited.then(() => false), sleep(8000).then(() => true)]);
  if (timedOut) {
    signal("SIGKILL");
    await child.exited;
  }
}

// ---------------------------------------------------------------------------------------
// The build and the sources it was made from.

const SOURCE_DIRS = ["app", "lib", "db", "components", "public"];
const SOURCE_FILES = ["instrumentation.ts", "next.config.mjs", "package.json", "package-lock.json", "middleware.ts", "proxy.ts"];

/** The most recently changed source file a build depends on (tests aside). */
export function newestSourceMtime(): { mtime: number; file: string } {
  let newest = { mtime: 0, file: "" };
  const consider = (file: string) => {
    if (/\.test\.tsx?$/.test(file)) return;
    const { mtimeMs } = fs.statSync(file);
    if (mtimeMs > newest.mtime) newest = { mtime: mtimeMs, file: path.relative(ROOT, file) };
  };
  for (const dir of SOURCE_DIRS) {
    const abs = path.join(ROOT, dir);
    if (!fs.existsSync(abs)) continue;
    for (const entry of fs.readdirSync(abs, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) consider(path.join(entry.parentPath, entry.name));
    }
  }
  for (const file of SOURCE_FILES) if (fs.existsSync(path.join(ROOT, file))) consider(path.join(ROOT, file));
  return newest;
}

// ---------------------------------------------------------------------------------------
// The machine.

export type CpuTimes = { idle: number; all: number };

export function cpuTotals(): CpuTimes {
  return os.cpus().reduce((t, c) => ({ idle: t.idle + c.times.idle, all: t.all + c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle }), { idle: 0, all: 0 });
}

export function busyPercent(a: CpuTimes, b: CpuTimes): number {
  return b.all === a.all ? 0 : 100 * (1 - (b.idle - a.idle) / (b.all - a.all));
}

/** Below this share of busy CPU over a second, the machine counts as quiet. */
export const QUIET_PERCENT = 20;

/** Waits (up to `maxWaitSeconds`) for the CPUs to be under QUIET_PERCENT busy over one second; returns the last reading. */
export async function quietMachine(maxWaitSeconds: number): Promise<number> {
  const deadline = Date.now() + maxWaitSeconds * 1000;
  for (;;) {
    const before = cpuTotals();
    await sleep(1000);
    const busy = busyPercent(before, cpuTotals());
    if (busy <= QUIET_PERCENT || Date.now() >= deadline) return busy;
  }
}

/** Rows as a text table under a dashed rule; the first `leftColumns` columns align left, the rest right. */
export function table(rows: string[][], leftColumns = 0): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r, i) => {
      const line = r.map((cell, c) => (c < leftColumns ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
      return i === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line;
    })
    .join("\n");
}

// ---------------------------------------------------------------------------------------
// A production build made beforehand, and the app as `npm start` runs it on it.

/** The build in `distDir` (relative to ROOT): its id and time, and the newer source file if it is stale; undefined when there is none. */
export function existingBuild(distDir: string): { id: string; builtAt: Date; newerSource?: string } | undefined {
  const buildId = path.join(ROOT, distDir, "BUILD_ID");
  if (!fs.existsSync(buildId)) return undefined;
  const built = fs.statSync(buildId).mtimeMs;
  const newest = newestSourceMtime();
  return { id: fs.readFileSync(buildId, "utf8").trim(), builtAt: new Date(built), ...(newest.mtime > built ? { newerSource: newest.file } : {}) };
}

/**
 * The app as `npm start` runs it (server/start.mjs: the API front and Next.js) on 127.0.0.1:<port>,
 * with `env` (which names NEXT_DIST_DIR, DATABASE_URL and the rest), stopped at clean-up;
 * resolves once `GET /api/health` answers 200.
 */
export async function startAppServer(env: NodeJS.ProcessEnv, port: number, options: { name?: string; timeoutMs?: number } = {}): Promise<{ child: Child; baseUrl: string; startMs: number }> {
  const name = options.name ?? "app";
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = startChild(name, [APP_SERVER_SCRIPT], { ...env, PORT: String(port), HOST: "127.0.0.1" });
  onCleanup(`stop ${name}`, () => stopChild(child));
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (hasExited(child)) throw new Error(`${name} exited during start-up:\n${child.tail()}`);
    const status = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) }).then(
      async (r) => (await r.arrayBuffer(), r.status),
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() > deadline) throw new Error(`${name} did not answer GET /api/health with 200 within ${timeoutMs / 1000} s:\n${child.tail()}`);
    await sleep(200);
  }
  return { child, baseUrl, startMs: performance.now() - started };
}

/** Nearest-rank percentile of sorted samples: the smallest sample with at least p% of them at or below it. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** `run` called `warmup` times untimed, then `calls` times one after another: the sorted times (ms) and the last result. */
export async function timeCalls<T>(run: () => Promise<T>, calls: number, warmup = 0): Promise<{ times: number[]; last: T }> {
  let last = await run();
  for (let i = 0; i < warmup; i++) last = await run();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    last = await run();
    times.push(performance.now() - t0);
  }
  return { times: times.sort((a, b) => a - b), last };
}

/** An integer setting from the environment, with its default; a bad value stops the bench with its name. */
export function intFromEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min} (got "${raw}")`);
  return value;
}

/** The lines every bench prints first: the machine, Node and the PostgreSQL it ran against. */
export async function machineFacts(admin: postgres.Sql, adminUrl: string): Promise<string[]> {
  const [{ server_version: pgVersion }] = (await admin`show server_version`) as unknown as [{ server_version: string }];
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  return [
    `Machine: ${os.availableParallelism()} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()} ${os.arch()}`,
    `Node:    ${process.version}; PostgreSQL ${pgVersion} at ${new URL(adminUrl).host}`,
  ];
}

/**
 * A scratch database for one run, `telemed_bench_<what>_<random>`, dropped at clean-up (unless
 * `keep`): its name and URL. The caller migrates and seeds it.
 */
export async function scratchDatabase(admin: postgres.Sql, adminUrl: string, what: string, options: { keep?: boolean } = {}): Promise<{ name: string; url: string }> {
  const name = `telemed_bench_${what}_${randomBytes(6).toString("hex")}`;
  await admin.unsafe(`create database "${name}"`);
  onCleanup(`drop database ${name}`, async () => {
    if (options.keep) return console.log(`Kept database ${name} (BENCH_KEEP_DATABASE).`);
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    console.log(`Dropped database ${name}.`);
  });
  return { name, url: withDatabase(adminUrl, name) };
}

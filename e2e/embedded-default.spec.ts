/**
 * The embedded default, from nothing: no DATABASE_URL, no APP_SECRET, an empty DATA_DIR.
 * `npm start`'s server must initialise and start PostgreSQL there, migrate, seed the demo clinic and
 * print its credential once; the API must work with it; SIGTERM must stop PostgreSQL too;
 * the operator CLI must share it while the app runs; and a restart on the same DATA_DIR must
 * find everything as it was.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { immediateGeneralExample } from "../test/fixtures/seed-examples";
import { APP_SERVER_SCRIPT } from "../server/command";
import { freePort } from "../test/postgres";

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX = createRequire(import.meta.url).resolve("tsx/cli");

test.describe.configure({ mode: "serial" });
test.setTimeout(240_000);

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.setTimeout(1000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

type Server = {
  child: ChildProcess;
  output: () => string;
  waitFor: (pattern: RegExp, timeoutMs: number) => Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/**
 * The server as `npm start` runs it, with the embedded default's environment, run by Node
 * directly rather than through npm: npm runs it under `sh -c`, which does not pass SIGTERM on,
 * so signalling npm would test npm rather than the app.
 */
function startServer(options: { dataDir: string; port: number; postgresPort: number }): Server {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ["DATABASE_URL", "APP_SECRET", "SEED_DEMO", "TEST_DATABASE_URL", "E2E_DATABASE_URL"]) delete env[name];
  Object.assign(env, {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: process.env.E2E_NEXT_DIST_DIR ?? "",
    DATA_DIR: options.dataDir,
    EMBEDDED_POSTGRES_PORT: String(options.postgresPort),
    APP_URL: `http://localhost:${options.port}`,
    PORT: String(options.port),
  });
  const child = spawn(process.execPath, [APP_SERVER_SCRIPT], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so cleanup can reach anything it leaves behind
  });
  let text = "";
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString("utf8");
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );

  const waitFor = (pattern: RegExp, timeoutMs: number) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(text);
        if (!match) return;
        done();
        resolve(match);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${pattern} within ${timeoutMs} ms; the server printed:\n${text}`));
      }, timeoutMs);
      const onExit = () => {
        done();
        reject(new Error(`the server exited before printing ${pattern}:\n${text}`));
      };
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
        child.off("exit", onExit);
      };
      listeners.add(check);
      child.once("exit", onExit);
      check();
    });

  return { child, output: () => text, waitFor, exited };
}

/** `npm run cli -- ...` on the same DATA_DIR and port as the app. */
function runCli(args: string[], options: { dataDir: string; postgresPort: number }): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: options.dataDir, EMBEDDED_POSTGRES_PORT: String(options.postgresPort) };
  for (const name of ["DATABASE_URL", "SEED_DEMO"]) delete env[name];
  return new Promise((resolve) => {
    execFile(process.execPath, [TSX, "--conditions=react-server", "scripts/cli.ts", ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** SIGTERM, as a process manager sends it; resolves with how the process ended. */
async function stopServer(server: Server) {
  server.child.kill("SIGTERM");
  const ended = await Promise.race([server.exited, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
  expect(ended, `the server did not exit within 30 s of SIGTERM:\n${server.output()}`).not.toBeNull();
  return ended!;
}

/** True once nothing listens on the port any more (PostgreSQL's shutdown takes a moment). */
async function closedWithin(port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!(await accepts(port))) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return !(await accepts(port));
}

async function waitReady(request: APIRequestContext, appUrl: string) {
  await expect
    .poll(async () => (await request.get(`${appUrl}/api/health`, { failOnStatusCode: false }).catch(() => null))?.status(), {
      timeout: 60_000,
      intervals: [250, 500, 1000],
    })
    .toBe(200);
}

test.describe("embedded default (no DATABASE_URL)", () => {
  let dataDir = "";
  let port = 0;
  let postgresPort = 0;
  let appUrl = "";
  let server: Server | undefined;

  test.beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "telemed-embedded-"));
    // As root, PostgreSQL runs as the `postgres` user, which must be able to reach the folder.
    chmodSync(dataDir, 0o755);
    port = await freePort();
    postgresPort = await freePort();
    appUrl = `http://localhost:${port}`;
  });

  test.afterAll(async () => {
    // Whatever a failed step left running: the server's process group (next, PostgreSQL).
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      try {
        process.kill(-server.child.pid!, "SIGTERM");
      } catch {}
      await Promise.race([server.exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    const pidFile = path.join(dataDir, "postgres", "postmaster.pid");
    if (dataDir && existsSync(pidFile)) {
      // PostgreSQL outlived the app (the failure this spec reports): stop it by its pid.
      const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
      try {
        if (pid > 0) process.kill(pid, "SIGINT");
      } catch {}
      await closedWithin(postgresPort, 10_000);
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test("starts from an empty DATA_DIR, serves the API, stops PostgreSQL with it, and restarts", async ({ request }) => {
    let bearer = "";
    let consultation: { consultationId: string; [key: string]: unknown } = { consultationId: "" };

    await test.step("first start: initialises PostgreSQL, seeds, prints the demo credential", async () => {
      server = startServer({ dataDir, port, postgresPort });
      const [, token] = await server.waitFor(/^\s*or Authorization: Bearer (\S+)$/m, 150_000);
      bearer = token!;
      expect(bearer).toMatch(/^tk_[A-Za-z0-9_-]+\.tks_[A-Za-z0-9_-]+$/);
      const output = server.output();
      expect(output).toContain(`Initialising embedded PostgreSQL in ${path.join(dataDir, "postgres")}`);
      expect(output).toContain(`Embedded PostgreSQL ready on 127.0.0.1:${postgresPort}`);
      expect(output).toContain("Demo Clinic is ready (timezone America/Bogota).");
      expect(output).toContain("only a hash is stored");
      expect(output).toContain(`${appUrl}/api/providers`);
      await waitReady(request, appUrl);
    });

    await test.step("GET /api/providers lists the three demo providers", async () => {
      const res = await request.get(`${appUrl}/api/providers`, { headers: { authorization: `Bearer ${bearer}` } });
      expect(res.status(), await res.text()).toBe(200);
      const body = await res.json();
      expect(body.success).toBe(true);
      const names = (body.data as { name: string }[]).map((p) => p.name).sort();
      expect(names).toEqual(["Dr. Juan Pérez", "Dra. Ana Martínez", "Ps. Laura Gómez Ríos"]);
    });

    await test.step("POST /api/consultations (the seed's immediate example) and GET it back", async () => {
      const created = await request.post(`${appUrl}/api/consultations`, {
        headers: { authorization: `Bearer ${bearer}` },
        data: immediateGeneralExample(),
      });
      expect(created.status(), await created.text()).toBe(200);
      const body = await created.json();
      expect(body.success).toBe(true);
      consultation = body.data;
      expect(consultation.consultationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(consultation.status).toBe("Pending");
      expect(consultation.durationMinutes).toBe(20);
      expect(consultation.accessPin).toMatch(/^\d{6}$/);
      expect((consultation.participantAccess as { patientUrl: string }).patientUrl).toMatch(
        new RegExp(`^${appUrl}/join/[A-Za-z0-9_-]+\\?type=patient$`),
      );

      const got = await request.get(`${appUrl}/api/consultations/${consultation.consultationId}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
      expect(got.status(), await got.text()).toBe(200);
      expect((await got.json()).data).toEqual(consultation);

      // No APP_SECRET: sealing the PIN made one in DATA_DIR, readable by its owner only.
      const secretFile = path.join(dataDir, "app-secret");
      expect(existsSync(secretFile)).toBe(true);
      expect(statSync(secretFile).mode & 0o077).toBe(0);
    });

    await test.step("the CLI uses the app's running PostgreSQL and leaves it running", async () => {
      const run = await runCli(["org:list"], { dataDir, postgresPort });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/\bdemo-clinic\s+Demo Clinic\s+America\/Bogota\b/);
      expect(await accepts(postgresPort)).toBe(true);
      const res = await request.get(`${appUrl}/api/providers`, { headers: { authorization: `Bearer ${bearer}` } });
      expect(res.status()).toBe(200);
    });

    await test.step("SIGTERM stops the app and the embedded PostgreSQL it started", async () => {
      expect(await accepts(postgresPort)).toBe(true);
      await stopServer(server!);
      expect(await closedWithin(port, 5_000), "the app port still accepts connections").toBe(true);
      expect(
        await closedWithin(postgresPort, 15_000),
        `embedded PostgreSQL still accepts connections on ${postgresPort} after the app exited:\n${server!.output()}`,
      ).toBe(true);
      // A clean shutdown removes the lock file; a crash would leave it behind.
      expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
    });

    await test.step("with the app stopped, the CLI starts PostgreSQL itself and stops it when done", async () => {
      const run = await runCli(["key:create", "--org", "demo-clinic", "--name", "second"], { dataDir, postgresPort });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/Authorization: Bearer tk_/);
      expect(await closedWithin(postgresPort, 15_000), "the CLI left its embedded PostgreSQL running").toBe(true);
    });

    await test.step("restart on the same DATA_DIR: no new credential, the data is still there", async () => {
      server = startServer({ dataDir, port, postgresPort });
      await server.waitFor(/Embedded PostgreSQL ready on /, 60_000);
      await waitReady(request, appUrl);
      const got = await request.get(`${appUrl}/api/consultations/${consultation.consultationId}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
      expect(got.status(), await got.text()).toBe(200);
      expect((await got.json()).data).toEqual(consultation);
      const output = server.output();
      expect(output).not.toContain("Initialising embedded PostgreSQL");
      expect(output).not.toContain("X-API-Secret");
      expect(output).not.toContain("Demo Clinic is ready");
    });

    await test.step("and stops cleanly again", async () => {
      await stopServer(server!);
      expect(await closedWithin(postgresPort, 15_000), `embedded PostgreSQL still running:\n${server!.output()}`).toBe(true);
    });
  });
});

/**
 * Background effects: frames per second of the processed track and the extra CPU a call costs
 * with no background, blur, and the clinic's image. Run by hand (`npm run bench:background`) on
 * an existing production build; see bench/background/README.md.
 *
 * It starts the app as `npm start` runs it on a scratch database with the demo clinic, uploads a background
 * through the settings API, and makes a consultation. A provider (headless Chromium, its camera
 * the e2e's drawn person in a room) and a patient (another Chromium) join the call. For each
 * background in turn, chosen from the call's Background dialog, it waits for the effect to run,
 * then over BENCH_SECONDS (20) counts:
 *   - the frames the provider's own view shows of the sent track (requestVideoFrameCallback),
 *     which is the processed track whenever an effect runs;
 *   - the frames the patient decoded of it (WebRTC inbound-rtp framesDecoded);
 *   - the CPU seconds of the provider's Chromium, every process of it (utime + stime from
 *     /proc/<pid>/stat, summed over its process tree), per second of call;
 *   - what the effect said (its step-down notice), if anything.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { chromium, type Browser, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH, FAKE_MEDIA_ARGS } from "@/e2e/chromium";
import { clinicBackgroundPng, writePersonCamera } from "@/e2e/fake-camera";
import { freePort, testServerAdminUrl } from "@/test/postgres";
import { createConsultation, demoCredential } from "../demo";
import { cleanUp, cleanUpOnSignals, existingBuild, intFromEnv, machineFacts, onCleanup, scratchDatabase, sleep, startAppServer, table } from "../harness";

const distDir = process.env.NEXT_DIST_DIR || ".next";
const APP_SECRET = "bench-background-app-secret-that-is-at-least-32-characters";
const SECONDS = intFromEnv("BENCH_SECONDS", 20);
const MODES = ["none", "blur", "image"] as const;
type Mode = (typeof MODES)[number];

cleanUpOnSignals("stopping the browsers and the server, dropping the benchmark database");

/** Clock ticks per second of /proc's CPU times (Linux's USER_HZ, 100 everywhere it runs). */
const TICKS = 100;

/** Every process in the tree under `root` (itself included), from /proc. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const all: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    all.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return all;
}

/** CPU seconds (user + system) used so far by the tree under `root`. */
function cpuSeconds(root: number): number {
  let ticks = 0;
  for (const pid of processTree(root)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    } catch {
      // exited
    }
  }
  return ticks / TICKS;
}

/** The Chromium whose command line carries `tag` (Playwright does not give the launched browser's pid). */
function browserPid(tag: string): number {
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes(tag) && !cmdline.includes("--type=")) return Number(entry);
    } catch {
      // gone
    }
  }
  throw new Error(`no Chromium with ${tag} on its command line`);
}

async function launch(tag: string, extra: string[]): Promise<{ browser: Browser; pid: number }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...FAKE_MEDIA_ARGS, ...extra, `--bench-tag=${tag}`] });
  onCleanup(`close the ${tag} browser`, () => browser.close());
  return { browser, pid: browserPid(`--bench-tag=${tag}`) };
}

async function join(page: Page, baseUrl: string, path: string, pin: string) {
  // In English whatever the clinic's language, so the labels below are found.
  await page.goto(`${baseUrl}${path}${path.includes("?") ? "&" : "?"}language=en`);
  await page.getByLabel("6-digit PIN").fill(pin, { timeout: 15_000 }).catch(async (error: unknown) => {
    throw new Error(`no PIN form at ${path}: the page says ${(await page.locator("main").innerText()).slice(0, 300)}`, { cause: error });
  });
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByTestId("join-call").click({ timeout: 60_000 });
  await page.getByTestId("call-state").waitFor();
}

/** Counts the frames the provider's own view shows (the sent track) with requestVideoFrameCallback, from now on. */
async function startCountingShownFrames(page: Page): Promise<void> {
  // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
  await page.evaluate(`(() => {
    const video = document.querySelector('[data-testid="local-video"]');
    window.__shown = 0;
    const count = () => { window.__shown += 1; video.requestVideoFrameCallback(count); };
    video.requestVideoFrameCallback(count);
  })()`);
}

const shownFrames = (page: Page) => page.evaluate(() => (window as unknown as { __shown: number }).__shown);

const decodedFrames = (page: Page) =>
  page.evaluate(async () => {
    let frames = 0;
    for (const pc of (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections) {
      if (pc.connectionState === "closed") continue;
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type === "inbound-rtp" && s.kind === "video") frames += Number(s.framesDecoded ?? 0);
      });
    }
    return frames;
  });

async function choose(page: Page, mode: Mode): Promise<void> {
  await page.getByTestId("change-background").click();
  const option = mode === "image" ? page.locator('[data-testid^="background-image-"]').first() : page.getByTestId(`background-${mode}`);
  await option.click();
  await page.locator(`[data-testid="background-picker"][data-status="${mode === "none" ? "off" : "on"}"]`).waitFor({ timeout: 60_000 });
  await page.getByTestId("background-done").click();
}

async function main(): Promise<void> {
  const build = existingBuild(distDir);
  if (!build) throw new Error(`no production build in ${distDir}: run \`npx next build\` first`);
  if (build.newerSource) console.log(`warning: ${build.newerSource} is newer than the build in ${distDir}`);

  const server = await testServerAdminUrl((line) => console.log(line));
  onCleanup("stop the test PostgreSQL server (if this run started it)", server.stop);
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  onCleanup("close the admin connection", () => admin.end({ timeout: 5 }));
  const facts = await machineFacts(admin, server.adminUrl);
  const database = await scratchDatabase(admin, server.adminUrl, "background");
  const port = await freePort();
  // APP_URL on loopback http: a secure context for the camera, and session cookies without `Secure`.
  const { baseUrl } = await startAppServer(
    { ...process.env, NODE_ENV: "production", NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: database.url, APP_SECRET, SEED_DEMO: "true", APP_URL: `http://127.0.0.1:${port}` },
    port,
  );
  const authorization = await demoCredential(database.url, "bench-background");

  const form = new FormData();
  form.set("virtual_background", new Blob([new Uint8Array(await clinicBackgroundPng())], { type: "image/png" }), "clinic.png");
  const upload = await fetch(`${baseUrl}/api/settings/background-image`, { method: "POST", headers: { authorization }, body: form });
  if (upload.status !== 200) throw new Error(`POST /api/settings/background-image answered ${upload.status}: ${await upload.text()}`);

  const consultation = await createConsultation(baseUrl, authorization);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "bench-background-"));
  onCleanup("remove the fake camera", async () => fs.rmSync(scratch, { recursive: true, force: true }));
  const camera = await writePersonCamera(path.join(scratch, "person.y4m"));

  const provider = await launch("provider", [`--use-file-for-fake-video-capture=${camera.file}`]);
  const patient = await launch("patient", []);
  const trackPeers = `(() => { const O = window.RTCPeerConnection; window.__peerConnections = []; window.RTCPeerConnection = class extends O { constructor(...a) { super(...a); window.__peerConnections.push(this); } }; })();`;
  const providerPage = await (await provider.browser.newContext({ locale: "en-US" })).newPage();
  const patientContext = await patient.browser.newContext({ locale: "en-US" });
  await patientContext.addInitScript(trackPeers);
  const patientPage = await patientContext.newPage();
  await join(patientPage, baseUrl, consultation.patientPath, consultation.pin);
  await join(providerPage, baseUrl, consultation.providerPath, consultation.pin);
  await patientPage.locator('[data-call-state="active"]').waitFor({ timeout: 60_000 });
  const renderer = await providerPage.evaluate(() => {
    const gl = document.createElement("canvas").getContext("webgl2");
    const info = gl?.getExtension("WEBGL_debug_renderer_info");
    return gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : "no WebGL2";
  });

  const rows: { mode: Mode; shownFps: number; decodedFps: number; cpu: number; notice: string }[] = [];
  const loadedBefore = await providerPage.evaluate(() => performance.getEntriesByType("resource").length);
  let loaded = "";
  for (const mode of MODES) {
    await choose(providerPage, mode);
    if (mode === "blur") {
      // What turning a background on first downloads (none of it is on the join page before).
      const entries = await providerPage.evaluate(
        (from) => (performance.getEntriesByType("resource").slice(from) as PerformanceResourceTiming[]).map((e) => ({ name: e.name, size: e.encodedBodySize })),
        loadedBefore,
      );
      const kB = (filter: (name: string) => boolean) => Math.round(entries.filter((e) => filter(e.name)).reduce((sum, e) => sum + e.size, 0) / 1024);
      loaded = `scripts ${kB((n) => n.includes("/_next/static/") && n.endsWith(".js"))} kB, MediaPipe's loader ${kB((n) => n.includes("/api/background-effects/") && n.endsWith(".js"))} kB and WebAssembly ${kB((n) => n.endsWith(".wasm"))} kB, model ${kB((n) => n.endsWith(".tflite"))} kB (as sent, before the browser's cache)`;
    }
    await sleep(3000); // the effect's first frames (shaders, the model's first run) are not the call
    await startCountingShownFrames(providerPage);
    const decodedBefore = await decodedFrames(patientPage);
    const cpuBefore = cpuSeconds(provider.pid);
    const started = performance.now();
    await sleep(SECONDS * 1000);
    const seconds = (performance.now() - started) / 1000;
    const cpu = (cpuSeconds(provider.pid) - cpuBefore) / seconds;
    const shown = (await shownFrames(providerPage)) / seconds;
    const decoded = ((await decodedFrames(patientPage)) - decodedBefore) / seconds;
    const notice = (await providerPage.getByTestId("background-notice").textContent({ timeout: 500 }).catch(() => null)) ?? "";
    const status = mode === "none" ? "" : ` (${(await providerPage.getByTestId("change-background").getAttribute("data-background-on")) === "true" ? "on" : "turned off"})`;
    rows.push({ mode, shownFps: shown, decodedFps: decoded, cpu, notice: `${notice}${status}`.trim() });
    console.log(`${mode}: ${shown.toFixed(1)} fps shown, ${decoded.toFixed(1)} fps decoded, ${cpu.toFixed(2)} CPU s/s`);
  }

  const none = rows[0]!.cpu;
  console.log(`\nBackground effects on ${distDir} (build ${build.id}), ${SECONDS} s each, provider's Chromium: ${renderer}`);
  for (const fact of facts) console.log(fact);
  console.log(`Turning a background on loads: ${loaded}`);
  console.log(
    `\n${table(
      [
        ["background", "fps sent (shown)", "fps decoded by patient", "CPU s per s", "extra CPU s per s", "the effect said"],
        ...rows.map((r) => [r.mode, r.shownFps.toFixed(1), r.decodedFps.toFixed(1), r.cpu.toFixed(2), r.mode === "none" ? "-" : (r.cpu - none).toFixed(2), r.notice || "-"]),
      ],
      1,
    )}`,
  );
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());

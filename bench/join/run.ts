/**
 * Join benchmark: the time from pressing "Join call" to the first decoded remote video frame,
 * over BENCH_JOINS joins (default 20) between two Chromium pages on the production build, with
 * p50, p95 and max against the target (p50 under 1 s). Run by hand (`npm run bench:join`), not
 * in CI; see bench/join/README.md.
 *
 * Both ends of every figure are read inside the page with performance.now(): a capture-phase
 * click listener on the Join button, and requestVideoFrameCallback on the remote video
 * element. Playwright only drives the pages and collects the figures afterwards.
 *
 * BENCH_PEOPLE=3 (or more): a group call instead, made through `POST /api/teleconsultation`;
 * everyone but the last joins, then the time from the last person's Join to the last first
 * frame among all pages (every page decoding every other person), and the CPU that Chromium
 * (per person) and the app server use during a steady stretch of the full call.
 */
import { execFileSync } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import postgres from "postgres";
import { LOCALE_COOKIE } from "@/lib/i18n/locales";
import { freePort, testServerAdminUrl } from "@/test/postgres";
import { CHROMIUM_ARGS, FAKE_MEDIA_ARGS } from "../../e2e/chromium";
import { createConsultation, demoCredential, pathOf } from "../demo";
import { busyPercent, cleanUp, cleanUpOnSignals, hasExited, intFromEnv,  cpuTotals, newestSourceMtime, onCleanup, QUIET_PERCENT, quietMachine, scratchDatabase, ROOT, sleep, startChild, stopChild, table, wasInterrupted, percentile } from "../harness";
import { APP_SERVER_SCRIPT } from "@/server/command";

const TARGET_P50_MS = 1000;
/** Together mode: the slowest round (issue 19: simultaneous joins never wait for a watchdog). */
const TARGET_TOGETHER_MAX_MS = 2000;
/** Reload mode: the slowest round, back in the call both ways. */
const TARGET_RELOAD_MAX_MS = 2000;


/** 2: a consultation's provider and patient (the original bench); 3 or more: a group call in a room made through the teleconsultation API. */
const people = intFromEnv("BENCH_PEOPLE", 2, 2);

/**
 * `sequential` (default): one person in the call, the last presses Join. `together`: everyone
 * presses Join at once, or within BENCH_MAX_OFFSET_MS of each other. `reload`: two people in the
 * call, one reloads the page.
 */
const mode = (() => {
  const value = process.env.BENCH_MODE || "sequential";
  if (value !== "sequential" && value !== "together" && value !== "reload") throw new Error(`BENCH_MODE must be sequential, together or reload (got "${value}")`);
  if (value === "reload" && people !== 2) throw new Error("BENCH_MODE=reload is for two people (BENCH_PEOPLE=2)");
  return value;
})();

const settings = {
  people,
  mode,
  joins: intFromEnv("BENCH_JOINS", mode === "together" ? 50 : people > 2 ? 5 : 20),
  /** Together mode: each press comes 0 to this many ms after the first (uniformly at random; 0: all at the same moment). */
  maxOffsetMs: intFromEnv("BENCH_MAX_OFFSET_MS", 500, 0),
  /**
   * Together mode: a browser of its own for each person, as people have (default with 3 or more):
   * the pages of one browser share its GPU and capture processes, and with three calls starting
   * at once there every camera stalls for about 2.5 s. `0`: one browser, a context each.
   */
  browserPerPerson: process.env.BENCH_BROWSER_PER_PERSON ? process.env.BENCH_BROWSER_PER_PERSON === "1" : mode === "together" && people > 2,
  /** Reload mode: how long the call runs (both pages showing each other) before the reload. */
  inCallMs: intFromEnv("BENCH_IN_CALL_MS", 1000, 0),
  warmup: intFromEnv("BENCH_WARMUP_JOINS", 1, 0),
  distDir: process.env.NEXT_DIST_DIR || ".next",
  /** Admin connection to create and drop the bench database; else the tests' server (TEST_DATABASE_URL or the embedded one). */
  adminUrl: process.env.BENCH_DATABASE_URL || undefined,
  /** Time on the device check before pressing Join, as a person would take (also lets the page settle). */
  settleMs: intFromEnv("BENCH_SETTLE_MS", 500, 0),
  /** How long one join may take to show the first remote frame before it counts as failed. */
  timeoutMs: intFromEnv("BENCH_JOIN_TIMEOUT_MS", 30_000),
  /** Before each join, wait up to this many seconds for the CPUs to be nearly idle (0: don't wait). */
  quietWait: intFromEnv("BENCH_QUIET_WAIT", 30, 0),
  chromium: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  /** More Chromium switches, space-separated (e.g. logging switches while investigating). */
  chromiumArgs: (process.env.BENCH_CHROMIUM_ARGS ?? "").split(/\s+/).filter(Boolean),
  /** Print both pages' event timelines for every join (always printed for a failed join), and poll WebRTC stats every 20 ms for them. */
  trace: process.env.BENCH_TRACE === "true" || process.env.BENCH_TRACE === "1",
  /** Group mode: once everyone sees everyone, wait this long, then measure CPU use over BENCH_CPU_WINDOW_MS. */
  cpuSettleMs: intFromEnv("BENCH_CPU_SETTLE_MS", 2000, 0),
  cpuWindowMs: intFromEnv("BENCH_CPU_WINDOW_MS", 10_000),
};

cleanUpOnSignals("closing the browser, stopping the server and dropping the benchmark database");

// ---------------------------------------------------------------------------------------
// The production build: required, never made here.

function checkBuild(): string {
  const buildId = path.join(ROOT, settings.distDir, "BUILD_ID");
  if (!fs.existsSync(buildId)) {
    const how =
      settings.distDir === ".next"
        ? "npx next build"
        : `NEXT_DIST_DIR=${settings.distDir} npx next build && git checkout tsconfig.json   # a custom distDir rewrites tsconfig.json`;
    throw new Error(`no production build in ${settings.distDir} (${buildId} is missing). Build it first:\n  ${how}\nor point NEXT_DIST_DIR at an existing build.`);
  }
  const built = fs.statSync(buildId).mtimeMs;
  const newest = newestSourceMtime();
  const id = fs.readFileSync(buildId, "utf8").trim();
  const when = new Date(built).toISOString().replace(/\.\d+Z$/, "Z");
  if (newest.mtime > built) {
    console.log(`warning: ${newest.file} is newer than ${settings.distDir}/BUILD_ID: the build may not match the sources`);
    return `${settings.distDir} (build ${id}, ${when}; sources changed since)`;
  }
  return `${settings.distDir} (build ${id}, ${when})`;
}

// ---------------------------------------------------------------------------------------
// The server: the app as `npm start` runs it, on a database of its own.

async function createDatabase(): Promise<{ url: string; name: string }> {
  let adminUrl = settings.adminUrl;
  if (!adminUrl) {
    const server = await testServerAdminUrl((line) => console.log(line));
    onCleanup("stop the test PostgreSQL server (if this run started it)", server.stop);
    adminUrl = server.adminUrl;
  }
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  onCleanup("close the admin connection", () => admin.end({ timeout: 5 }));
  const { name, url } = await scratchDatabase(admin, adminUrl, "join");
  const [{ server_version: version }] = (await admin`show server_version`) as unknown as [{ server_version: string }];
  console.log(`Created database ${name} (PostgreSQL ${version} at ${new URL(adminUrl).host}).`);
  return { url, name };
}

async function startServer(databaseUrl: string): Promise<{ baseUrl: string; pid: number }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = startChild("app", [APP_SERVER_SCRIPT], {
    ...process.env,
    NODE_ENV: "production",
    NEXT_DIST_DIR: settings.distDir,
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: databaseUrl,
    APP_SECRET: "bench-join-app-secret-that-is-at-least-32-characters",
    // http on loopback: a secure context for getUserMedia, and the session cookie is not `Secure`.
    APP_URL: baseUrl,
    PORT: String(port),
    HOST: "127.0.0.1",
    SEED_DEMO: "true",
  }, { echo: process.env.BENCH_SERVER_LOG === "1" });
  onCleanup("stop app server", () => stopChild(child));
  const started = performance.now();
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (hasExited(child)) throw new Error(`app server exited during start-up:\n${child.tail()}`);
    const status = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) }).then(
      async (r) => (await r.arrayBuffer(), r.status),
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() > deadline) throw new Error(`app server did not answer GET /api/health with 200 within 120 s:\n${child.tail()}`);
    await sleep(200);
  }
  console.log(`app server on ${baseUrl} (ready in ${((performance.now() - started) / 1000).toFixed(1)} s).`);
  return { baseUrl, pid: child.proc.pid! };
}


// ---------------------------------------------------------------------------------------
// In the page. A string, not a function: tsx's esbuild adds `__name` helpers to functions,
// which do not exist in the page.

/**
 * Installed before any of the app's scripts. Records, in the page's own performance.now():
 * the press of "Join call" (capture phase, before React sees the click), the realtime stream
 * opening and its first `hello` and `signal` events, the first RTCPeerConnection and when it
 * connects and gets a video track, when the remote <video> appears, and the first frame that
 * element presents (requestVideoFrameCallback). `__joinBench.result(ms)` waits for that frame
 * (at most ms) and returns everything as plain data.
 *
 * It also keeps a time line of the call's events (stream events, signaling and ICE states,
 * local candidates, refused candidates, failed requests), printed for a join that never shows
 * video. With BENCH_TRACE it adds WebRTC statistics polled every 20 ms, gaps in the frames of
 * every <video>, and stalls of the page's timers, and the time line is printed for every join.
 */
function inPage(trace: boolean): string {
  return `(() => {
  if (window.__joinBench) return;
  const TRACE = ${trace};
  const now = () => performance.now();
  const b = {
    joinAt: null, sseOpen: null, hello: null, firstSignal: null,
    peerCreated: null, connected: null, track: null, remoteVideo: null, frame: null, frames: {}, trace: [],
    // Every value data-call-state took, with when; and the first frame of every stream a remote <video> was given.
    states: [], sourceFrames: [],
  };
  const log = (what) => b.trace.push([now(), what]);
  let frameSeen;
  const framePromise = new Promise((resolve) => (frameSeen = resolve));
  // The first frame from each remote person (group calls): waiters re-check on every new one.
  const frameWaiters = [];
  const framesFrom = (n) => new Promise((resolve) => {
    const check = () => (Object.keys(b.frames).length >= n ? resolve() : frameWaiters.push(check));
    check();
  });
  Object.defineProperty(window, "__joinBench", { value: b });
  // Presses Join at an epoch time (ms): pages of one round press together, on the same clock.
  Object.defineProperty(b, "clickAt", {
    value: (epochMs) => setTimeout(() => document.querySelector('[data-testid="join-call"]').click(), Math.max(0, epochMs - (performance.timeOrigin + now()))),
  });

  addEventListener("click", (event) => {
    const target = event.target;
    if (target instanceof Element && target.closest('[data-testid="join-call"]')) {
      b.joinAt = now();
      log("Join pressed");
    }
  }, true);

  let peers = 0;
  const OriginalPC = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends OriginalPC {
    constructor(...args) {
      super(...args);
      const name = "pc" + ++peers;
      if (b.peerCreated === null) b.peerCreated = now();
      log(name + " created");
      this.addEventListener("connectionstatechange", () => {
        if (this.connectionState === "connected" && b.connected === null) b.connected = now();
        log(name + " connection " + this.connectionState);
      });
      this.addEventListener("track", (event) => {
        if (event.track.kind === "video" && b.track === null) b.track = now();
        log(name + " track " + event.track.kind);
      });
      this.addEventListener("signalingstatechange", () => log(name + " signaling " + this.signalingState));
      this.addEventListener("iceconnectionstatechange", () => log(name + " ice " + this.iceConnectionState));
      this.addEventListener("icegatheringstatechange", () => log(name + " gathering " + this.iceGatheringState));
      this.addEventListener("icecandidate", (event) => log(name + " local " + (event.candidate ? "candidate " + (event.candidate.type || "") + " " + (event.candidate.protocol || "") : "end-of-candidates")));
      if (TRACE) this.pollStats(name);
    }
    addIceCandidate(...args) {
      return super.addIceCandidate(...args).catch((error) => {
        log("addIceCandidate failed: " + error.message);
        throw error;
      });
    }
    pollStats(name) {
      const seen = {};
      const keys = {
        "inbound-rtp": ["packetsReceived", "framesReceived", "framesDecoded", "keyFramesDecoded", "pliCount", "firCount", "nackCount"],
        "outbound-rtp": ["packetsSent", "framesEncoded", "keyFramesEncoded", "framesSent", "pliCount", "firCount"],
        "transport": ["dtlsState"],
      };
      const timer = setInterval(async () => {
        if (this.connectionState === "closed") return clearInterval(timer);
        const stats = await this.getStats().catch(() => null);
        stats?.forEach((s) => {
          if (!keys[s.type] && s.type !== "candidate-pair") return;
          if (s.type === "candidate-pair") {
            if (s.nominated && s.availableOutgoingBitrate !== seen.bwe) { seen.bwe = s.availableOutgoingBitrate; log(name + " availableOutgoingBitrate=" + s.availableOutgoingBitrate); }
            return;
          }
          if (s.kind === "audio") {
            const key = s.type + "audio";
            const value = s.packetsReceived || s.packetsSent || 0;
            if (value > 0 && !seen[key]) { seen[key] = 1; log(name + " " + s.type + " audio packets=" + value); }
            return;
          }
          const prefix = name + " " + (s.type === "inbound-rtp" ? "in " : s.type === "outbound-rtp" ? "out " : "");
          const impl = s.encoderImplementation || s.decoderImplementation;
          if (impl && seen[s.type + "impl"] !== impl) {
            seen[s.type + "impl"] = impl;
            log(prefix + "codec " + (stats.get(s.codecId)?.mimeType ?? "?") + " " + impl);
          }
          const size = s.frameWidth ? " " + s.frameWidth + "x" + s.frameHeight : "";
          for (const key of keys[s.type]) {
            const value = s[key];
            const id = s.type + key;
            if (value === undefined || value === 0 || value === seen[id]) continue;
            const first = seen[id] === undefined;
            const counter = /pli|fir|nack|keyFrames/.test(key);
            if (first || counter || key === "dtlsState") log(prefix + key + "=" + value + size + (s.qualityLimitationReason && s.qualityLimitationReason !== "none" ? " limited by " + s.qualityLimitationReason : ""));
            seen[id] = value;
          }
        });
      }, 20);
    }
  };

  const OriginalES = window.EventSource;
  window.EventSource = class extends OriginalES {
    constructor(...args) {
      super(...args);
      this.addEventListener("open", () => { if (b.sseOpen === null) b.sseOpen = now(); log("SSE open"); });
      this.addEventListener("error", () => log("SSE error, readyState " + this.readyState));
      this.addEventListener("hello", () => { if (b.hello === null) b.hello = now(); });
      this.addEventListener("signal", () => { if (b.firstSignal === null) b.firstSignal = now(); });
      for (const kind of ["hello", "presence", "signal", "media", "room-ended", "rejoin"]) {
        this.addEventListener(kind, (message) => {
          let detail = "";
          try {
            const data = JSON.parse(message.data);
            if (kind === "signal") detail = data.kind === "description" ? data.description.type : data.candidate ? "candidate" : "end-of-candidates";
            if (kind === "presence") detail = data.state;
            if (kind === "hello") detail = data.participants.length + " present";
          } catch {}
          log("SSE " + kind + (message.lastEventId ? "#" + message.lastEventId : "") + (detail ? " " + detail : ""));
        });
      }
    }
  };

  if (TRACE) {
    let last = now();
    setInterval(() => {
      const t = now();
      if (t - last > 150) log("page timers stalled for " + (t - last).toFixed(0) + " ms");
      last = t;
    }, 50);
  }

  const originalFetch = window.fetch;
  window.fetch = (...args) => originalFetch(...args).then((response) => {
    if (!response.ok) log("fetch " + String(args[0]).split("?")[0] + " answered " + response.status);
    return response;
  }, (error) => {
    log("fetch " + String(args[0]).split("?")[0] + " failed: " + error.message);
    throw error;
  });

  const srcObject = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, "srcObject");
  Object.defineProperty(HTMLMediaElement.prototype, "srcObject", {
    ...srcObject,
    set(value) {
      if (this.dataset && this.dataset.testid === "remote-video") {
        log("remote srcObject set (" + (value ? value.getTracks().map((t) => t.kind).join("+") : "null") + ")");
        value?.addEventListener?.("addtrack", (event) => log("remote stream addtrack " + event.track.kind));
        if (value && value !== srcObject.get.call(this)) {
          this.requestVideoFrameCallback((_, meta) => {
            const who = this.closest("[data-remote-participant]")?.getAttribute("data-remote-participant") || "?";
            b.sourceFrames.push({ at: now(), who, width: meta.width, height: meta.height });
            log("first frame of a new remote stream " + meta.width + "x" + meta.height);
          });
        }
      }
      srcObject.set.call(this, value);
    },
  });

  const watched = new WeakSet();
  const watch = (video) => {
    if (watched.has(video)) return;
    watched.add(video);
    if (b.remoteVideo === null) b.remoteVideo = now();
    log("remote video element");
    for (const type of ["loadedmetadata", "loadeddata", "playing", "resize", "waiting", "pause"]) {
      video.addEventListener(type, () => log("remote video " + type + (type === "resize" ? " " + video.videoWidth + "x" + video.videoHeight : "")));
    }
    video.requestVideoFrameCallback((callbackNow, meta) => {
      const at = now();
      const who = video.closest("[data-remote-participant]")?.getAttribute("data-remote-participant") || "?";
      if (!b.frames[who]) {
        b.frames[who] = { at, width: meta.width, height: meta.height };
        if (b.frame) log("first frame presented from another person " + meta.width + "x" + meta.height);
        frameWaiters.splice(0).forEach((check) => check());
      }
      if (b.frame) return;
      log("first remote frame presented " + meta.width + "x" + meta.height);
      b.frame = {
        at, callbackNow,
        presentationTime: meta.presentationTime, expectedDisplayTime: meta.expectedDisplayTime,
        receiveTime: meta.receiveTime ?? null, width: meta.width, height: meta.height,
      };
      frameSeen();
    });
  };
  // Trace: gaps in the frames each <video> presents (the local camera too, to tell a stalled
  // capture from a stalled call).
  const gaps = new WeakSet();
  const watchGaps = (video, label) => {
    if (gaps.has(video)) return;
    gaps.add(video);
    let last = null;
    const onFrame = (t, meta) => {
      const at = now();
      if (last !== null && at - last > 150) log(label + " video: no frame for " + (at - last).toFixed(0) + " ms");
      if (last === null) log(label + " video: first frame " + meta.width + "x" + meta.height);
      last = at;
      if (video.isConnected) video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  let lastState = null;
  new MutationObserver(() => {
    const state = document.querySelector("[data-call-state]")?.getAttribute("data-call-state") ?? null;
    if (state !== lastState) {
      lastState = state;
      if (state) { b.states.push([now(), state]); log("call state " + state); }
    }
    document.querySelectorAll('video[data-testid="remote-video"]').forEach(watch);
    if (TRACE) {
      document.querySelectorAll('video[data-testid="local-video"]').forEach((v) => watchGaps(v, "local (call)"));
      document.querySelectorAll('video[aria-label="Your camera preview"]').forEach((v) => watchGaps(v, "local (preview)"));
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-call-state"] });

  Object.defineProperty(b, "result", {
    value: (timeoutMs, remotes = 1) => Promise.race([remotes > 1 ? framesFrom(remotes) : framePromise, new Promise((resolve) => setTimeout(resolve, timeoutMs))]).then(() => {
      const room = performance.getEntriesByType("resource").find((e) => e.name.includes("/video-room?"));
      const navigation = performance.getEntriesByType("navigation")[0];
      return JSON.parse(JSON.stringify({ ...b, roomJoined: room ? room.responseEnd : null, timeOrigin: performance.timeOrigin, loaded: navigation ? navigation.domContentLoadedEventEnd : null }));
    }),
  });
})();`;
}

type PageFigures = {
  joinAt: number | null;
  sseOpen: number | null;
  hello: number | null;
  firstSignal: number | null;
  peerCreated: number | null;
  connected: number | null;
  track: number | null;
  remoteVideo: number | null;
  roomJoined: number | null;
  frame: { at: number; callbackNow: number; presentationTime: number; expectedDisplayTime: number; receiveTime: number | null; width: number; height: number } | null;
  /** The first frame presented from each remote person, by their tile's `data-remote-participant`. */
  frames: Record<string, { at: number; width: number; height: number }>;
  /** Every value the page's data-call-state took, with when. */
  states: [number, string][];
  /** The first frame of every stream a remote <video> was given (a reconnection gives a new one). */
  sourceFrames: { at: number; who: string; width: number; height: number }[];
  /** DOMContentLoaded ended (the page's own time). */
  loaded: number | null;
  timeOrigin: number;
  trace: [number, string][];
};

/** The page's figures once it has presented a frame from `remotes` different people (or after timeoutMs). */
async function figures(page: Page, timeoutMs: number, remotes = 1): Promise<PageFigures> {
  return (await page.evaluate(`window.__joinBench.result(${timeoutMs}, ${remotes})`)) as PageFigures;
}

// ---------------------------------------------------------------------------------------
// One join.

type Sample = {
  index: number;
  warmup: boolean;
  /** Join pressed on the patient's page to the first remote frame presented there; null: none within the timeout. */
  patientMs: number | null;
  /** For a join without a frame: the patient's call state when the wait ended. */
  stuckIn?: string;
  /** The same press to the first remote frame on the provider's page (across pages: timeOrigin + now). */
  providerMs: number | null;
  /** Patient's page, ms after Join. */
  steps: { roomJoined: number | null; sseOpen: number | null; hello: number | null; peerCreated: number | null; firstSignal: number | null; connected: number | null; track: number | null };
  /** Which page rolled its own offer back because both offered at once ("perfect negotiation" glare), if any. */
  rollback: string;
  /** CPUs busy over the second before the join began (nothing of ours running but the idle server). */
  busyBefore: number;
  /** CPUs busy while the patient sat on the device check just before pressing Join (our two pages running). */
  busyAtJoin: number;
  frameSize: string;
};

/** Opens a join link in a context of its own (added to `opened`, for the caller to close), types the PIN if there is one, and waits for the device check. */
async function openParticipant(
  browser: Browser,
  opened: { who: string; context: BrowserContext; errors: string[] }[],
  who: string,
  baseUrl: string,
  urlPath: string,
  pin: string | undefined,
): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 720 } });
  // The labels it looks for are English; the demo clinic speaks Spanish: the person's own choice wins (lib/i18n/locales.ts).
  await context.addCookies([{ name: LOCALE_COOKIE, value: "en", url: baseUrl }]);
  const errors: string[] = [];
  opened.push({ who, context, errors });
  await context.addInitScript(inPage(settings.trace));
  const page = await context.newPage();
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") errors.push(`console.${message.type()}: ${message.text()}`);
  });
  await page.goto(urlPath);
  if (pin !== undefined) {
    await page.getByLabel("6-digit PIN").fill(pin);
    await page.getByRole("button", { name: "Continue" }).click();
  }
  // Enabled once the device check has the (fake) camera and microphone.
  await page.locator('[data-testid="join-call"]:enabled').waitFor({ timeout: 15_000 });
  return page;
}

/** /proc/stat's first line: [busy, steal, total] jiffies. */
function procStat(): [number, number, number] {
  const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields as [number, number, number, number, number, number, number, number];
  const busy = user + nice + system + irq + softirq;
  return [busy, steal, busy + steal + idle + iowait];
}

/** Machine CPU use every 100 ms until stopped (trace mode), as "busy(steal)" figures. */
function sampleCpu(): { stop: () => string } {
  const out: string[] = [];
  let last = procStat();
  const timer = setInterval(() => {
    const next = procStat();
    const total = next[2] - last[2] || 1;
    out.push(`${((100 * (next[0] - last[0])) / total).toFixed(0)}${next[1] > last[1] ? `(${((100 * (next[1] - last[1])) / total).toFixed(0)})` : ""}`);
    last = next;
  }, 100);
  return {
    stop: () => {
      clearInterval(timer);
      return out.join(" ");
    },
  };
}

/** One of the page's peer connections went have-local-offer -> stable -> have-remote-offer: it rolled its offer back for the other's. */
function rolledBack(page: PageFigures): boolean {
  const byConnection = new Map<string, string[]>();
  for (const [, what] of page.trace) {
    const match = /^(pc\d+) signaling (.*)$/.exec(what);
    if (match) byConnection.set(match[1]!, [...(byConnection.get(match[1]!) ?? []), match[2]!]);
  }
  return [...byConnection.values()].some((states) => states.some((state, i) => state === "have-local-offer" && states[i + 1] === "stable" && states[i + 2] === "have-remote-offer"));
}

/** The pages' events on one time line: ms after `zero` (an epoch time; each page's own times go through its timeOrigin). */
function printTimeline(heading: string, zero: number, pages: { label: string; figures: PageFigures }[]): void {
  const events = pages
    .flatMap(({ label, figures: f }) => f.trace.map(([t, what]) => ({ at: f.timeOrigin + t - zero, line: `${label} ${what}` })))
    .filter((e) => e.at > -60_000)
    .sort((a, b) => a.at - b.at);
  console.log(`  ${heading}`);
  for (const e of events) console.log(`  ${e.at.toFixed(1).padStart(9)}  ${e.line}`);
}

async function oneJoin(browser: Browser, baseUrl: string, authorization: string, index: number, warmup: boolean): Promise<Sample> {
  const busyBefore = settings.quietWait > 0 ? await quietMachine(settings.quietWait) : 0;
  const consultation = await createConsultation(baseUrl, authorization);
  const opened: { who: string; context: BrowserContext; errors: string[] }[] = [];
  try {
    // The provider joins first and waits in the call.
    const provider = await openParticipant(browser, opened, "provider", baseUrl, consultation.providerPath, consultation.pin);
    await provider.getByTestId("join-call").click();
    await provider.locator('[data-call-state="waiting"]').waitFor({ timeout: 15_000 });

    // The patient passes the PIN and the device check, then presses Join.
    const patient = await openParticipant(browser, opened, "patient", baseUrl, consultation.patientPath, consultation.pin);
    const cpuBefore = cpuTotals();
    await sleep(settings.settleMs);
    const busyAtJoin = busyPercent(cpuBefore, cpuTotals());
    const cpuSeries = settings.trace ? sampleCpu() : undefined;
    await patient.getByTestId("join-call").click();

    const [p, q] = await Promise.all([figures(patient, settings.timeoutMs), figures(provider, settings.timeoutMs)]);
    if (cpuSeries) console.log(`  CPU busy% (steal%) per 100 ms from just before Join: ${cpuSeries.stop()}`);
    if (p.joinAt === null) throw new Error("the press of Join was not recorded on the patient's page");
    if (settings.trace || !p.frame) {
      printTimeline(`time line of ${warmup ? "warm-up " : ""}join ${index} (ms after the patient pressed Join):`, p.timeOrigin + p.joinAt, [
        { label: "patient  ", figures: p },
        { label: "  provider", figures: q },
      ]);
    }
    let stuckIn: string | undefined;
    if (!p.frame) {
      stuckIn = (await patient.locator("[data-call-state]").getAttribute("data-call-state").catch(() => null)) ?? "unknown";
      console.log(`  ${warmup ? "warm-up " : ""}join ${index}: no remote frame on the patient's page within ${settings.timeoutMs} ms (call state "${stuckIn}"); its time line is above.`);
    }
    const since = (t: number | null) => (t === null ? null : t - p.joinAt!);
    return {
      index,
      warmup,
      patientMs: p.frame ? p.frame.at - p.joinAt : null,
      stuckIn,
      providerMs: q.frame ? q.timeOrigin + q.frame.at - (p.timeOrigin + p.joinAt) : null,
      steps: {
        roomJoined: since(p.roomJoined),
        sseOpen: since(p.sseOpen),
        hello: since(p.hello),
        peerCreated: since(p.peerCreated),
        firstSignal: since(p.firstSignal),
        connected: since(p.connected),
        track: since(p.track),
      },
      rollback: [rolledBack(p) ? "patient" : "", rolledBack(q) ? "provider" : ""].filter(Boolean).join("+") || "-",
      busyBefore,
      busyAtJoin,
      frameSize: p.frame ? `${p.frame.width}x${p.frame.height}` : "-",
    };
  } catch (error) {
    const messages = opened.flatMap(({ who, errors }) => errors.map((e) => `${who} ${e}`));
    if (messages.length > 0) console.log(`  page messages:\n    ${messages.slice(-20).join("\n    ")}`);
    throw error;
  } finally {
    for (const { context } of opened.reverse()) await context.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------
// Report.

const ms = (v: number | null) => (v === null ? "-" : v.toFixed(0));
/** A join that never showed a frame sorts last and prints as "never". */
const msOrNever = (v: number) => (v === Infinity ? "never" : `${v.toFixed(0)} ms`);

function sampleRow(s: Sample): string[] {
  return [
    s.warmup ? `w${s.index}` : String(s.index),
    s.patientMs === null ? "never" : ms(s.patientMs),
    s.patientMs === null && s.providerMs === null ? "never" : ms(s.providerMs),
    ms(s.steps.roomJoined),
    ms(s.steps.sseOpen),
    ms(s.steps.hello),
    ms(s.steps.peerCreated),
    ms(s.steps.firstSignal),
    ms(s.steps.connected),
    ms(s.steps.track),
    s.frameSize,
    s.rollback,
    `${s.busyBefore.toFixed(0)}%`,
    `${s.busyAtJoin.toFixed(0)}%`,
  ];
}

const HEADER = ["join", "patient ms", "provider ms", "room PUT", "SSE open", "hello", "peer", "1st signal", "connected", "track", "frame", "rolled back", "busy before", "busy at Join"];

function summary(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const never = sorted.filter((v) => v === Infinity).length;
  return (
    `${label.padEnd(48)} p50 ${msOrNever(percentile(sorted, 50)).padStart(8)}   p95 ${msOrNever(percentile(sorted, 95)).padStart(8)}` +
    `   max ${msOrNever(sorted.at(-1)!).padStart(8)}   (n=${sorted.length}${never > 0 ? `, ${never} never` : ""})`
  );
}

// ---------------------------------------------------------------------------------------
// Group mode (BENCH_PEOPLE >= 3): a room made through the teleconsultation API; everyone but
// the last person joins and sees the others, then the last one presses Join.

type GroupPerson = { label: string; userExternalId: string; groups: string[]; fullName: string };

/** A doctor (the host: privilege plus), a patient and interpreters (group customer), new in every round. */
function groupPeople(): GroupPerson[] {
  const tag = randomBytes(4).toString("hex");
  return Array.from({ length: settings.people }, (_, i) => {
    const label = i === 0 ? "doctor" : i === 1 ? "patient" : settings.people === 3 ? "interpreter" : `interpreter${i - 1}`;
    const group = i === 0 ? "doctor" : i === 1 ? "patient" : "customer";
    const fullName = i === 0 ? "Dr. Ana Martínez" : i === 1 ? "María García López" : `Luca Bianchi ${i - 1}`;
    return { label, userExternalId: `bench-${label}-${tag}`, groups: [group], fullName };
  });
}

/** `POST /api/teleconsultation` for these people, starting a minute ago; then each person's link (`GET /api/teleconsultation/{roomId}` as them). */
async function createGroupRoom(baseUrl: string, authorization: string, persons: GroupPerson[]): Promise<string[]> {
  const response = await fetch(`${baseUrl}/api/teleconsultation`, {
    method: "POST",
    headers: { authorization, "content-type": "application/json" },
    body: JSON.stringify({
      participants: { number: persons.length, data: persons.map(({ userExternalId, groups, fullName }) => ({ userExternalId, groups, fullName })) },
      start_date: new Date(Date.now() - 60_000).toISOString(),
      duration_in_seconds: 1800,
    }),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /api/teleconsultation answered ${response.status}: ${text}`);
  const { roomId } = JSON.parse(text) as { roomId: string };
  const paths: string[] = [];
  for (const person of persons) {
    const room = await fetch(`${baseUrl}/api/teleconsultation/${roomId}`, { headers: { authorization, "x-user-id": person.userExternalId } });
    const body = await room.text();
    if (room.status !== 200) throw new Error(`GET /api/teleconsultation/${roomId} as the ${person.label} answered ${room.status}: ${body}`);
    const { accessLinkURL } = JSON.parse(body) as { accessLinkURL: string | null };
    if (!accessLinkURL) throw new Error(`GET /api/teleconsultation/${roomId} gave the ${person.label} no accessLinkURL: ${body}`);
    paths.push(pathOf(accessLinkURL));
  }
  return paths;
}

// CPU time of process trees: utime + stime of every process, from /proc/<pid>/stat, in clock ticks.

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

type ProcSnapshot = Map<number, { ppid: number; ticks: number; name: string }>;

function procSnapshot(): ProcSnapshot {
  const out: ProcSnapshot = new Map();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    const close = stat.lastIndexOf(")");
    // After "pid (comm) ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime ...
    const fields = stat.slice(close + 2).split(" ");
    out.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), name: stat.slice(stat.indexOf("(") + 1, close) });
  }
  return out;
}

/** `roots` and every process under them. */
function processTree(snapshot: ProcSnapshot, roots: number[]): Set<number> {
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of snapshot) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const out = new Set<number>(roots.filter((pid) => snapshot.has(pid)));
  const queue = [...out];
  while (queue.length > 0) {
    for (const child of children.get(queue.pop()!) ?? []) {
      out.add(child);
      queue.push(child);
    }
  }
  return out;
}

/** Chromium's processes: the browser Playwright started (a child of this process) and everything under it. */
function chromiumTree(snapshot: ProcSnapshot): Set<number> {
  const roots = [...snapshot].filter(([, p]) => p.ppid === process.pid && /chrom/i.test(p.name)).map(([pid]) => pid);
  return processTree(snapshot, roots);
}

/** CPU ms used between two snapshots by the processes in `pids` (as alive at the second; one that started meanwhile counts from 0). */
function cpuMsBetween(before: ProcSnapshot, after: ProcSnapshot, pids: Set<number>): number {
  let ticks = 0;
  for (const pid of pids) ticks += (after.get(pid)?.ticks ?? 0) - (before.get(pid)?.ticks ?? 0);
  return (ticks * 1000) / CLOCK_TICKS;
}

type GroupSample = {
  index: number;
  warmup: boolean;
  /** The last person's Join to the last first frame among all pages (every page has decoded everyone); null: some page did not within the timeout. */
  allMs: number | null;
  /** Per person's page: the last person's Join to the last first frame that page had to show (the last person's page: everyone's; the others: the last person's). */
  pageMs: (number | null)[];
  /** The last person's page, ms after Join. */
  steps: { hello: number | null; peerCreated: number | null; connected: number | null };
  /** Sizes of the first frames on the last person's page. */
  frameSizes: string;
  busyBefore: number;
  busyAtJoin: number;
  /** CPU over the window of the full call: Chromium's (all its processes) per person and the app server's, ms of CPU per s; the machine's busy share. */
  cpu: { chromiumPerPerson: number; server: number; busy: number; processes: number; full: boolean } | null;
  /** Whether the host's "End the call for everyone" ended it on the host's page. */
  ended: boolean;
};

async function oneGroupRound(browser: Browser, baseUrl: string, serverPid: number, authorization: string, index: number, warmup: boolean): Promise<GroupSample> {
  const busyBefore = settings.quietWait > 0 ? await quietMachine(settings.quietWait) : 0;
  const persons = groupPeople();
  const paths = await createGroupRoom(baseUrl, authorization, persons);
  const opened: { who: string; context: BrowserContext; errors: string[] }[] = [];
  const pages: Page[] = [];
  try {
    // Everyone but the last joins, the host first (it waits alone) ...
    for (let i = 0; i < persons.length - 1; i++) {
      const page = await openParticipant(browser, opened, persons[i]!.label, baseUrl, paths[i]!, undefined);
      await page.getByTestId("join-call").click();
      if (i === 0) await page.locator('[data-call-state="waiting"]').waitFor({ timeout: 15_000 });
      pages.push(page);
    }
    // ... and they see each other before the last person comes.
    const before = await Promise.all(pages.map((page) => figures(page, settings.timeoutMs, persons.length - 2)));
    before.forEach((f, i) => {
      const seen = Object.keys(f.frames).length;
      if (seen < persons.length - 2) throw new Error(`the ${persons[i]!.label}'s page showed ${seen} of the ${persons.length - 2} others within ${settings.timeoutMs} ms, before the last person joined`);
    });

    const newcomer = persons.at(-1)!;
    const last = await openParticipant(browser, opened, newcomer.label, baseUrl, paths.at(-1)!, undefined);
    pages.push(last);
    const cpuBefore = cpuTotals();
    await sleep(settings.settleMs);
    const busyAtJoin = busyPercent(cpuBefore, cpuTotals());
    await last.getByTestId("join-call").click();

    const after = await Promise.all(pages.map((page) => figures(page, settings.timeoutMs, persons.length - 1)));
    const l = after.at(-1)!;
    if (l.joinAt === null) throw new Error(`the press of Join was not recorded on the ${newcomer.label}'s page`);
    const zero = l.timeOrigin + l.joinAt;
    const pageMs = after.map((f, i) => {
      const seenBefore = new Set(Object.keys(before[i]?.frames ?? {}));
      const fresh = Object.entries(f.frames).filter(([who]) => !seenBefore.has(who));
      if (seenBefore.size + fresh.length < persons.length - 1) return null;
      return Math.max(...fresh.map(([, frame]) => f.timeOrigin + frame.at - zero));
    });
    const allMs = pageMs.some((v) => v === null) ? null : Math.max(...(pageMs as number[]));
    const width = Math.max(...persons.map((p) => p.label.length));
    if (settings.trace || allMs === null) {
      printTimeline(
        `time line of ${warmup ? "warm-up " : ""}round ${index} (ms after the ${newcomer.label} pressed Join):`,
        zero,
        persons.map((p, i) => ({ label: `${" ".repeat(2 * i)}${p.label.padEnd(width)}`, figures: after[i]! })),
      );
    }
    if (allMs === null) {
      const missing = persons.filter((_, i) => pageMs[i] === null).map((p) => p.label);
      console.log(`  ${warmup ? "warm-up " : ""}round ${index}: no first frame from everyone within ${settings.timeoutMs} ms on the page of: ${missing.join(", ")}; the time line is above.`);
    }

    // CPU during a steady stretch of the full call.
    let cpu: GroupSample["cpu"] = null;
    if (allMs !== null) {
      await sleep(settings.cpuSettleMs);
      const started = performance.now();
      const [s0, m0] = [procSnapshot(), cpuTotals()];
      await sleep(settings.cpuWindowMs);
      const [s1, m1] = [procSnapshot(), cpuTotals()];
      const seconds = (performance.now() - started) / 1000;
      const chromiumPids = chromiumTree(s1);
      const counts = await Promise.all(pages.map((page) => page.locator("[data-remote-participant]").count()));
      cpu = {
        chromiumPerPerson: cpuMsBetween(s0, s1, chromiumPids) / seconds / persons.length,
        server: cpuMsBetween(s0, s1, processTree(s1, [serverPid])) / seconds,
        busy: busyPercent(m0, m1),
        processes: chromiumPids.size,
        full: counts.every((n) => n === persons.length - 1),
      };
    }

    // The host ends the call for everyone.
    let ended = false;
    try {
      await pages[0]!.getByTestId("end-call").click({ timeout: 15_000 });
      await pages[0]!.getByRole("button", { name: "End the call for everyone" }).click({ timeout: 15_000 });
      await pages[0]!.locator('[data-call-state="ended"]').waitFor({ timeout: 10_000 });
      ended = true;
    } catch (error) {
      // Closing the contexts below ends it anyway.
      console.log(`  ${warmup ? "warm-up " : ""}round ${index}: the host could not end the call for everyone (${(error instanceof Error ? error.message : String(error)).split("\n")[0]}); closing the pages instead.`);
    }

    const since = (t: number | null) => (t === null ? null : t - l.joinAt!);
    return {
      index,
      warmup,
      allMs,
      pageMs,
      steps: { hello: since(l.hello), peerCreated: since(l.peerCreated), connected: since(l.connected) },
      frameSizes: Object.values(l.frames).map((f) => `${f.width}x${f.height}`).join("+") || "-",
      busyBefore,
      busyAtJoin,
      cpu,
      ended,
    };
  } catch (error) {
    const messages = opened.flatMap(({ who, errors }) => errors.map((e) => `${who} ${e}`));
    if (messages.length > 0) console.log(`  page messages:\n    ${messages.slice(-20).join("\n    ")}`);
    throw error;
  } finally {
    for (const { context } of opened.reverse()) await context.close().catch(() => {});
  }
}

function groupHeader(persons: GroupPerson[]): string[] {
  return ["round", "everyone ms", ...persons.map((p) => `${p.label} ms`), "hello", "peer", "1st connected", "frames", "busy before", "busy at Join", "Chromium ms/s per person", "server ms/s", "busy in window", "ended"];
}

function groupRow(s: GroupSample): string[] {
  const perS = (v: number | undefined) => (v === undefined ? "-" : v.toFixed(0));
  return [
    s.warmup ? `w${s.index}` : String(s.index),
    s.allMs === null ? "never" : ms(s.allMs),
    ...s.pageMs.map((v) => (v === null ? "never" : ms(v))),
    ms(s.steps.hello),
    ms(s.steps.peerCreated),
    ms(s.steps.connected),
    s.frameSizes,
    `${s.busyBefore.toFixed(0)}%`,
    `${s.busyAtJoin.toFixed(0)}%`,
    perS(s.cpu?.chromiumPerPerson),
    perS(s.cpu?.server),
    s.cpu ? `${s.cpu.busy.toFixed(0)}%` : "-",
    s.ended ? "yes" : "no",
  ];
}

/** p50, p95 and max of a CPU figure (ms of CPU per s of call). */
function cpuSummary(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const f = (v: number) => `${v.toFixed(0)} ms/s`.padStart(9);
  return `${label.padEnd(48)} p50 ${f(percentile(sorted, 50))}   p95 ${f(percentile(sorted, 95))}   max ${f(sorted.at(-1)!)}   (n=${sorted.length})`;
}

async function groupBench(browser: Browser, baseUrl: string, serverPid: number, authorization: string, build: string, databaseName: string): Promise<void> {
  const persons = groupPeople();
  const newcomer = persons.at(-1)!.label;
  console.log(
    `Group call of ${settings.people} (${persons.map((p) => p.label).join(", ")}): ${settings.joins} rounds` +
      (settings.warmup > 0 ? ` after ${settings.warmup} warm-up round${settings.warmup > 1 ? "s" : ""} (shown as w1.., not counted)` : "") +
      `; the ${newcomer} joins last, after ${settings.settleMs} ms on the device check.`,
  );
  console.log(
    `"everyone ms": the ${newcomer}'s Join -> the last first frame among all pages; "<person> ms": the same on that page. ` +
      `"hello" .. "frames": the ${newcomer}'s page. CPU over ${settings.cpuWindowMs / 1000} s of the full call, ${settings.cpuSettleMs / 1000} s after everyone saw everyone.\n`,
  );
  const header = groupHeader(persons);
  const { samples, rows, failures } = await runRounds("round", header, (index, warmup) => oneGroupRound(browser, baseUrl, serverPid, authorization, index, warmup), groupRow);
  if (wasInterrupted()) return;

  const measured = samples.filter((s) => !s.warmup);
  const title = `Group join benchmark (${settings.people} people): the last Join -> every page showing everyone`;
  const lines = ["", title, "=".repeat(title.length)];
  lines.push(`Build:   ${build}, app server, database ${databaseName}`);
  lines.push(`Chromium ${browser.version()}, headless, fake devices; ${settings.settleMs} ms on the device check before Join; "never": not every first frame within ${settings.timeoutMs} ms.`);
  lines.push("");
  lines.push(table(rows));
  lines.push("");
  if (measured.length > 0) {
    const all = measured.map((s) => s.allMs ?? Infinity);
    lines.push(summary(`everyone: ${newcomer}'s Join -> last first frame`, all));
    persons.forEach((p, i) => lines.push(summary(`  on the ${p.label}'s page`, measured.map((s) => s.pageMs[i] ?? Infinity))));
    const withCpu = measured.filter((s) => s.cpu !== null);
    if (withCpu.length > 0) {
      lines.push(cpuSummary(`Chromium CPU per person (all its processes / ${settings.people})`, withCpu.map((s) => s.cpu!.chromiumPerPerson)));
      lines.push(cpuSummary("app server CPU", withCpu.map((s) => s.cpu!.server)));
      const processes = [...new Set(withCpu.map((s) => s.cpu!.processes))].join(", ");
      lines.push(
        `CPU: utime + stime from /proc/<pid>/stat over ${settings.cpuWindowMs / 1000} s of the full call; Chromium = the browser Playwright launched and every process under it (${processes} processes),` +
          ` the server = the app (npm start) and its children; PostgreSQL is not counted. 1000 ms/s = one core.`,
      );
      const notFull = withCpu.filter((s) => !s.cpu!.full).length;
      if (notFull > 0) lines.push(`WARNING: in ${notFull} rounds a page no longer showed everyone at the end of the CPU window.`);
    }
    const never = measured.filter((s) => s.allMs === null).length;
    if (never > 0) lines.push(`NEVER: in ${never} of ${measured.length} rounds some page did not show everyone within ${settings.timeoutMs / 1000} s (no CPU figure for those rounds).`);
    const busy = measured.filter((s) => s.busyBefore > QUIET_PERCENT).length;
    if (busy > 0) {
      lines.push(`WARNING: other processes kept the CPUs over ${QUIET_PERCENT}% busy before ${busy} of ${measured.length} rounds ("busy before" column): those figures are high and noisy.`);
    }
    const p50 = percentile([...all].sort((a, b) => a - b), 50);
    lines.push(`For reference, the two-person target is p50 under ${TARGET_P50_MS} ms; here p50 is ${msOrNever(p50)} (${measured.length} rounds${failures.length > 0 ? `, ${failures.length} could not be run` : ""}).`);
  } else {
    lines.push("No round was measured.");
  }
  for (const failure of failures) lines.push(`FAILED ${failure}`);
  console.log(lines.join("\n"));
  if (failures.length > 0) process.exitCode = 1;
}

// ---------------------------------------------------------------------------------------

/** Runs the warm-up rounds then the measured ones, one after another, printing each row as it comes (aligned to the header's widths; the final table re-aligns). A round the bench could not drive is kept in `failures`; an interruption stops the loop. */
async function runRounds<S>(noun: string, header: string[], one: (index: number, warmup: boolean) => Promise<S>, row: (s: S) => string[]): Promise<{ samples: S[]; rows: string[][]; failures: string[] }> {
  const rows = [header];
  console.log(table([header]).split("\n").join("\n"));
  const samples: S[] = [];
  const failures: string[] = [];
  const total = settings.warmup + settings.joins;
  for (let i = 0; i < total; i++) {
    const warmup = i < settings.warmup;
    const index = warmup ? i + 1 : i - settings.warmup + 1;
    try {
      const sample = await one(index, warmup);
      samples.push(sample);
      rows.push(row(sample));
      const widths = header.map((h) => h.length);
      console.log(row(sample).map((cell, c) => cell.padStart(widths[c]!)).join("  "));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`${warmup ? "warm-up " : ""}${noun} ${index}: ${message}`);
      console.log(`${warmup ? "w" : ""}${index}: FAILED: ${message.split("\n")[0]}`);
      if (wasInterrupted()) break;
    }
  }
  return { samples, rows, failures };
}


// ---------------------------------------------------------------------------------------
// Together mode (BENCH_MODE=together): everyone opens their link and waits on the device check;
// then each page presses Join at a set moment, 0 to BENCH_MAX_OFFSET_MS after the first.

type TogetherSample = {
  index: number;
  warmup: boolean;
  /** Per person: ms after the first press that this person pressed Join. */
  offsets: number[];
  /** The last press to the moment every page showed a frame from every other person; null: not within the timeout. */
  allMs: number | null;
  /** The last press to the moment every page's connections with all the others were up (ICE and DTLS): the negotiation, before any video. */
  connectedMs: number | null;
  /** Per page: its own press to the first frame from the last of the others it shows. */
  pageMs: (number | null)[];
  /** Which pages rolled an offer of their own back for the other's (both offered at once). */
  rollback: string;
  busyBefore: number;
  busyAtJoin: number;
};

/** The people of a together round: a consultation's provider and patient (with the PIN), or a room's doctor, patient and interpreters. */
async function togetherPeople(baseUrl: string, authorization: string): Promise<{ label: string; path: string; pin?: string }[]> {
  if (settings.people === 2) {
    const consultation = await createConsultation(baseUrl, authorization);
    return [
      { label: "provider", path: consultation.providerPath, pin: consultation.pin },
      { label: "patient", path: consultation.patientPath, pin: consultation.pin },
    ];
  }
  const persons = groupPeople();
  const paths = await createGroupRoom(baseUrl, authorization, persons);
  return persons.map((person, i) => ({ label: person.label, path: paths[i]! }));
}

async function oneTogetherRound(browser: Browser, baseUrl: string, authorization: string, index: number, warmup: boolean): Promise<TogetherSample> {
  const busyBefore = settings.quietWait > 0 ? await quietMachine(settings.quietWait) : 0;
  const entries = await togetherPeople(baseUrl, authorization);
  const opened: { who: string; context: BrowserContext; errors: string[] }[] = [];
  // One browser per person (BENCH_BROWSER_PER_PERSON=1), as people have: pages of one browser share its GPU and capture processes.
  const own: Browser[] = [];
  try {
    const pages: Page[] = [];
    for (const entry of entries) {
      let mine = browser;
      if (settings.browserPerPerson) {
        mine = await chromium.launch({ executablePath: settings.chromium, args: [...CHROMIUM_ARGS, ...FAKE_MEDIA_ARGS, ...settings.chromiumArgs] });
        own.push(mine);
      }
      pages.push(await openParticipant(mine, opened, entry.label, baseUrl, entry.path, entry.pin));
    }
    const cpuBefore = cpuTotals();
    await sleep(settings.settleMs);
    const busyAtJoin = busyPercent(cpuBefore, cpuTotals());
    // One person at the first moment, the others 0..max ms later.
    const offsets = entries.map(() => randomInt(0, settings.maxOffsetMs + 1));
    offsets[randomInt(0, entries.length)] = 0;
    const first = Math.min(...offsets);
    for (let i = 0; i < offsets.length; i++) offsets[i]! -= first;
    const at = Date.now() + 300;
    await Promise.all(pages.map((page, i) => page.evaluate(`window.__joinBench.clickAt(${at + offsets[i]!})`)));
    const others = entries.length - 1;
    const all = await Promise.all(pages.map((page) => figures(page, settings.timeoutMs + settings.maxOffsetMs + 300, others)));
    all.forEach((f, i) => {
      if (f.joinAt === null) throw new Error(`the press of Join was not recorded on the ${entries[i]!.label}'s page`);
    });
    const pressed = all.map((f) => f.timeOrigin + f.joinAt!);
    // When each page showed everyone (epoch ms), or null.
    const sawEveryone = all.map((f) => {
      const firsts = Object.values(f.frames).map((frame) => f.timeOrigin + frame.at);
      return firsts.length >= others ? Math.max(...firsts) : null;
    });
    const lastPress = Math.max(...pressed);
    // When each page had a connection up with every other person (epoch ms), or null.
    const allConnected = all.map((f) => {
      const first = new Map<string, number>();
      for (const [t, what] of f.trace) {
        const pc = /^(pc\d+) connection connected$/.exec(what)?.[1];
        if (pc && !first.has(pc)) first.set(pc, f.timeOrigin + t);
      }
      const times = [...first.values()].sort((a, b) => a - b);
      return times.length >= others ? times[others - 1]! : null;
    });
    const connectedMs = allConnected.every((t) => t !== null) ? Math.max(...(allConnected as number[])) - lastPress : null;
    const allMs = sawEveryone.every((t) => t !== null) ? Math.max(...(sawEveryone as number[])) - lastPress : null;
    if (settings.trace || allMs === null) {
      printTimeline(
        `time line of ${warmup ? "warm-up " : ""}round ${index} (ms after the last press of Join):`,
        lastPress,
        all.map((f, i) => ({ label: entries[i]!.label.padStart(11), figures: f })),
      );
    }
    if (allMs === null) {
      const states = await Promise.all(pages.map((page) => page.locator("[data-call-state]").getAttribute("data-call-state").catch(() => null)));
      console.log(`  ${warmup ? "warm-up " : ""}round ${index}: not every page showed everyone within the timeout (call states: ${states.map((v, i) => `${entries[i]!.label} ${v ?? "?"}`).join(", ")}); the time line is above.`);
    }
    return {
      index,
      warmup,
      offsets,
      allMs,
      connectedMs,
      pageMs: sawEveryone.map((t, i) => (t === null ? null : t - pressed[i]!)),
      rollback: all.map((f, i) => (rolledBack(f) ? entries[i]!.label : "")).filter(Boolean).join("+") || "-",
      busyBefore,
      busyAtJoin,
    };
  } catch (error) {
    const messages = opened.flatMap(({ who, errors }) => errors.map((e) => `${who} ${e}`));
    if (messages.length > 0) console.log(`  page messages:\n    ${messages.slice(-20).join("\n    ")}`);
    throw error;
  } finally {
    for (const { context } of opened.reverse()) await context.close().catch(() => {});
    for (const mine of own) await mine.close().catch(() => {});
  }
}

async function togetherBench(browser: Browser, baseUrl: string, authorization: string, build: string, databaseName: string): Promise<void> {
  const labels = settings.people === 2 ? ["provider", "patient"] : groupPeople().map((p) => p.label);
  console.log(
    `Together: ${labels.join(", ")} wait on the device check, then press Join ${settings.maxOffsetMs === 0 ? "at the same moment" : `within 0-${settings.maxOffsetMs} ms of each other (at random)`};` +
      ` ${settings.joins} rounds${settings.warmup > 0 ? ` after ${settings.warmup} warm-up round${settings.warmup > 1 ? "s" : ""} (w1.., not counted)` : ""}.`,
  );
  console.log(settings.browserPerPerson ? "A browser of its own for each person." : "One browser, a context of its own for each person.");
  console.log(`"everyone ms": the last press -> every page showing every other person; "<person> ms": that page's own press -> its last first frame.\n`);
  const header = ["round", "offsets ms", "everyone ms", ...labels.map((l) => `${l} ms`), "connected ms", "rolled back", "busy before", "busy at Join"];
  const row = (t: TogetherSample) => [
    t.warmup ? `w${t.index}` : String(t.index),
    t.offsets.map((o) => `+${o}`).join(" "),
    t.allMs === null ? "never" : ms(t.allMs),
    ...t.pageMs.map((v) => (v === null ? "never" : ms(v))),
    t.connectedMs === null ? "never" : ms(t.connectedMs),
    t.rollback,
    `${t.busyBefore.toFixed(0)}%`,
    `${t.busyAtJoin.toFixed(0)}%`,
  ];
  const { samples, rows, failures } = await runRounds("round", header, (index, warmup) => oneTogetherRound(browser, baseUrl, authorization, index, warmup), row);
  if (wasInterrupted()) return;
  const measured = samples.filter((t) => !t.warmup);
  const title = `Join benchmark, together (${settings.people} people, offsets 0-${settings.maxOffsetMs} ms): the last Join -> everyone sees everyone`;
  const lines = ["", title, "=".repeat(title.length)];
  lines.push(`Build:   ${build}, app server, database ${databaseName}`);
  lines.push(`Chromium ${browser.version()}, headless, fake devices; ${settings.settleMs} ms on the device check first; "never": not within ${settings.timeoutMs} ms.`);
  lines.push("");
  lines.push(table(rows));
  lines.push("");
  if (measured.length > 0) {
    lines.push(summary("everyone: last Join -> everyone sees everyone", measured.map((t) => t.allMs ?? Infinity)));
    labels.forEach((label, i) => lines.push(summary(`  ${label}: own Join -> last first frame`, measured.map((t) => t.pageMs[i] ?? Infinity))));
    lines.push(summary("connected: last Join -> every connection up", measured.map((t) => t.connectedMs ?? Infinity)));
    lines.push(`Offer collisions (a page rolled its offer back): ${measured.filter((t) => t.rollback !== "-").length} of ${measured.length} rounds.`);
    const busy = measured.filter((t) => t.busyBefore > QUIET_PERCENT).length;
    if (busy > 0) lines.push(`WARNING: other processes kept the CPUs over ${QUIET_PERCENT}% busy before ${busy} of ${measured.length} rounds ("busy before" column): those figures are high and noisy.`);
    const max = Math.max(...measured.map((t) => t.allMs ?? Infinity));
    lines.push(`Verdict: max ${msOrNever(max)} ${max < TARGET_TOGETHER_MAX_MS ? "<" : ">="} ${TARGET_TOGETHER_MAX_MS} ms: target ${max < TARGET_TOGETHER_MAX_MS ? "met" : "NOT met"} (${measured.length} rounds${failures.length > 0 ? `, ${failures.length} could not be run` : ""}).`);
  } else {
    lines.push("No round was measured.");
  }
  for (const failure of failures) lines.push(`FAILED ${failure}`);
  console.log(lines.join("\n"));
  if (failures.length > 0) process.exitCode = 1;
}

// ---------------------------------------------------------------------------------------
// Reload mode (BENCH_MODE=reload): the provider and the patient in the call; the patient's page
// reloads; the time until the call is back on both pages.

type ReloadSample = {
  index: number;
  warmup: boolean;
  /** ms after the reload began: the new page's DOMContentLoaded; Join pressed (null: the page went back into the call by itself); call state active; its first remote frame; the provider's first frame of the patient's new stream. */
  loaded: number | null;
  joinPressed: number | null;
  active: number | null;
  patientFrame: number | null;
  providerFrame: number | null;
  /** The call states the provider's page went through meanwhile. */
  providerStates: string;
  busyBefore: number;
};

async function oneReloadRound(browser: Browser, baseUrl: string, authorization: string, index: number, warmup: boolean): Promise<ReloadSample> {
  const busyBefore = settings.quietWait > 0 ? await quietMachine(settings.quietWait) : 0;
  const consultation = await createConsultation(baseUrl, authorization);
  const opened: { who: string; context: BrowserContext; errors: string[] }[] = [];
  try {
    const provider = await openParticipant(browser, opened, "provider", baseUrl, consultation.providerPath, consultation.pin);
    await provider.getByTestId("join-call").click();
    await provider.locator('[data-call-state="waiting"]').waitFor({ timeout: 15_000 });
    const patient = await openParticipant(browser, opened, "patient", baseUrl, consultation.patientPath, consultation.pin);
    await patient.getByTestId("join-call").click();
    const before = await Promise.all([figures(patient, settings.timeoutMs), figures(provider, settings.timeoutMs)]);
    if (!before[0].frame || !before[1].frame) throw new Error("the call did not come up before the reload");
    await sleep(settings.inCallMs);

    const reloadAt = Date.now();
    await patient.reload({ waitUntil: "commit" });
    // Back in the call by itself, or on the device check: then Join is pressed as soon as it can be.
    const next = await patient.locator('[data-call-state], [data-testid="join-call"]:enabled').first().elementHandle({ timeout: 15_000 });
    if ((await next?.getAttribute("data-testid")) === "join-call") await next!.click();
    const p = await figures(patient, settings.timeoutMs);
    // The provider's page: the first frame of a stream it got after the reload.
    const deadline = Date.now() + settings.timeoutMs;
    let q = await figures(provider, 0);
    while (!q.sourceFrames.some((f) => q.timeOrigin + f.at > reloadAt) && Date.now() < deadline) {
      await sleep(50);
      q = await figures(provider, 0);
    }
    const after = (t: number | null | undefined, f: PageFigures) => (t === null || t === undefined ? null : f.timeOrigin + t - reloadAt);
    const active = p.states.find(([, state]) => state === "active");
    const providerFrame = q.sourceFrames.find((f) => q.timeOrigin + f.at > reloadAt);
    const sample: ReloadSample = {
      index,
      warmup,
      loaded: after(p.loaded, p),
      joinPressed: after(p.joinAt, p),
      active: active ? after(active[0], p) : null,
      patientFrame: after(p.frame?.at, p),
      providerFrame: providerFrame ? after(providerFrame.at, q) : null,
      providerStates: q.states.filter(([t]) => q.timeOrigin + t > reloadAt).map(([, state]) => state).join(">") || "-",
      busyBefore,
    };
    if (settings.trace || sample.patientFrame === null || sample.providerFrame === null) {
      printTimeline(`time line of ${warmup ? "warm-up " : ""}round ${index} (ms after the reload began):`, reloadAt, [
        { label: "patient  ", figures: p },
        { label: "  provider", figures: q },
      ]);
    }
    return sample;
  } catch (error) {
    const messages = opened.flatMap(({ who, errors }) => errors.map((e) => `${who} ${e}`));
    if (messages.length > 0) console.log(`  page messages:\n    ${messages.slice(-20).join("\n    ")}`);
    throw error;
  } finally {
    for (const { context } of opened.reverse()) await context.close().catch(() => {});
  }
}

async function reloadBench(browser: Browser, baseUrl: string, authorization: string, build: string, databaseName: string): Promise<void> {
  console.log(
    `Reload: the provider and the patient in the call (both showing the other) for ${settings.inCallMs} ms, then the patient's page reloads;` +
      ` ${settings.joins} rounds${settings.warmup > 0 ? ` after ${settings.warmup} warm-up round${settings.warmup > 1 ? "s" : ""} (w1.., not counted)` : ""}.`,
  );
  console.log(`Columns: ms after the reload began. "Join pressed": "-" when the page went back into the call by itself.\n`);
  const header = ["round", "loaded", "Join pressed", "active", "patient frame", "provider frame", "provider states", "busy before"];
  const row = (r: ReloadSample) => [
    r.warmup ? `w${r.index}` : String(r.index),
    ms(r.loaded),
    ms(r.joinPressed),
    r.active === null ? "never" : ms(r.active),
    r.patientFrame === null ? "never" : ms(r.patientFrame),
    r.providerFrame === null ? "never" : ms(r.providerFrame),
    r.providerStates,
    `${r.busyBefore.toFixed(0)}%`,
  ];
  const { samples, rows, failures } = await runRounds("round", header, (index, warmup) => oneReloadRound(browser, baseUrl, authorization, index, warmup), row);
  if (wasInterrupted()) return;
  const measured = samples.filter((r) => !r.warmup);
  const title = "Join benchmark, reload: the patient's page reloads mid-call -> back in the call";
  const lines = ["", title, "=".repeat(title.length)];
  lines.push(`Build:   ${build}, app server, database ${databaseName}`);
  lines.push(`Chromium ${browser.version()}, headless, fake devices; "never": not within ${settings.timeoutMs} ms.`);
  lines.push("");
  lines.push(table(rows));
  lines.push("");
  if (measured.length > 0) {
    lines.push(summary("patient: reload -> call state active", measured.map((r) => r.active ?? Infinity)));
    lines.push(summary("patient: reload -> first remote frame", measured.map((r) => r.patientFrame ?? Infinity)));
    lines.push(summary("provider: reload -> first frame of the new stream", measured.map((r) => r.providerFrame ?? Infinity)));
    const back = measured.map((r) => (r.active === null || r.patientFrame === null || r.providerFrame === null ? Infinity : Math.max(r.active, r.patientFrame, r.providerFrame)));
    lines.push(summary("both: reload -> active and video both ways", back));
    const max = Math.max(...back);
    lines.push(`Verdict: max ${msOrNever(max)} ${max < TARGET_RELOAD_MAX_MS ? "<" : ">="} ${TARGET_RELOAD_MAX_MS} ms: target ${max < TARGET_RELOAD_MAX_MS ? "met" : "NOT met"} (${measured.length} rounds${failures.length > 0 ? `, ${failures.length} could not be run` : ""}).`);
  } else {
    lines.push("No round was measured.");
  }
  for (const failure of failures) lines.push(`FAILED ${failure}`);
  console.log(lines.join("\n"));
  if (failures.length > 0) process.exitCode = 1;
}

async function main(): Promise<void> {
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  console.log(`Machine: ${os.availableParallelism()} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()} ${os.arch()}`);
  const build = checkBuild();
  const database = await createDatabase();
  const server = await startServer(database.url);
  const baseUrl = server.baseUrl;
  const authorization = await demoCredential(database.url, "bench-join");

  const browser = await chromium.launch({ executablePath: settings.chromium, args: [...CHROMIUM_ARGS, ...FAKE_MEDIA_ARGS, ...settings.chromiumArgs] });
  onCleanup("close Chromium", () => browser.close());
  console.log(`Node ${process.version}; Chromium ${browser.version()} (${settings.chromium}, headless, fake camera and microphone)`);
  if (settings.mode === "together") return togetherBench(browser, baseUrl, authorization, build, database.name);
  if (settings.mode === "reload") return reloadBench(browser, baseUrl, authorization, build, database.name);
  if (settings.people > 2) return groupBench(browser, baseUrl, server.pid, authorization, build, database.name);
  console.log(
    `${settings.joins} joins` +
      (settings.warmup > 0 ? ` after ${settings.warmup} warm-up join${settings.warmup > 1 ? "s" : ""} (shown as w1.., not counted)` : "") +
      `; the patient waits ${settings.settleMs} ms on the device check before pressing Join.`,
  );
  console.log("Columns after \"provider ms\": the patient's page, ms after pressing Join.\n");

  const { samples, rows, failures } = await runRounds("join", HEADER, (index, warmup) => oneJoin(browser, baseUrl, authorization, index, warmup), sampleRow);
  if (wasInterrupted()) return;

  const measured = samples.filter((s) => !s.warmup);
  const lines = ["", "Join benchmark: Join pressed -> first decoded remote frame", "========================================================="];
  lines.push(`Build:   ${build}, app server, database ${database.name}`);
  lines.push(`Chromium ${browser.version()}, headless, fake devices; ${settings.settleMs} ms on the device check before Join; "never": no remote frame within ${settings.timeoutMs} ms.`);
  lines.push("");
  lines.push(table(rows));
  lines.push("");
  if (measured.length > 0) {
    // A join that never showed video counts, as the slowest possible.
    const patient = measured.map((s) => s.patientMs ?? Infinity);
    lines.push(summary("patient: Join pressed -> first remote frame", patient));
    lines.push(summary("provider: patient's Join -> first remote frame", measured.map((s) => s.providerMs ?? Infinity)));
    const shown = patient.filter((v) => v !== Infinity);
    const never = measured.filter((s) => s.patientMs === null);
    if (never.length > 0 && shown.length > 0) lines.push(summary("patient, joins that showed video only", shown));
    const rollbacks = measured.filter((s) => s.rollback !== "-").length;
    lines.push(`Offer collisions (one side rolled its offer back): ${rollbacks} of ${measured.length} joins.`);
    for (const s of never) {
      lines.push(`NEVER CONNECTED: join ${s.index} stayed "${s.stuckIn}" on the patient's page for ${settings.timeoutMs / 1000} s (rolled back: ${s.rollback}).`);
    }
    const busy = measured.filter((s) => s.busyBefore > QUIET_PERCENT).length;
    if (busy > 0) {
      lines.push(`WARNING: other processes kept the CPUs over ${QUIET_PERCENT}% busy before ${busy} of ${measured.length} joins ("busy before" column): those figures are high and noisy.`);
    }
    const p50 = percentile([...patient].sort((a, b) => a - b), 50);
    const met = p50 < TARGET_P50_MS;
    lines.push(
      `Verdict: patient p50 ${msOrNever(p50)} ${met ? "<" : ">="} ${TARGET_P50_MS} ms: target ${met ? "met" : "NOT met"}` +
        ` (${measured.length} joins${never.length > 0 ? `, ${never.length} never showed video` : ""}${failures.length > 0 ? `, ${failures.length} could not be run` : ""}).`,
    );
  } else {
    lines.push("No join was measured.");
  }
  for (const failure of failures) lines.push(`FAILED ${failure}`);
  console.log(lines.join("\n"));
  // A join that never connects is a measurement (reported above); a join the bench could not drive is a failure.
  if (failures.length > 0) process.exitCode = 1;
}

main()
  .catch((error: unknown) => {
    if (!wasInterrupted()) console.error("\nbench:join failed:", error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanUp();
    // Everything is closed; exit even if a library left a timer behind.
    process.exit();
  });

/**
 * Summarises a V8 CPU profile of the app (`BENCH_SERVER_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=…"`):
 * self time by package and by function, inclusive time by file and by function, with frames in
 * `.next` chunks mapped through their source maps to the original files.
 *
 *   node bench/api/profile-summary.mjs <file.cpuprofile> [regex: only inclusive rows matching it]
 */
import fs from "node:fs";
// source-map-js is not a dependency of ours: it comes with Next.js (through PostCSS).
import { SourceMapConsumer } from "source-map-js";
const [file, match] = process.argv.slice(2);
const p = JSON.parse(fs.readFileSync(file, "utf8"));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = new Map();
for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
const total = [...dt.values()].reduce((a, b) => a + b, 0);
const maps = new Map();
function consumer(url) {
  if (maps.has(url)) return maps.get(url);
  let c = null;
  try { const f = url.replace(/^file:\/\//, "") + ".map"; if (fs.existsSync(f)) c = new SourceMapConsumer(JSON.parse(fs.readFileSync(f, "utf8"))); } catch {}
  maps.set(url, c); return c;
}
const cache = new Map();
function frameName(cf) {
  const k = `${cf.url}:${cf.lineNumber}:${cf.columnNumber}:${cf.functionName}`;
  if (cache.has(k)) return cache.get(k);
  let u = cf.url || "(native)", fn = cf.functionName || "(anon)", line = cf.lineNumber;
  if (u.includes(".next")) {
    const c = consumer(u);
    if (c) { const o = c.originalPositionFor({ line: cf.lineNumber + 1, column: cf.columnNumber }); if (o.source) { u = o.source; line = o.line; if (o.name) fn = o.name + "~" + fn; } }
  }
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)/.exec(u);
  const pkg = m ? m[1] : u.includes("[project]") || u.startsWith("turbopack") ? u.replace(/^.*\[project\]\//, "") : u.replace(/^file:\/\//, "").split("/").slice(-2).join("/");
  const fileShort = m ? `${m[1]}/${m[2].split("/").slice(-2).join("/")}` : pkg;
  const r = { pkg: m ? m[1] : pkg.split("/").slice(0, 2).join("/"), fn: `${fn} ${fileShort}:${line}`, file: fileShort };
  cache.set(k, r); return r;
}
const selfFn = new Map(), selfPkg = new Map(), incl = new Map(), inclFile = new Map();
for (const n of p.nodes) {
  const t = dt.get(n.id) ?? 0; if (!t) continue;
  const f = frameName(n.callFrame);
  selfFn.set(f.fn, (selfFn.get(f.fn) ?? 0) + t);
  selfPkg.set(f.pkg, (selfPkg.get(f.pkg) ?? 0) + t);
  const seen = new Set(), seenF = new Set();
  let id = n.id;
  while (id !== undefined) {
    const g = frameName(byId.get(id).callFrame);
    if (!seen.has(g.fn)) { seen.add(g.fn); incl.set(g.fn, (incl.get(g.fn) ?? 0) + t); }
    if (!seenF.has(g.file)) { seenF.add(g.file); inclFile.set(g.file, (inclFile.get(g.file) ?? 0) + t); }
    id = parent.get(id);
  }
}
const top = (m, k = 25) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, t]) => `${(100 * t / total).toFixed(1).padStart(5)}%  ${n}`).join("\n");
console.log(`total ${(total / 1e6).toFixed(1)} s sampled`);
console.log("== self by package\n" + top(selfPkg, 25));
console.log("== self by function\n" + top(selfFn, 40));
const re = match ? new RegExp(match) : null;
console.log("== inclusive by file" + (re ? ` matching ${re}` : "") + "\n" + top(new Map([...inclFile].filter(([k]) => !re || re.test(k))), 50));
console.log("== inclusive by function" + (re ? ` matching ${re}` : "") + "\n" + top(new Map([...incl].filter(([k]) => !re || re.test(k))), 50));

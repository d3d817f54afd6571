// The import-cycle check (`npm run check:cycles`, run by .ci/run): fails on a cycle between
// files, and on a loop between the feature folders of lib/ (lib/http -> lib/auth and back),
// so an arrow that runs back up cannot come back unnoticed. Type-only imports are left out
// (-T): they vanish at runtime. Tests are left out: they may drive any folder.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Folder loops that are two-way by design, each with its reason ("lib/a <-> lib/b"). */
const ALLOWED_FOLDER_LOOPS = new Map([
  ["lib/consultations <-> lib/providers", "a consultation names its provider inline (providerInputSchema), and providers check that input against the catalog"],
  ["lib/livekit <-> lib/rooms", "LiveKit is the rooms' media server: rooms mint its tokens, and its webhooks report presence back into the room lifecycle"],
]);

const ENTRIES = ["lib/**/*.ts", "db/**/*.ts", "app/**/*.ts", "app/**/*.tsx", "components/**/*.ts", "components/**/*.tsx", "scripts/**/*.ts", "instrumentation*.ts", "proxy.ts", "i18n/**/*.ts"];

const dir = mkdtempSync(join(tmpdir(), "check-cycles-"));
const output = join(dir, "graph.json");
const run = spawnSync(
  "node_modules/.bin/dpdm",
  ["--no-tree", "--no-warning", "--no-progress", "-T", "--exclude", "\\.test\\.tsx?$|node_modules", "--exit-code", "circular:1", "-o", output, ...ENTRIES],
  { stdio: "inherit" },
);
if (run.status !== 0) {
  rmSync(dir, { recursive: true, force: true });
  console.error("check-cycles: files import each other in a circle (listed above); break the arrow that runs back up.");
  process.exit(run.status ?? 1);
}
const { tree } = JSON.parse(readFileSync(output, "utf8"));
rmSync(dir, { recursive: true, force: true });

const folderOf = (file) => /^lib\/([^/]+)\//.exec(file)?.[0].slice(0, -1);

// Folder edges, each with one import that makes it (for the message).
const edges = new Map();
for (const [file, deps] of Object.entries(tree)) {
  const from = folderOf(file);
  if (!from || !deps) continue;
  for (const dep of deps) {
    const to = dep.id && folderOf(dep.id);
    if (!to || to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from).has(to)) edges.get(from).set(to, `${file} -> ${dep.id}`);
  }
}

// Strongly connected components (Tarjan): every folder loop, however long.
const index = new Map(), low = new Map(), stack = [], onStack = new Set(), loops = [];
let counter = 0;
function visit(v) {
  index.set(v, counter); low.set(v, counter); counter++;
  stack.push(v); onStack.add(v);
  for (const w of edges.get(v)?.keys() ?? []) {
    if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
    else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) === index.get(v)) {
    const component = [];
    let w;
    do { w = stack.pop(); onStack.delete(w); component.push(w); } while (w !== v);
    if (component.length > 1) loops.push(component.sort());
  }
}
for (const v of edges.keys()) if (!index.has(v)) visit(v);

// A loop passes only when each of its two-way pairs is allowed and it has no longer detour.
const allowedPair = (a, b) => ALLOWED_FOLDER_LOOPS.has(`${a} <-> ${b}`) || ALLOWED_FOLDER_LOOPS.has(`${b} <-> ${a}`);
const failing = loops.filter((loop) => {
  const inLoop = new Set(loop);
  return loop.some((a) => [...(edges.get(a)?.keys() ?? [])].some((b) => inLoop.has(b) && !allowedPair(a, b)));
});
for (const loop of failing) {
  console.error(`\ncheck-cycles: the folders ${loop.join(", ")} import each other in a loop:`);
  const inLoop = new Set(loop);
  for (const a of loop) for (const [b, via] of edges.get(a) ?? []) if (inLoop.has(b)) console.error(`  ${a} -> ${b}   (${via})`);
}
if (failing.length > 0) {
  console.error("\nBreak the arrow that runs back up (move the shared piece to a lower folder), or, if the loop is two-way by design, add it to ALLOWED_FOLDER_LOOPS in scripts/check-cycles.mjs with its reason.");
  process.exit(1);
}
const folders = new Set(Object.keys(tree).map(folderOf).filter(Boolean));
console.log(`check-cycles: no file cycle; no folder loop among ${folders.size} lib/ folders${ALLOWED_FOLDER_LOOPS.size ? ` (${ALLOWED_FOLDER_LOOPS.size} allowed by design)` : ""}.`);

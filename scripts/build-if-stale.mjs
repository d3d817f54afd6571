// `npm run quickstart`: build the production app on the first start, and again only when a source
// file is newer than the last build, so later starts take seconds.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const buildId = join(root, ".next", "BUILD_ID");
const SOURCES = ["app", "components", "db", "i18n", "lib", "messages", "public", "patches"];
const ROOT_FILES = ["next.config.mjs", "package.json", "package-lock.json", "tsconfig.json", "proxy.ts", "instrumentation.ts", "instrumentation-node.ts", "instrumentation-client.ts"];

/** The newest modification time under `path` (a file or a folder), 0 when it does not exist. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
const changedAt = Math.max(...SOURCES.map((dir) => newest(join(root, dir))), ...ROOT_FILES.map((file) => newest(join(root, file))));
if (builtAt > changedAt) {
  console.log(`Serving the production build of ${new Date(builtAt).toISOString()} (no source changed since). Delete .next to build again.`);
} else {
  console.log(builtAt ? "Sources changed since the last build: building again (a minute or two)…" : "First start: building the production app (a minute or two)…");
  const built = spawnSync(join(root, "node_modules", ".bin", "next"), ["build"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

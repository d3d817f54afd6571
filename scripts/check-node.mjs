// Runs before the app starts, on whatever Node the person has: plain syntax, one line, no dependencies.
import { readFileSync } from "node:fs";

const wanted = Number(readFileSync(new URL("../.nvmrc", import.meta.url), "utf8").trim());
const running = Number(process.versions.node.split(".")[0]);
if (running !== wanted) {
  console.error(
    `Telemed Portal needs Node ${wanted} (this is Node ${process.versions.node}): run \`nvm install ${wanted} && nvm use ${wanted}\` (the version is in .nvmrc), or get it from https://nodejs.org/en/download, then \`npm install\` again.`,
  );
  process.exit(1);
}

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/background-effects/[version]/[file]/route";
import { BACKGROUND_ASSETS_PATH, BACKGROUND_ASSETS_VERSION, SEGMENTER_MODEL_FILE } from "@/lib/video/background-assets";
import { call } from "@/test/api";

const get = (version: string, file: string) => call(GET, { path: `/api/background-effects/${version}/${file}`, params: { version, file } });

describe("GET /api/background-effects/{version}/{file}: the background effect's files, served by the app", () => {
  it("serves MediaPipe's WebAssembly as application/wasm, its loader as JavaScript, cached for good", async () => {
    const wasm = await get(BACKGROUND_ASSETS_VERSION, "vision_wasm_internal.wasm");
    expect(wasm.status).toBe(200);
    expect(wasm.headers.get("content-type")).toBe("application/wasm");
    expect(Number(wasm.headers.get("content-length"))).toBeGreaterThan(1_000_000);
    expect(wasm.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const loader = await get(BACKGROUND_ASSETS_VERSION, "vision_wasm_internal.js");
    expect(loader.status).toBe(200);
    expect(loader.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(loader.text).toContain("WebAssembly");
    expect(BACKGROUND_ASSETS_PATH).toBe(`/api/background-effects/${BACKGROUND_ASSETS_VERSION}`);
  });

  it("names the installed packages' versions in its path, so a browser's cached copy is never an older package's", () => {
    const versionOf = (name: string) => (JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8")) as { version: string }).version;
    expect(BACKGROUND_ASSETS_VERSION).toBe(`tv${versionOf("@mediapipe/tasks-vision")}-ss${versionOf("@mediapipe/selfie_segmentation")}`);
  });

  it("serves the segmentation model with its metadata", async () => {
    const model = await get(BACKGROUND_ASSETS_VERSION, SEGMENTER_MODEL_FILE);
    expect(model.status).toBe(200);
    expect(model.headers.get("content-type")).toBe("application/octet-stream");
    expect(Number(model.headers.get("content-length"))).toBeGreaterThan(249_024);
  });

  it("answers 404 for another version, a file not on the list, or a path that tries to leave the package", async () => {
    for (const [version, file] of [
      ["0.0.0", "vision_wasm_internal.wasm"],
      [BACKGROUND_ASSETS_VERSION, "package.json"],
      [BACKGROUND_ASSETS_VERSION, "../../../package.json"],
      [BACKGROUND_ASSETS_VERSION, "constructor"],
      [BACKGROUND_ASSETS_VERSION, "__proto__"],
    ]) {
      const answer = await get(version!, file!);
      expect(answer.status, `${version}/${file}`).toBe(404);
      expect(answer.json.error.code).toBe("not_found");
    }
  });
});

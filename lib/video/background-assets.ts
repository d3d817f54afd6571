/**
 * The files the background effects load in the browser, all served by this app (never a CDN:
 * clinics' networks block them, and a call must not depend on a third party). The version is in
 * the path so the files can be cached for good; it changes when a package below changes.
 */
export const BACKGROUND_ASSETS_VERSION = "tv0.10.14-ss0.1.1675465747";

export const BACKGROUND_ASSETS_PATH = `/api/background-effects/${BACKGROUND_ASSETS_VERSION}`;

/** The segmentation model, as `@mediapipe/tasks-vision` takes it (see segmenter-model.ts). */
export const SEGMENTER_MODEL_FILE = "selfie_segmenter.tflite";

type Asset = { package: string; path: string; contentType: string; segmenterMetadata?: true };

/**
 * Every file the route serves, by the name the browser asks for. MediaPipe picks the SIMD build
 * of its WebAssembly where the browser has SIMD, the other one elsewhere (older Safari).
 */
export const BACKGROUND_ASSETS: Readonly<Record<string, Asset>> = {
  "vision_wasm_internal.js": { package: "@mediapipe/tasks-vision", path: "wasm/vision_wasm_internal.js", contentType: "text/javascript; charset=utf-8" },
  "vision_wasm_internal.wasm": { package: "@mediapipe/tasks-vision", path: "wasm/vision_wasm_internal.wasm", contentType: "application/wasm" },
  "vision_wasm_nosimd_internal.js": { package: "@mediapipe/tasks-vision", path: "wasm/vision_wasm_nosimd_internal.js", contentType: "text/javascript; charset=utf-8" },
  "vision_wasm_nosimd_internal.wasm": { package: "@mediapipe/tasks-vision", path: "wasm/vision_wasm_nosimd_internal.wasm", contentType: "application/wasm" },
  [SEGMENTER_MODEL_FILE]: { package: "@mediapipe/selfie_segmentation", path: "selfie_segmentation.tflite", contentType: "application/octet-stream", segmenterMetadata: true },
};

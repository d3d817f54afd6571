import "server-only";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { BACKGROUND_ASSETS, BACKGROUND_ASSETS_VERSION } from "./background-assets";
import { withSegmenterMetadata } from "./segmenter-model";

export type BackgroundAssetFile = { body: ReadableStream<Uint8Array> | Uint8Array<ArrayBuffer>; contentType: string; length: number };

/** The model with its metadata, made once per process (a quarter of a megabyte). */
let model: Promise<Uint8Array<ArrayBuffer>> | undefined;

function packageFile(packageName: string, file: string): string {
  return path.join(process.cwd(), "node_modules", packageName, file);
}

/**
 * One of the background effects' files (background-assets.ts) from the npm package that ships
 * it, or null for any other version or name: nothing outside the list is ever read.
 */
export async function openBackgroundAsset(version: string, name: string): Promise<BackgroundAssetFile | null> {
  if (version !== BACKGROUND_ASSETS_VERSION || !Object.hasOwn(BACKGROUND_ASSETS, name)) return null;
  const asset = BACKGROUND_ASSETS[name]!;
  const file = packageFile(asset.package, asset.path);
  if (asset.segmenterMetadata) {
    model ??= readFile(file).then((bytes) => new Uint8Array(withSegmenterMetadata(bytes)));
    const bytes = await model.catch((error: unknown) => {
      model = undefined;
      throw error;
    });
    return { body: bytes, contentType: asset.contentType, length: bytes.length };
  }
  const { size } = await stat(file);
  return { body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, contentType: asset.contentType, length: size };
}

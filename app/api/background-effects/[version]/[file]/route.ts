import { AppError } from "@/lib/errors";
import { publicRoute } from "@/lib/http/route";
import { openBackgroundAsset } from "@/lib/video/background-assets-files";

export const dynamic = "force-dynamic";

/**
 * The background effects' WebAssembly, its loader and the segmentation model, from the npm
 * packages that ship them (lib/video/background-assets.ts lists them). The version is in the
 * path, so a browser keeps each file for good.
 */
export const GET = publicRoute<{ version: string; file: string }>(async ({ params }) => {
  const asset = await openBackgroundAsset(params.version, params.file);
  if (!asset) throw AppError.notFound("The file");
  return new Response(asset.body, {
    status: 200,
    headers: { "Content-Type": asset.contentType, "Content-Length": String(asset.length), "Cache-Control": "public, max-age=31536000, immutable" },
  });
});

import { database } from "@/db/runtime";
import { publicRoute } from "@/lib/http/route";
import { openBackground } from "@/lib/settings/backgrounds";
import { fileStorage } from "@/lib/storage";

export const dynamic = "force-dynamic";

/**
 * A background's image, to anyone with its address: the alias is 128 random bits, a backdrop
 * is the clinic's branding (not patient data), and every participant's call page loads it.
 * An alias names one image forever (a new upload gets a new alias), so it is cached for good.
 */
export const GET = publicRoute<{ alias: string }>(async ({ params }) => {
  const image = await openBackground(await database(), fileStorage(), params.alias);
  return new Response(image.object.body, {
    status: 200,
    headers: {
      "Content-Type": image.contentType,
      "Content-Length": String(image.object.size),
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
    },
  });
});

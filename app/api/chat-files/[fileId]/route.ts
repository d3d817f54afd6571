import { openChatFile, downloadHeaders } from "@/lib/chat-files/serve";
import { verifyChatFileUrl } from "@/lib/chat-files/url";
import { appSecret } from "@/lib/config";
import { database } from "@/db/runtime";
import { AppError } from "@/lib/errors";
import { publicRoute } from "@/lib/http/route";
import { fileStorage } from "@/lib/storage";

export const dynamic = "force-dynamic";

/**
 * A chat file's bytes, for a signed URL a message handed out (the URL is the permission: it
 * names the file and expires 10 minutes after it was minted). Always an attachment, never sniffed.
 */
export const GET = publicRoute<{ fileId: string }>(async ({ request, params }) => {
  const query = new URL(request.url).searchParams;
  if (!verifyChatFileUrl(appSecret(), params.fileId, query.get("expires"), query.get("signature"), new Date())) {
    throw AppError.notFound("The file");
  }
  const file = await openChatFile(await database(), fileStorage(), params.fileId);
  return new Response(file.object.body, { status: 200, headers: downloadHeaders(file) });
});

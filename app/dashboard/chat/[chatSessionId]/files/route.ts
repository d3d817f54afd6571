import { readUploadedFile } from "@/lib/chat-files/read-upload";
import { uploadChatSessionFile } from "@/lib/chat-sessions/files";
import { appSecret } from "@/lib/config";
import { contractErrorResponse, newRequestId } from "@/lib/http/envelope";
import { fileStorage } from "@/lib/storage";
import { staffChatRoute } from "../staff-chat";

/** A file from the dashboard for a message of the session (a 10 MB body is no server action's): 201 with the file, or the API's refusals. */
export async function POST(request: Request, { params }: { params: Promise<{ chatSessionId: string }> }): Promise<Response> {
  try {
    const { db, actor } = await staffChatRoute(request);
    const file = await uploadChatSessionFile(db, fileStorage(), actor, (await params).chatSessionId, () => readUploadedFile(request), {
      appSecret: appSecret(),
      now: new Date(),
    });
    return Response.json(file, { status: 201, headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return contractErrorResponse(error, newRequestId());
  }
}

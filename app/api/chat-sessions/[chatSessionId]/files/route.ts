import { chatActorOf } from "@/lib/chat-sessions/actor";
import { readUploadedFile } from "@/lib/chat-files/read-upload";
import { uploadChatSessionFile } from "@/lib/chat-sessions/files";
import { appSecret } from "@/lib/config";
import { roomApiRoute } from "@/lib/http/room-api";
import { fileStorage } from "@/lib/storage";

/** A participant's file (an image or a PDF, at most 10 MB, field `file`) for a message of the session: 201 with the file. */
export const POST = roomApiRoute<{ chatSessionId: string }>(
  async (ctx) => {
    const file = await uploadChatSessionFile(ctx.db, fileStorage(), chatActorOf(ctx), ctx.params.chatSessionId, () => readUploadedFile(ctx.request), {
      appSecret: appSecret(),
      now: ctx.room.now,
    });
    return Response.json(file, { status: 201 });
  },
  { userToken: "allowed" },
);

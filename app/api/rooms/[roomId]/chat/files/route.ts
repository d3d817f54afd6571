import { uploadCallChatFile } from "@/lib/chat/files";
import { readUploadedFile } from "@/lib/chat-files/read-upload";
import { appSecret } from "@/lib/config";
import { participantRoute, respond } from "@/lib/http/route";
import { fileStorage } from "@/lib/storage";

/** A file (an image or a PDF, at most 10 MB, field `file`) for a message in the call's chat: 201 with the file; send it with `fileId`. */
export const POST = participantRoute<{ roomId: string }>(
  (params) => ({ roomId: params.roomId }),
  async (ctx) => {
    const file = await uploadCallChatFile(ctx.db, fileStorage(), ctx.session, () => readUploadedFile(ctx.request), { appSecret: appSecret(), now: ctx.now });
    return respond(ctx, file, { status: 201 });
  },
);

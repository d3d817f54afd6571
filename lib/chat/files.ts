import type { Database } from "@/db/client";
import { acceptChatFile } from "@/lib/chat-files/accept";
import type { UploadedFile } from "@/lib/chat-files/read-upload";
import type { ChatFile } from "@/lib/chat-files/schema";
import { keepChatFile, requireUploadAllowance } from "@/lib/chat-files/store";
import { chatFileViewFor } from "@/lib/chat-files/url";
import type { ParticipantSession } from "@/lib/rooms/session";
import type { FileStorage } from "@/lib/storage";
import { callChatState, requireOpenCallChat } from "./messages";

/**
 * `POST /api/rooms/{roomId}/chat/files`: a file from a participant in the call, for a message
 * to come (`fileId`). The call must be on and the participant in it, checked before the body is
 * read and again as the row is written; the file is the room's, uploaded by this participant.
 */
export async function uploadCallChatFile(
  db: Database,
  storage: FileStorage,
  session: ParticipantSession,
  readFile: () => Promise<UploadedFile>,
  ctx: { appSecret: string; now: Date },
): Promise<ChatFile> {
  requireOpenCallChat(await callChatState(db, session, ctx.now), session, "files");
  const owner = { organizationId: session.organizationId, roomId: session.roomId, uploadedByParticipantId: session.participantId };
  await requireUploadAllowance(db, owner, ctx.now);
  const upload = await readFile();
  const accepted = await acceptChatFile(upload.bytes, upload.name);
  const stored = await keepChatFile(db, storage, accepted, owner, ctx.now, async (tx) => {
    requireOpenCallChat(await callChatState(tx, session, ctx.now), session, "files");
  });
  return chatFileViewFor(stored, ctx.appSecret, ctx.now);
}

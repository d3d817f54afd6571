import type { Database, Db } from "@/db/client";
import { actingParticipant, findChatSession, type ChatActor, type ChatSessionRef } from "./access";
import { AppError } from "@/lib/errors";
import type { FileStorage } from "@/lib/storage";
import { acceptChatFile } from "@/lib/chat-files/accept";
import type { UploadedFile } from "@/lib/chat-files/read-upload";
import { keepChatFile, requireUploadAllowance } from "@/lib/chat-files/store";
import { chatFileViewFor } from "@/lib/chat-files/url";
import type { ChatFile } from "@/lib/chat-files/schema";

/** A session that was rejected or finished takes nothing more; its transcript stays readable. */
export function requireOpenChatSession(session: Pick<ChatSessionRef, "state">): void {
  if (session.state === "rejected" || session.state === "finished") {
    throw new AppError("chat_session_closed", `The chat session is ${session.state}: it takes no more messages or files.`);
  }
}

/** Who may upload to the session now: one of its participants, while it is open. */
async function uploader(db: Db, actor: ChatActor, chatSessionId: string, lock: boolean) {
  const session = await findChatSession(db, actor, chatSessionId, { lock });
  const participant = actingParticipant(session, actor);
  requireOpenChatSession(session);
  return { session, participant };
}

/**
 * `POST /api/chat-sessions/{id}/files`: a participant's file for a message to come. Who may
 * upload is settled before the body is read (a stranger's 10 MB is never taken in), and again
 * with the session locked as the row is written. Answers the file with a URL for the uploader;
 * a message then names it by `fileId`.
 */
export async function uploadChatSessionFile(
  db: Database,
  storage: FileStorage,
  actor: ChatActor,
  chatSessionId: string,
  readFile: () => Promise<UploadedFile>,
  ctx: { appSecret: string; now: Date },
): Promise<ChatFile> {
  const { session, participant } = await uploader(db, actor, chatSessionId, false);
  const owner = { organizationId: session.organizationId, chatSessionId: session.id, uploadedByUserId: participant.roomUserId };
  await requireUploadAllowance(db, owner, ctx.now);
  const upload = await readFile();
  const accepted = await acceptChatFile(upload.bytes, upload.name);
  const stored = await keepChatFile(db, storage, accepted, owner, ctx.now, async (tx) => {
    await uploader(tx, actor, chatSessionId, true);
  });
  return chatFileViewFor(stored, ctx.appSecret, ctx.now);
}

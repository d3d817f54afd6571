import { participantRole } from "@/db/schema";
import { z } from "zod";
import { chatFileSchema } from "@/lib/chat-files/schema";
import { CHAT_MESSAGE_MAX_LENGTH } from "@/lib/limits";
import { plainFreeText } from "@/lib/validation/text";

export { CHAT_MESSAGE_MAX_LENGTH };

export const sendChatMessageSchema = z
  .object({
    // Free text: line breaks, tabs and emoji (👨‍👩‍👧) kept; control and bidi characters refused (lib/validation/text.ts).
    text: plainFreeText(
      z
        .string()
        .transform((text) => text.trim())
        .pipe(z.string().max(CHAT_MESSAGE_MAX_LENGTH, `must be at most ${CHAT_MESSAGE_MAX_LENGTH} characters`)),
    )
      .optional()
      .describe("Plain text; may be left out (or empty) when the message carries a file"),
    fileId: z.uuid().optional().describe("A file this participant uploaded to the call's chat (`POST /api/rooms/{roomId}/chat/files`) and has not sent yet"),
    clientId: z.uuid().optional().describe("Chosen by the sender so a retried send is stored once"),
  })
  .superRefine((message, ctx) => {
    // A message says something: text, a file, or both.
    if (!message.text && !message.fileId) ctx.addIssue({ code: "custom", path: ["text"], message: "must not be empty" });
  });
export type SendChatMessage = z.infer<typeof sendChatMessageSchema>;

/** One message as the room and the clinic see it. The text is plain text, never markup. */
export const chatMessageSchema = z
  .object({
    id: z.number().int().describe("Increases in the order messages were stored"),
    clientId: z.uuid().nullable(),
    senderId: z.uuid().describe("The participant who wrote it"),
    role: z.enum(participantRole.enumValues),
    displayName: z.string(),
    text: z.string().describe("Plain text, never markup; empty when the message is only a file"),
    file: chatFileSchema.nullable().describe("The file the message carries, with a download URL minted for the reader"),
    sentAt: z.iso.datetime(),
  })
  .meta({ id: "ChatMessage" });
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const listChatMessagesQuerySchema = z.object({
  after: z.coerce.number().int().min(0).default(0).describe("Only messages stored after this message id"),
});

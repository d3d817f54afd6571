import { participantRole } from "@/db/schema";
import { z } from "zod";
import { CHAT_MESSAGE_MAX_LENGTH } from "@/lib/limits";
import { plainFreeText } from "@/lib/validation/text";

export { CHAT_MESSAGE_MAX_LENGTH };

export const sendChatMessageSchema = z.object({
  // Free text: line breaks, tabs and emoji (👨‍👩‍👧) kept; control and bidi characters refused (lib/validation/text.ts).
  text: plainFreeText(
    z
      .string()
      .transform((text) => text.trim())
      .pipe(
        z
          .string()
          .min(1, "must not be empty")
          .max(CHAT_MESSAGE_MAX_LENGTH, `must be at most ${CHAT_MESSAGE_MAX_LENGTH} characters`),
      ),
  ),
  clientId: z.uuid().optional().describe("Chosen by the sender so a retried send is stored once"),
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
    text: z.string(),
    sentAt: z.iso.datetime(),
  })
  .meta({ id: "ChatMessage" });
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const listChatMessagesQuerySchema = z.object({
  after: z.coerce.number().int().min(0).default(0).describe("Only messages stored after this message id"),
});

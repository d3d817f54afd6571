import { z } from "zod";
import { participantRole } from "@/db/schema";
import { CHAT_MESSAGE_MAX_LENGTH } from "@/lib/limits";
import { AppError } from "@/lib/errors";
import { plainFreeText } from "@/lib/validation/text";

/** Most messages one read returns; a longer transcript is read in pages with `after`. */
export const CHAT_SESSION_PAGE_LIMIT = 500;
export const CHAT_SESSION_PAGE_DEFAULT = 100;

export const sendSessionMessageSchema = z
  .object({
    // Free text as in the call's chat (lib/chat/schema.ts): lines and emoji kept, control and bidi characters refused.
    text: plainFreeText(
      z
        .string()
        .transform((text) => text.trim())
        .pipe(z.string().max(CHAT_MESSAGE_MAX_LENGTH, `must be at most ${CHAT_MESSAGE_MAX_LENGTH} characters`)),
    )
      .nullish()
      .describe(`Plain text, at most ${CHAT_MESSAGE_MAX_LENGTH} characters (trimmed); may be left out when the message carries a file`),
    fileId: z
      .uuid({ error: "must be the id of a file you uploaded to this chat session" })
      .nullish()
      .describe("A file the sender uploaded to this session and has not sent yet"),
    clientId: z.uuid().nullish().describe("Chosen by the sender so a retried send is stored once"),
  })
  .superRefine((message, ctx) => {
    if (!message.text && !message.fileId) {
      ctx.addIssue({ code: "custom", path: ["text"], message: "must not be empty: send text, a file, or both", params: { code: "too_small" } });
    }
  });
export type SendSessionMessage = z.infer<typeof sendSessionMessageSchema>;

export const chatSessionMessageFileSchema = z
  .object({
    id: z.uuid(),
    name: z.string().describe("The name it was uploaded with"),
    contentType: z.string().describe("Checked from the bytes: image/jpeg, image/png, image/webp or application/pdf"),
    size: z.number().int().describe("Bytes"),
    url: z
      .string()
      .nullable()
      .describe("A short-lived signed link that downloads the file (minted with every read, valid 10 minutes); null once the file was deleted"),
  })
  .meta({ id: "ChatSessionMessageFile" });

/** One message of a chat session, as its participants and the clinic see it. The text is plain text, never markup. */
export const chatSessionMessageSchema = z
  .object({
    id: z.number().int().describe("Increases in the order messages were stored: the cursor for `after` and the stream's `Last-Event-ID`"),
    chatSessionId: z.uuid(),
    clientId: z.uuid().nullable(),
    sender: z.string().nullable().describe("The sender's userExternalId; null for someone in the linked call who is not in the directory"),
    senderName: z.string().describe("The sender's name when they wrote it"),
    role: z.enum(participantRole.enumValues).describe("`member` for a chat session's participant; a consultation call's patient, provider or guest otherwise"),
    text: z.string().describe("Empty when the message only carries a file"),
    file: chatSessionMessageFileSchema.nullable(),
    sentAt: z.number().int().describe("Epoch milliseconds"),
  })
  .meta({ id: "ChatSessionMessage" });
export type ChatSessionMessage = z.infer<typeof chatSessionMessageSchema>;

export const listSessionMessagesQuerySchema = z.object({
  after: z.coerce.number().int().min(0).default(0).describe("Only messages stored after this message id"),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(CHAT_SESSION_PAGE_LIMIT)
    .default(CHAT_SESSION_PAGE_DEFAULT)
    .describe(`At most this many messages (1 to ${CHAT_SESSION_PAGE_LIMIT}, default ${CHAT_SESSION_PAGE_DEFAULT})`),
});
export type ListSessionMessagesQuery = z.infer<typeof listSessionMessagesQuerySchema>;

const messageCursorSchema = z.coerce.number().int().min(0);

/**
 * Where a stream resumes: the `Last-Event-ID` header a reconnecting client sends, else `?after=`,
 * else 0 (everything). A cursor that is not a message id is a 400 naming where it came from.
 */
export function streamCursorOf(request: Request): number {
  const header = request.headers.get("last-event-id")?.trim();
  const query = new URL(request.url).searchParams.get("after")?.trim();
  const [field, raw] = header ? ["Last-Event-ID", header] : ["after", query];
  if (!raw) return 0;
  const parsed = messageCursorSchema.safeParse(raw);
  if (!parsed.success) {
    throw AppError.validation([{ field, code: "invalid_cursor", message: "must be a message id (a whole number, 0 or more)" }], `${field}: must be a message id`);
  }
  return parsed.data;
}

import { z } from "zod";

/** The types a chat takes, judged by the file's content: images (re-encoded) and PDFs (as they are). */
export const CHAT_FILE_TYPES = ["image/jpeg", "image/png", "image/webp", "application/pdf"] as const;
export type ChatFileType = (typeof CHAT_FILE_TYPES)[number];

/** A file shared in a chat session or a call's chat, as a message carries it. */
export const chatFileSchema = z
  .object({
    id: z.uuid(),
    name: z.string().describe("The name it was uploaded with, cleaned: no path, no control characters, at most 120 characters, the extension its content calls for"),
    contentType: z.enum(CHAT_FILE_TYPES).describe("Checked from the bytes, never from the name"),
    size: z.number().int().describe("Bytes, as stored (an image after it was re-encoded without its metadata)"),
    url: z
      .string()
      .nullable()
      .describe(
        "Where to download it, on this portal: `/api/chat-files/{id}?expires=…&signature=…`, minted for whoever reads the message and valid for 10 minutes (read the message again for a fresh one). Null once the room's uploads were deleted.",
      ),
  })
  .meta({ id: "ChatFile" });
export type ChatFile = z.infer<typeof chatFileSchema>;

/** `DELETE /api/teleconsultation/{roomId}/uploads`, when deleting is on. */
export const deletedUploadsSchema = z
  .object({
    total: z.number().int().min(0).describe("The room's files not yet deleted when the request came"),
    deleted: z.number().int().min(0).describe("How many of them this request deleted; fewer than `total` means some could not be, and the same request later deletes the rest"),
  })
  .meta({ id: "DeletedUploads" });
export type DeletedUploads = z.infer<typeof deletedUploadsSchema>;

import { z } from "zod";

/** What `POST /api/livekit/webhook` answers (LiveKit only looks at the status; this is for people and tests). */
export const livekitWebhookResultSchema = z
  .object({
    event: z.string().describe("LiveKit's event name, e.g. `participant_joined`"),
    outcome: z
      .enum(["applied", "unchanged", "duplicate", "ignored"])
      .describe(
        "`applied`: a stay opened or closed, or the consultation completed; `unchanged`: an event we act on that found nothing to change; `duplicate`: this event id was applied before; `ignored`: an event we do not act on, or not about our rooms and participants",
      ),
  })
  .meta({ id: "LivekitWebhookResult" });
export type LivekitWebhookResult = z.infer<typeof livekitWebhookResultSchema>;

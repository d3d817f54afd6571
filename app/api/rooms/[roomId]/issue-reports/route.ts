import { env } from "@/lib/config";
import { readJsonBody } from "@/lib/http/body";
import { participantRoute, respond } from "@/lib/http/route";
import { reportIssue } from "@/lib/rooms/issue-reports";
import { reportIssueSchema } from "@/lib/rooms/schema";

/** A problem with the call, reported from it, kept with the consultation for the clinic. */
export const POST = participantRoute<{ roomId: string }>(
  (params) => ({ roomId: params.roomId }),
  async (ctx) => {
    const { value } = await readJsonBody(ctx.request, env().API_MAX_BODY_BYTES);
    const report = await reportIssue(ctx.db, ctx.session, reportIssueSchema.parse(value), { now: ctx.now, userAgent: ctx.request.headers.get("user-agent") });
    return respond(ctx, report, { status: 201 });
  },
);

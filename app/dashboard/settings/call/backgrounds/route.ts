import { getTranslations } from "next-intl/server";
import { revalidatePath } from "next/cache";
import { database } from "@/db/runtime";
import { auditedStaffAction } from "@/lib/auth/staff-auth";
import { staffRouteMember } from "@/lib/auth/staff-route";
import { readUploadedFile } from "@/lib/chat-files/read-upload";
import { AppError } from "@/lib/errors";
import { refusedForm } from "@/lib/forms/form-state";
import { newRequestId } from "@/lib/http/envelope";
import { BACKGROUND_UPLOAD, uploadBackground } from "@/lib/settings/backgrounds";
import { fileStorage } from "@/lib/storage";
import { backgroundWording } from "../wording";

/**
 * The dashboard's background upload. A route, not a server action: a 10 MB image is no action's
 * body (their limit is 1 MB, and raising it would raise it for every action), and this reads the
 * upload with the API's own cap. Answers 201, or the refusal as the form shows it, in the
 * reader's language: `{ formError, fieldErrors }`.
 */
export async function POST(request: Request): Promise<Response> {
  const headers = { "Cache-Control": "no-store" };
  try {
    const staff = await staffRouteMember(request, "settings.manage");
    const background = await uploadBackground(await database(), fileStorage(), staff.organizationId, () => readUploadedFile(request, BACKGROUND_UPLOAD), {
      now: new Date(),
      record: (write) =>
        auditedStaffAction(staff, write, (added) => ({
          action: "organization.background_added",
          target: { type: "organization", id: staff.organizationId },
          detail: { alias: added.alias, contentType: added.contentType, width: added.width, height: added.height, bytes: added.byteSize },
        })),
    });
    revalidatePath("/dashboard/settings/call");
    return Response.json({ alias: background.alias }, { status: 201, headers });
  } catch (error) {
    if (error instanceof AppError && error.status < 500) {
      return Response.json(await refusedForm(error, backgroundWording), { status: error.status, headers });
    }
    const t = await getTranslations("CallSettings");
    if (!(error instanceof AppError && error.code === "storage_unavailable")) console.error(`[${newRequestId()}] dashboard background upload failed`, error);
    return Response.json({ formError: t("upload.failed"), fieldErrors: {} }, { status: 500, headers });
  }
}

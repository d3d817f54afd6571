"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { BackgroundActionState } from "@/components/dashboard/Backgrounds";
import type { CallSettingsState } from "@/components/dashboard/CallSettingsForm";
import { staffAction } from "@/lib/auth/staff-action";
import { AppError } from "@/lib/errors";
import { formText } from "@/lib/forms/read";
import { deleteBackground } from "@/lib/settings/backgrounds";
import { updateCompanySettings, type CompanyChanges } from "@/lib/settings/company";
import type { StaffAudit } from "@/lib/staff";
import { fileStorage } from "@/lib/storage";
import { callSettingsWording } from "./wording";

const PAGE = "/dashboard/settings/call";

const callSettingsForm = z.object({ endCallRedirectUrl: formText, endCallRedirectSeconds: formText, userDetailsProviderUrl: formText });
const backgroundForm = z.object({ alias: formText });

/** The delay as typed, in seconds (a comma as decimal mark too), in milliseconds; the API's field is refused when it is not a number. */
function delayMs(seconds: string): number {
  const value = Number(seconds.trim().replace(",", "."));
  if (seconds.trim() === "" || !Number.isFinite(value)) {
    throw AppError.validation([{ field: "end_call_redirect_timeout_ms", code: "invalid_type", message: "must be a number of seconds" }]);
  }
  return Math.round(value * 1000);
}

/** A change of the call settings for the audit log; none when nothing changed. */
function audit(organizationId: string, changes: CompanyChanges): StaffAudit | null {
  return Object.keys(changes).length > 0 ? { action: "organization.call_settings_updated", detail: changes, target: { type: "organization", id: organizationId } } : null;
}

/** The end of a call and the user-details service, from the Call settings form. */
export const saveCallSettings = staffAction(
  "settings.manage",
  callSettingsForm,
  async (values, { staff, audited }): Promise<CallSettingsState> => {
    const input = {
      end_call_redirect_url: values.endCallRedirectUrl,
      end_call_redirect_timeout_ms: delayMs(values.endCallRedirectSeconds),
      user_details_provider_url: values.userDetailsProviderUrl,
    };
    const { company, changes } = await audited((tx) => updateCompanySettings(tx, staff.organizationId, input, ""), (saved) => audit(staff.organizationId, saved.changes));
    return {
      values: {
        endCallRedirectUrl: company.end_call_redirect_url,
        endCallRedirectSeconds: String(company.end_call_redirect_timeout_ms / 1000),
        userDetailsProviderUrl: company.user_details_provider_url,
      },
      saved: Object.keys(changes),
    };
  },
  callSettingsWording,
);

/** Makes one of the organization's backgrounds the one calls offer first. */
export const makeDefaultBackground = staffAction("settings.manage", backgroundForm, async ({ alias }, { staff, audited }): Promise<BackgroundActionState> => {
  await audited((tx) => updateCompanySettings(tx, staff.organizationId, { background_alias: alias }, ""), (saved) => audit(staff.organizationId, saved.changes));
  revalidatePath(PAGE);
  return { done: "madeDefault" };
});

/** Deletes a background: its row, then its image (the default goes with it). */
export const removeBackground = staffAction("settings.manage", backgroundForm, async ({ alias }, { staff, db, audited }): Promise<BackgroundActionState> => {
  await deleteBackground(db, fileStorage(), staff.organizationId, alias, {
    record: (write) => audited(write, (removed) => ({ action: "organization.background_deleted", detail: { alias: removed.alias }, target: { type: "organization", id: staff.organizationId } })),
  });
  revalidatePath(PAGE);
  return { done: "deleted" };
});

"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import type { Db } from "@/db/client";
import type { ReissueResult, RowActionResult } from "@/components/dashboard/ConsultationRowActions";
import { staffRequest } from "@/lib/auth/staff-action";
import { auditStaffAction } from "@/lib/auth/staff-auth";
import { appSealer, appUrl, env } from "@/lib/config";
import { getConsultation } from "@/lib/consultations/read";
import { reissueAccess } from "@/lib/consultations/reissue";
import { isNotFound, refusalMessage } from "@/lib/forms/form-state";
import { requestContextFrom } from "@/lib/security/client-address";
import { cancelConsultation, endConsultationByStaff } from "@/lib/rooms/completion";

// The consultations table's row actions (and the detail page's): staff who manage consultations only.

async function consultationOf(consultationId: string) {
  const { staff, db, organization } = await staffRequest("consultations.manage");
  const view = await getConsultation(db, { organizationId: staff.organizationId, timeZone: organization.timezone, appUrl: appUrl(), sealer: appSealer() }, consultationId);
  return { staff, view };
}

/** The two join links, fetched when the row's menu opens (the table itself carries no links). */
export async function consultationLinksAction(consultationId: string): Promise<{ patientUrl: string; providerUrl: string } | null> {
  try {
    const { view } = await consultationOf(consultationId);
    return view.participantAccess;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** The PIN, on request; every showing is in the audit log, written before the PIN is handed out. */
export async function revealPinAction(consultationId: string): Promise<{ pin: string } | null> {
  try {
    const { staff, view } = await consultationOf(consultationId);
    // No audit row, no PIN: a failed write throws before the return.
    await auditStaffAction(staff, "pin.viewed", undefined, { type: "consultation", id: consultationId });
    return { pin: view.accessPin };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

async function change(consultationId: string, run: (tx: Db, organizationId: string) => Promise<{ changed: boolean }>, action: "consultation.cancelled" | "consultation.ended"): Promise<RowActionResult> {
  const { staff, audited } = await staffRequest("consultations.manage");
  try {
    await audited((tx) => run(tx, staff.organizationId), (result) => (result.changed ? { action, target: { type: "consultation", id: consultationId } } : null));
  } catch (error) {
    return { ok: false, message: await refusalMessage(error) };
  }
  revalidatePath("/dashboard/consultations", "layout");
  return { ok: true };
}

export async function cancelConsultationAction(consultationId: string): Promise<RowActionResult> {
  return change(consultationId, (tx, organizationId) => cancelConsultation(tx, organizationId, consultationId, new Date()), "consultation.cancelled");
}

export async function endConsultationAction(consultationId: string): Promise<RowActionResult> {
  return change(consultationId, (tx, organizationId) => endConsultationByStaff(tx, organizationId, consultationId, new Date()), "consultation.ended");
}

/**
 * A new PIN (and with `links`, new links) for a consultation whose link was locked by wrong
 * PINs, or whose PIN went astray. The change and its audit row commit together; the new PIN is
 * shown once, here.
 */
export async function reissueAccessAction(consultationId: string, links: boolean): Promise<ReissueResult> {
  const { staff, db, organization } = await staffRequest("consultations.manage");
  const request = requestContextFrom(await headers(), env().TRUSTED_PROXY_HOPS);
  try {
    await reissueAccess(db, {
      organizationId: staff.organizationId,
      consultationId,
      links: links === true,
      now: new Date(),
      sealer: appSealer(),
      actor: { userId: staff.userId, label: staff.email },
      ...request,
    });
    const view = await getConsultation(db, { organizationId: staff.organizationId, timeZone: organization.timezone, appUrl: appUrl(), sealer: appSealer() }, consultationId);
    revalidatePath("/dashboard/consultations", "layout");
    return { ok: true, pin: view.accessPin, links: links === true ? view.participantAccess : null };
  } catch (error) {
    return { ok: false, message: await refusalMessage(error) };
  }
}

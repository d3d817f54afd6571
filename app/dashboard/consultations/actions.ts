"use server";

import { revalidatePath } from "next/cache";
import { database } from "@/db/runtime";
import { requireStaff, staffOrganization } from "@/lib/auth/current-staff";
import { auditStaffAction } from "@/lib/auth/staff-auth";
import { appSealer, appUrl } from "@/lib/config";
import { getConsultation } from "@/lib/consultations/read";
import { AppError } from "@/lib/errors";
import { cancelConsultation, endConsultationByStaff } from "@/lib/rooms/lifecycle";

// The consultations table's row actions (and the detail page's): staff who manage consultations only.

export type RowActionResult = { ok: true } | { ok: false; message: string };

async function consultationOf(consultationId: string) {
  const member = await requireStaff("consultations.manage");
  const organization = await staffOrganization(member.organizationId);
  const view = await getConsultation(
    await database(),
    { organizationId: member.organizationId, timeZone: organization.timezone, appUrl: appUrl(), sealer: appSealer() },
    consultationId,
  );
  return { member, view };
}

/** The two join links, fetched when the row's menu opens (the table itself carries no links). */
export async function consultationLinksAction(consultationId: string): Promise<{ patientUrl: string; providerUrl: string } | null> {
  try {
    const { view } = await consultationOf(consultationId);
    return view.participantAccess;
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return null;
    throw error;
  }
}

/** The PIN, on request; every showing is in the audit log. */
export async function revealPinAction(consultationId: string): Promise<{ pin: string } | null> {
  try {
    const { member, view } = await consultationOf(consultationId);
    await auditStaffAction(member, "pin.viewed", undefined, { type: "consultation", id: consultationId });
    return { pin: view.accessPin };
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return null;
    throw error;
  }
}

async function change(consultationId: string, run: (organizationId: string) => Promise<{ changed: boolean }>, action: "consultation.cancelled" | "consultation.ended"): Promise<RowActionResult> {
  const member = await requireStaff("consultations.manage");
  try {
    const result = await run(member.organizationId);
    if (result.changed) await auditStaffAction(member, action, undefined, { type: "consultation", id: consultationId });
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return { ok: false, message: error.message };
    throw error;
  }
  revalidatePath("/dashboard/consultations", "layout");
  return { ok: true };
}

export async function cancelConsultationAction(consultationId: string): Promise<RowActionResult> {
  return change(consultationId, async (organizationId) => cancelConsultation(await database(), organizationId, consultationId, new Date()), "consultation.cancelled");
}

export async function endConsultationAction(consultationId: string): Promise<RowActionResult> {
  return change(consultationId, async (organizationId) => endConsultationByStaff(await database(), organizationId, consultationId, new Date()), "consultation.ended");
}

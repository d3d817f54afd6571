"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import type { Db } from "@/db/client";
import { database } from "@/db/runtime";
import { requireStaff, staffOrganization } from "@/lib/auth/current-staff";
import { auditedStaffAction, auditStaffAction } from "@/lib/auth/staff-auth";
import { appSealer, appUrl, env } from "@/lib/config";
import { getConsultation } from "@/lib/consultations/read";
import { reissueAccess } from "@/lib/consultations/reissue";
import { requestContextFrom } from "@/lib/http/client-address";
import { AppError } from "@/lib/errors";
import { cancelConsultation, endConsultationByStaff } from "@/lib/rooms/completion";

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

/** The PIN, on request; every showing is in the audit log, written before the PIN is handed out. */
export async function revealPinAction(consultationId: string): Promise<{ pin: string } | null> {
  try {
    const { member, view } = await consultationOf(consultationId);
    // No audit row, no PIN: a failed write throws before the return.
    await auditStaffAction(member, "pin.viewed", undefined, { type: "consultation", id: consultationId });
    return { pin: view.accessPin };
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return null;
    throw error;
  }
}

async function change(consultationId: string, run: (tx: Db, organizationId: string) => Promise<{ changed: boolean }>, action: "consultation.cancelled" | "consultation.ended"): Promise<RowActionResult> {
  const member = await requireStaff("consultations.manage");
  try {
    await auditedStaffAction(member, (tx) => run(tx, member.organizationId), (result) => (result.changed ? { action, target: { type: "consultation", id: consultationId } } : null));
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return { ok: false, message: error.message };
    throw error;
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

export type ReissueResult = { ok: true; pin: string; links: { patientUrl: string; providerUrl: string } | null } | { ok: false; message: string };

/**
 * A new PIN (and with `links`, new links) for a consultation whose link was locked by wrong
 * PINs, or whose PIN went astray. The change and its audit row commit together; the new PIN is
 * shown once, here.
 */
export async function reissueAccessAction(consultationId: string, links: boolean): Promise<ReissueResult> {
  const member = await requireStaff("consultations.manage");
  const organization = await staffOrganization(member.organizationId);
  const request = requestContextFrom(await headers(), env().TRUSTED_PROXY_HOPS);
  const db = await database();
  try {
    await reissueAccess(db, {
      organizationId: member.organizationId,
      consultationId,
      links: links === true,
      now: new Date(),
      sealer: appSealer(),
      actor: { userId: member.userId, label: member.email },
      ...request,
    });
    const view = await getConsultation(db, { organizationId: member.organizationId, timeZone: organization.timezone, appUrl: appUrl(), sealer: appSealer() }, consultationId);
    revalidatePath("/dashboard/consultations", "layout");
    return { ok: true, pin: view.accessPin, links: links === true ? view.participantAccess : null };
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return { ok: false, message: error.message };
    throw error;
  }
}

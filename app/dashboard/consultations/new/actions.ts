"use server";

import { database } from "@/db/runtime";
import { requireStaff, staffOrganization } from "@/lib/auth/current-staff";
import { appSealer, appUrl } from "@/lib/config";
import type { ConsultationView } from "@/lib/consultations/schema";
import { scheduleConsultation } from "@/lib/consultations/schedule";
import { AppError } from "@/lib/errors";

export type NewConsultationState = {
  values?: Record<string, string>;
  fieldErrors?: Record<string, string>;
  formError?: string;
  created?: Pick<ConsultationView, "consultationId" | "accessPin" | "participantAccess" | "scheduledAt" | "immediate">;
};

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

export async function scheduleConsultationAction(_previous: NewConsultationState, form: FormData): Promise<NewConsultationState> {
  const member = await requireStaff("consultations.manage");
  const db = await database();
  const organization = await staffOrganization(member.organizationId);
  const values = Object.fromEntries([...form.entries()].filter(([k]) => !k.startsWith("$")).map(([k, v]) => [k, String(v)]));
  try {
    const view = await scheduleConsultation(
      db,
      { organizationId: member.organizationId, timeZone: organization.timezone, appUrl: appUrl(), sealer: appSealer() },
      {
        providerId: text(form, "providerId"),
        medicalSpecialtyCode: text(form, "provider.medicalSpecialtyCode"),
        patient: {
          documentType: text(form, "patient.documentType"),
          documentNumber: text(form, "patient.documentNumber"),
          name: text(form, "patient.name"),
          phone: text(form, "patient.phone"),
          email: text(form, "patient.email"),
        },
        consultationType: text(form, "consultationType"),
        durationMinutes: text(form, "durationMinutes"),
        when: text(form, "when"),
        scheduledAt: text(form, "scheduledAt"),
      },
    );
    const { consultationId, accessPin, participantAccess, scheduledAt, immediate } = view;
    return { created: { consultationId, accessPin, participantAccess, scheduledAt, immediate } };
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    const fieldErrors: Record<string, string> = {};
    // A double booking names "provider" or "patient": shown on the fields that pick them.
    const formField: Record<string, string> = { provider: "providerId", patient: "patient.documentNumber" };
    for (const detail of error.details) {
      const message = detail.code === "specialty_required" ? "is required for a specialist" : detail.message;
      fieldErrors[formField[detail.field] ?? detail.field] ??= message;
    }
    const conflict = error.status === 409;
    return {
      values,
      fieldErrors,
      formError: conflict
        ? `${error.message} Pick another time, or check the provider's and the patient's agenda.`
        : Object.keys(fieldErrors).length > 0
          ? "Some fields need attention; each one says what is wrong."
          : error.message,
    };
  }
}

"use server";

import { getTranslations } from "next-intl/server";
import { z } from "zod";
import type { NewConsultationState } from "@/components/dashboard/NewConsultationForm";
import { staffAction } from "@/lib/auth/staff-action";
import { appSealer, appUrl } from "@/lib/config";
import { scheduleConsultation } from "@/lib/consultations/schedule";
import type { FormWording } from "@/lib/forms/form-state";
import { parseLocal } from "@/lib/time";

// A double booking names "provider" or "patient": shown on the fields that pick them.
const FORM_FIELD: Record<string, string> = { provider: "providerId", patient: "patient.documentNumber" };

/** The form's own words where it says more than the usual ones: the provider picked from a list, the date and time. */
async function wording(): Promise<FormWording> {
  const t = await getTranslations("ConsultationForm");
  return {
    field: (field) => FORM_FIELD[field] ?? field,
    message: (detail) => {
      if (detail.field === "providerId" && detail.code === "required") return t("errors.chooseProvider");
      if (detail.field === "scheduledAt" && detail.code === "required") return t("errors.scheduledAtRequired");
      if (detail.field === "scheduledAt" && detail.code === "invalid_format") return t("errors.scheduledAtFormat");
      if (detail.field === "durationMinutes" && detail.code !== "invalid_type") return t("errors.duration");
      return undefined;
    },
    summary: (error, _fieldErrors, usual) =>
      error.code === "schedule_conflict" ? t("errors.conflict", { who: error.details[0]?.field === "patient" ? "patient" : "provider" }) : usual,
  };
}

export const scheduleConsultationAction = staffAction(
  "consultations.manage",
  z.record(z.string(), z.string()),
  async (values, { staff, db, organization }): Promise<NewConsultationState> => {
    const text = (name: string) => values[name] ?? "";
    const view = await scheduleConsultation(
      db,
      { organizationId: staff.organizationId, timeZone: organization.timezone, appUrl: appUrl(), sealer: appSealer() },
      {
        providerId: text("providerId"),
        medicalSpecialtyCode: text("provider.medicalSpecialtyCode"),
        patient: {
          documentType: text("patient.documentType"),
          documentNumber: text("patient.documentNumber"),
          name: text("patient.name"),
          phone: text("patient.phone"),
          email: text("patient.email"),
        },
        consultationType: text("consultationType"),
        durationMinutes: text("durationMinutes"),
        when: text("when"),
        scheduledAt: text("scheduledAt"),
      },
    );
    const { consultationId, accessPin, participantAccess, scheduledAt, immediate } = view;
    // The view's start is the API's wall-clock text in the clinic's timezone; the form shows it in the reader's words.
    const start = parseLocal(scheduledAt, organization.timezone);
    const startsAt = (start.ok ? start.instant : new Date()).toISOString();
    return { created: { consultationId, accessPin, participantAccess, startsAt, immediate } };
  },
  wording,
);

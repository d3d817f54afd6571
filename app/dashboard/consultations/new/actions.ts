"use server";

import { z } from "zod";
import type { NewConsultationState } from "@/components/dashboard/NewConsultationForm";
import { staffAction } from "@/lib/auth/staff-action";
import { appSealer, appUrl } from "@/lib/config";
import { scheduleConsultation } from "@/lib/consultations/schedule";
import { FIELDS_NEED_ATTENTION } from "@/lib/forms/form-state";

// A double booking names "provider" or "patient": shown on the fields that pick them.
const FORM_FIELD: Record<string, string> = { provider: "providerId", patient: "patient.documentNumber" };

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
    return { created: { consultationId, accessPin, participantAccess, scheduledAt, immediate } };
  },
  {
    field: (field) => FORM_FIELD[field] ?? field,
    summary: (error, fieldErrors) =>
      error.status === 409
        ? `${error.message} Pick another time, or check the provider's and the patient's agenda.`
        : Object.keys(fieldErrors).length > 0
          ? FIELDS_NEED_ATTENTION
          : error.message,
  },
);

import type { CatalogIndex } from "@/lib/catalogs";
import { formatLocal } from "@/lib/time";
import type { ConsultationSummary, ConsultationView } from "./schema";

/** The columns a consultation's public view is built from (one joined row). */
export type ConsultationRecord = {
  id: string;
  status: ConsultationView["status"];
  immediate: boolean;
  startsAt: Date;
  endsAt: Date;
  durationMinutes: number;
  consultationType: string;
  medicalSpecialtyId: string | null;
  createdAt: Date;
  providerName: string;
  providerProfessionalType: string;
  patientName: string;
  patientDocumentType: ConsultationView["patient"]["documentType"];
  patientDocumentNumber: string;
  /** Who never joined (recorded when it ended); left out, null: a consultation just created. */
  noShow?: ConsultationView["noShow"];
};

export function joinUrl(appUrl: string, token: string, role: "patient" | "provider" | "guest"): string {
  return `${appUrl}/join/${token}?type=${role}`;
}

export function consultationSummary(record: ConsultationRecord, catalogs: CatalogIndex, timeZone: string): ConsultationSummary {
  const specialty = record.medicalSpecialtyId ? catalogs.specialtyById.get(record.medicalSpecialtyId) : undefined;
  return {
    consultationId: record.id,
    expiredAt: formatLocal(record.endsAt, timeZone),
    provider: {
      name: record.providerName,
      professionalType: catalogs.professionalType.get(record.providerProfessionalType)?.name ?? record.providerProfessionalType,
      // Only specialists carry the specialty fields, as the seed says.
      ...(specialty ? { specialtyId: specialty.id, specialtyCode: specialty.code, specialtyName: specialty.name } : {}),
    },
    patient: { documentType: record.patientDocumentType, documentNumber: record.patientDocumentNumber, name: record.patientName },
    consultationType: record.consultationType,
    scheduledAt: formatLocal(record.startsAt, timeZone),
    immediate: record.immediate,
    durationMinutes: record.durationMinutes,
    status: record.status,
    createdAt: formatLocal(record.createdAt, timeZone),
    noShow: record.noShow ?? null,
  };
}

export function consultationView(
  record: ConsultationRecord,
  access: { pin: string; patientToken: string; providerToken: string; appUrl: string },
  catalogs: CatalogIndex,
  timeZone: string,
): ConsultationView {
  const { consultationId, ...summary } = consultationSummary(record, catalogs, timeZone);
  return {
    consultationId,
    accessPin: access.pin,
    participantAccess: {
      patientUrl: joinUrl(access.appUrl, access.patientToken, "patient"),
      providerUrl: joinUrl(access.appUrl, access.providerToken, "provider"),
    },
    ...summary,
  };
}

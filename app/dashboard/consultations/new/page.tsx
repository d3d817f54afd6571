import type { Metadata } from "next";
import { NewConsultationForm } from "@/components/dashboard/NewConsultationForm";
import { staffRequest } from "@/lib/auth/staff-action";
import { loadCatalogs } from "@/lib/catalogs";
import { DOCUMENT_TYPES } from "@/lib/consultations/schema";
import { listBookableProviders } from "@/lib/providers";
import { scheduleConsultationAction } from "./actions";

export const metadata: Metadata = { title: "New consultation" };

export default async function NewConsultationPage() {
  const { staff: member, db, organization } = await staffRequest("consultations.manage");
  const [catalogs, providers] = await Promise.all([
    loadCatalogs(db),
    // Every active provider, however many: not one page of the API's list.
    listBookableProviders(db, member.organizationId),
  ]);
  return (
    <>
      <h1>New consultation</h1>
      <NewConsultationForm
        schedule={scheduleConsultationAction}
        providers={providers.map((p) => ({
          id: p.id,
          name: p.name,
          professionalTypeName: p.professionalTypeName,
          requiresSpecialty: catalogs.professionalType.get(p.professionalType)?.requiresSpecialty ?? false,
          specialtyCode: p.specialtyCode,
        }))}
        specialties={catalogs.medicalSpecialties.map((s) => ({ code: s.code, name: s.name }))}
        consultationTypes={catalogs.consultationTypes}
        documentTypes={DOCUMENT_TYPES}
        durations={catalogs.durations}
        timeZone={organization.timezone}
      />
    </>
  );
}

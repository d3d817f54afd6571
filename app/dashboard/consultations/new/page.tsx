import type { Metadata } from "next";
import { NewConsultationForm } from "@/components/dashboard/NewConsultationForm";
import { database } from "@/db/runtime";
import { requireStaff, staffOrganization } from "@/lib/auth/current-staff";
import { loadCatalogs } from "@/lib/catalogs";
import { DOCUMENT_TYPES } from "@/lib/consultations/schema";
import { listBookableProviders } from "@/lib/providers";

export const metadata: Metadata = { title: "New consultation" };

export default async function NewConsultationPage() {
  const member = await requireStaff("consultations.manage");
  const db = await database();
  const [organization, catalogs, providers] = await Promise.all([
    staffOrganization(member.organizationId),
    loadCatalogs(db),
    // Every active provider, however many: not one page of the API's list.
    listBookableProviders(db, member.organizationId),
  ]);
  return (
    <>
      <h1>New consultation</h1>
      <NewConsultationForm
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

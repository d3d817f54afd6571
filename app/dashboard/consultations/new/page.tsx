import type { Metadata } from "next";
import { NewConsultationForm } from "@/components/dashboard/NewConsultationForm";
import { database } from "@/db/runtime";
import { requireStaff, staffOrganization } from "@/lib/auth/current-staff";
import { loadCatalogs } from "@/lib/catalogs";
import { DOCUMENT_TYPES } from "@/lib/consultations/schema";
import { listProviders } from "@/lib/providers";

export const metadata: Metadata = { title: "New consultation" };

export default async function NewConsultationPage() {
  const member = await requireStaff("consultations.manage");
  const db = await database();
  const [organization, catalogs, providers] = await Promise.all([
    staffOrganization(member.organizationId),
    loadCatalogs(db),
    listProviders(db, member.organizationId, { active: true, limit: 100 }),
  ]);
  return (
    <>
      <h1>New consultation</h1>
      <NewConsultationForm
        providers={providers.items.map((p) => ({
          id: p.providerId,
          name: p.name,
          professionalTypeName: p.professionalTypeName,
          requiresSpecialty: catalogs.professionalType.get(p.professionalType)?.requiresSpecialty ?? false,
          specialtyCode: p.specialty?.specialtyCode ?? null,
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

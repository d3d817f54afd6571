import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { NewConsultationForm } from "@/components/dashboard/NewConsultationForm";
import { staffRequest } from "@/lib/auth/staff-action";
import { loadCatalogs } from "@/lib/catalogs";
import { DOCUMENT_TYPES } from "@/lib/consultations/schema";
import { listBookableProviders } from "@/lib/providers";
import { scheduleConsultationAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Consultations");
  return { title: t("new") };
}

export default async function NewConsultationPage() {
  const { staff: member, db, organization } = await staffRequest("consultations.manage");
  const [catalogs, providers, t] = await Promise.all([
    loadCatalogs(db),
    // Every active provider, however many: not one page of the API's list.
    listBookableProviders(db, member.organizationId),
    getTranslations("Consultations"),
  ]);
  return (
    <>
      <h1>{t("new")}</h1>
      <NewConsultationForm
        schedule={scheduleConsultationAction}
        providers={providers.map((p) => ({
          id: p.id,
          name: p.name,
          professionalTypeName: p.professionalTypeName,
          tellApart: p.tellApart,
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

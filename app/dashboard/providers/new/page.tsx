import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ProviderForm } from "@/components/dashboard/ProviderForm";
import styles from "@/components/dashboard/dashboard.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { loadCatalogs } from "@/lib/catalogs";
import { DOCUMENT_TYPES } from "@/lib/consultations/schema";
import { createProviderAction } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Providers");
  return { title: t("add") };
}

export default async function NewProviderPage() {
  const { db } = await staffRequest("providers.manage");
  const [catalogs, t] = await Promise.all([loadCatalogs(db), getTranslations("Providers")]);
  return (
    <>
      <p className={styles.breadcrumb}>
        <Link href="/dashboard/providers">{t("back")}</Link>
      </p>
      <h1>{t("add")}</h1>
      <ProviderForm
        save={createProviderAction}
        professionalTypes={catalogs.professionalTypes}
        specialties={catalogs.medicalSpecialties.map((s) => ({ code: s.code, name: s.name }))}
        documentTypes={DOCUMENT_TYPES}
      />
    </>
  );
}

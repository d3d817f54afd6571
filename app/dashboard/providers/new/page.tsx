import type { Metadata } from "next";
import Link from "next/link";
import { ProviderForm } from "@/components/dashboard/ProviderForm";
import styles from "@/components/dashboard/dashboard.module.css";
import { database } from "@/db/runtime";
import { requireStaff } from "@/lib/auth/current-staff";
import { loadCatalogs } from "@/lib/catalogs";
import { DOCUMENT_TYPES } from "@/lib/consultations/schema";

export const metadata: Metadata = { title: "Add provider" };

export default async function NewProviderPage() {
  await requireStaff("providers.manage");
  const catalogs = await loadCatalogs(await database());
  return (
    <>
      <p className={styles.breadcrumb}>
        <Link href="/dashboard/providers">← Providers</Link>
      </p>
      <h1>Add provider</h1>
      <ProviderForm
        professionalTypes={catalogs.professionalTypes}
        specialties={catalogs.medicalSpecialties.map((s) => ({ code: s.code, name: s.name }))}
        documentTypes={DOCUMENT_TYPES}
      />
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { ProviderForm } from "@/components/dashboard/ProviderForm";
import styles from "@/components/dashboard/dashboard.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { loadCatalogs } from "@/lib/catalogs";
import { DOCUMENT_TYPES } from "@/lib/consultations/schema";
import { createProviderAction } from "../actions";

export const metadata: Metadata = { title: "Add provider" };

export default async function NewProviderPage() {
  const { db } = await staffRequest("providers.manage");
  const catalogs = await loadCatalogs(db);
  return (
    <>
      <p className={styles.breadcrumb}>
        <Link href="/dashboard/providers">← Providers</Link>
      </p>
      <h1>Add provider</h1>
      <ProviderForm
        save={createProviderAction}
        professionalTypes={catalogs.professionalTypes}
        specialties={catalogs.medicalSpecialties.map((s) => ({ code: s.code, name: s.name }))}
        documentTypes={DOCUMENT_TYPES}
      />
    </>
  );
}

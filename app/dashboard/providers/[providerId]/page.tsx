import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ProviderActiveToggle } from "@/components/dashboard/ProviderActiveToggle";
import { ProviderForm } from "@/components/dashboard/ProviderForm";
import { ProviderStatusBadge } from "@/components/dashboard/ProvidersTable";
import styles from "@/components/dashboard/dashboard.module.css";
import own from "@/components/dashboard/providers.module.css";
import { staffRequest } from "@/lib/auth/staff-action";
import { loadCatalogs } from "@/lib/catalogs";
import { DOCUMENT_TYPES } from "@/lib/consultations/schema";
import { getProvider, pendingConsultationsOf } from "@/lib/providers";
import { setProviderActiveAction, updateProviderAction } from "../actions";

export const metadata: Metadata = { title: "Provider" };

const DONE: Record<string, string> = {
  added: "Provider added. They are now offered in New consultation.",
  saved: "Changes saved.",
  deactivated: "Provider deactivated: they are no longer offered for new consultations.",
  reactivated: "Provider reactivated: they are offered for new consultations again.",
};

export default async function ProviderPage({
  params,
  searchParams,
}: {
  params: Promise<{ providerId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { staff: member, db } = await staffRequest("providers.manage");
  const { providerId } = await params;
  // Another organization's provider, or no id at all: not found, never its data.
  const provider = await getProvider(db, member.organizationId, providerId);
  if (!provider) notFound();
  const [catalogs, pending, { done }] = await Promise.all([loadCatalogs(db), pendingConsultationsOf(db, member.organizationId, provider.providerId), searchParams]);
  const notice = typeof done === "string" ? DONE[done] : undefined;

  return (
    <>
      <p className={styles.breadcrumb}>
        <Link href="/dashboard/providers">← Providers</Link>
      </p>
      <div className={styles.pageHead}>
        <h1>{provider.name}</h1>
        <ProviderStatusBadge active={provider.active} />
      </div>
      {notice && (
        <p className={styles.notice} role="status">
          {notice}
        </p>
      )}

      <ProviderForm
        // A new form after every save: it starts from the stored record, with no old errors.
        key={provider.updatedAt.toISOString()}
        save={updateProviderAction}
        providerId={provider.providerId}
        initial={{
          name: provider.name,
          documentType: provider.documentType,
          documentNumber: provider.documentNumber,
          professionalType: provider.professionalType,
          medicalSpecialtyCode: provider.specialty?.specialtyCode ?? "",
          phone: provider.phone,
          email: provider.email,
          professionalLicense: provider.professionalLicense ?? "",
        }}
        professionalTypes={catalogs.professionalTypes}
        specialties={catalogs.medicalSpecialties.map((s) => ({ code: s.code, name: s.name }))}
        documentTypes={DOCUMENT_TYPES}
      />

      <section aria-labelledby="status-title" className={`${styles.panel} ${own.statusPanel}`}>
        <h2 id="status-title">Status</h2>
        <p>
          {provider.active
            ? "Active: offered in New consultation, and the API accepts consultations for them."
            : "Inactive: not offered in New consultation, and the API refuses consultations for them."}{" "}
          {pending === 0 ? "No pending consultations." : `${pending} pending consultation${pending === 1 ? "" : "s"}.`}
        </p>
        <ProviderActiveToggle setActive={setProviderActiveAction} providerId={provider.providerId} name={provider.name} active={provider.active} pendingConsultations={pending} />
      </section>
    </>
  );
}

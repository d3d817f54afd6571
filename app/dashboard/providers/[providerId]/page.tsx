import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
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

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Providers");
  return { title: t("detail.title") };
}

/** What the last action did (the action's `?done=`). */
const DONE = { added: "detail.done.added", saved: "detail.done.saved", deactivated: "detail.done.deactivated", reactivated: "detail.done.reactivated" } as const;

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
  const [catalogs, pending, { done }, t] = await Promise.all([
    loadCatalogs(db),
    pendingConsultationsOf(db, member.organizationId, provider.providerId),
    searchParams,
    getTranslations("Providers"),
  ]);
  const notice = typeof done === "string" && Object.hasOwn(DONE, done) ? t(DONE[done as keyof typeof DONE]) : undefined;

  return (
    <>
      <p className={styles.breadcrumb}>
        <Link href="/dashboard/providers">{t("back")}</Link>
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
        <h2 id="status-title">{t("detail.status")}</h2>
        <p>
          {provider.active ? t("detail.activeExplained") : t("detail.inactiveExplained")} {t("detail.pending", { count: pending })}
        </p>
        <ProviderActiveToggle setActive={setProviderActiveAction} providerId={provider.providerId} name={provider.name} active={provider.active} pendingConsultations={pending} />
      </section>
    </>
  );
}

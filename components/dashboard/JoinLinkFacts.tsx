import { useTranslations } from "next-intl";
import { CopyButton } from "./CopyButton";
import styles from "./dashboard.module.css";

/**
 * A consultation's two join links as terms of a facts list (`<dl>`), each with its Copy button:
 * after creating a consultation, on its detail page, and after new links are issued.
 */
export function JoinLinkFacts({ links, fresh = false }: { links: { patientUrl: string; providerUrl: string }; fresh?: boolean }) {
  const t = useTranslations("Consultations.links");
  return (
    <>
      <dt>{t("patient")}</dt>
      <dd className={styles.linkValue}>
        <code>{links.patientUrl}</code> <CopyButton value={links.patientUrl} label={fresh ? t("copyNewPatient") : t("copyPatient")} />
      </dd>
      <dt>{t("provider")}</dt>
      <dd className={styles.linkValue}>
        <code>{links.providerUrl}</code> <CopyButton value={links.providerUrl} label={fresh ? t("copyNewProvider") : t("copyProvider")} />
      </dd>
    </>
  );
}

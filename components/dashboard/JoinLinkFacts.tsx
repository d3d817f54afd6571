import { CopyButton } from "./CopyButton";
import styles from "./dashboard.module.css";

/**
 * A consultation's two join links as terms of a facts list (`<dl>`), each with its Copy button:
 * after creating a consultation, on its detail page, and after new links are issued.
 */
export function JoinLinkFacts({ links, fresh = false }: { links: { patientUrl: string; providerUrl: string }; fresh?: boolean }) {
  const copy = fresh ? "Copy new" : "Copy";
  return (
    <>
      <dt>Patient link</dt>
      <dd className={styles.linkValue}>
        <code>{links.patientUrl}</code> <CopyButton value={links.patientUrl} label={`${copy} patient link`} />
      </dd>
      <dt>Provider link</dt>
      <dd className={styles.linkValue}>
        <code>{links.providerUrl}</code> <CopyButton value={links.providerUrl} label={`${copy} provider link`} />
      </dd>
    </>
  );
}

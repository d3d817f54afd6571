import type { Metadata } from "next";
import { ApiCredentialForm } from "@/components/dashboard/ApiCredentialForm";
import { ApiCredentialsTable } from "@/components/dashboard/ApiCredentialsTable";
import styles from "@/components/dashboard/dashboard.module.css";
import css from "@/components/dashboard/integrations.module.css";
import { database } from "@/db/runtime";
import { listApiCredentials } from "@/lib/auth/api-credentials";
import { requireStaff, staffOrganization } from "@/lib/auth/current-staff";
import { formatLocal } from "@/lib/time";

export const metadata: Metadata = { title: "API credentials" };

export default async function ApiCredentialsPage() {
  const member = await requireStaff("settings.manage");
  const [organization, credentials] = await Promise.all([staffOrganization(member.organizationId), listApiCredentials(await database(), member.organizationId)]);
  const local = (at: Date | null) => (at ? formatLocal(at, organization.timezone) : null);
  return (
    <>
      <div className={styles.pageHead}>
        <h1>API credentials</h1>
      </div>
      <p className={css.intro}>
        The clinic&apos;s other systems call the API with one of these. A token is shown once, when it is created; revoking a credential refuses its requests at
        once.
      </p>
      <section className={styles.panel} aria-label="Create a credential">
        <ApiCredentialForm />
      </section>
      <p className={styles.muted}>
        {credentials.length} {credentials.length === 1 ? "credential" : "credentials"} · times in {organization.timezone}
      </p>
      <ApiCredentialsTable
        timeZone={organization.timezone}
        rows={credentials.map((c) => ({ keyId: c.keyId, name: c.name, created: local(c.createdAt)!, lastUsed: local(c.lastUsedAt), revoked: local(c.revokedAt) }))}
      />
    </>
  );
}

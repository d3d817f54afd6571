import type { Metadata } from "next";
import { ApiCredentialForm } from "@/components/dashboard/ApiCredentialForm";
import { ApiCredentialsTable } from "@/components/dashboard/ApiCredentialsTable";
import styles from "@/components/dashboard/dashboard.module.css";
import css from "@/components/dashboard/integrations.module.css";
import { listApiCredentials } from "@/lib/auth/api-credentials";
import { staffRequest } from "@/lib/auth/staff-action";
import { formatLocal } from "@/lib/time";
import { createApiCredentialAction, revokeApiCredentialAction } from "./actions";

export const metadata: Metadata = { title: "API credentials" };

export default async function ApiCredentialsPage() {
  const { staff, db, organization } = await staffRequest("settings.manage");
  const credentials = await listApiCredentials(db, staff.organizationId);
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
        <ApiCredentialForm create={createApiCredentialAction} />
      </section>
      <p className={styles.muted}>
        {credentials.length} {credentials.length === 1 ? "credential" : "credentials"} · times in {organization.timezone}
      </p>
      <ApiCredentialsTable
        revoke={revokeApiCredentialAction}
        timeZone={organization.timezone}
        rows={credentials.map((c) => ({ keyId: c.keyId, name: c.name, created: local(c.createdAt)!, lastUsed: local(c.lastUsedAt), revoked: local(c.revokedAt) }))}
      />
    </>
  );
}

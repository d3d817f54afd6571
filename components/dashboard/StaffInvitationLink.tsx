"use client";

import { useTranslations } from "next-intl";
import { useId } from "react";
import { CopyButton } from "./CopyButton";
import styles from "./dashboard.module.css";
import settings from "./settings.module.css";

/** A set-password link as the admin is shown it, once; `expiresAt` as the action wrote it (the reader's language, the clinic's timezone named). */
export type ShownInvitation = { name: string; email: string; link: string; expiresAt: string };

/** A set-password link, shown this once: the app sends no email, so the admin passes it on. */
export function StaffInvitationLink({ invitation, title }: { invitation: ShownInvitation; title: string }) {
  const t = useTranslations("Staff.invitation");
  const titleId = useId();
  return (
    <section className={settings.invitation} aria-labelledby={titleId}>
      <h3 id={titleId}>{title}</h3>
      <p>
        {t.rich("sendIt", { name: invitation.name, email: invitation.email, time: invitation.expiresAt, strong: (chunks) => <strong>{chunks}</strong> })}
      </p>
      <p className={styles.linkValue}>
        <code data-testid="invitation-link">{invitation.link}</code>
      </p>
      <CopyButton value={invitation.link} label={t("copy")} />
    </section>
  );
}

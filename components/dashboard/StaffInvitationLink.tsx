"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useId } from "react";
import { CopyButton } from "./CopyButton";
import styles from "./dashboard.module.css";
import { DATE_TIME } from "./formats";
import settings from "./settings.module.css";

/** A set-password link as the admin is shown it, once; it works until `expiresAt` (written in the clinic's `timeZone`). */
export type ShownInvitation = { name: string; email: string; link: string; expiresAt: Date; timeZone: string };

/** A set-password link, shown this once: the app sends no email, so the admin passes it on. */
export function StaffInvitationLink({ invitation, title }: { invitation: ShownInvitation; title: string }) {
  const t = useTranslations("Staff.invitation");
  const format = useFormatter();
  const titleId = useId();
  return (
    <section className={settings.invitation} aria-labelledby={titleId}>
      <h3 id={titleId}>{title}</h3>
      <p>
        {t.rich("sendIt", {
          name: invitation.name,
          email: invitation.email,
          time: format.dateTime(invitation.expiresAt, { ...DATE_TIME, timeZone: invitation.timeZone }),
          timeZone: invitation.timeZone,
          strong: (chunks) => <strong>{chunks}</strong>,
        })}
      </p>
      <p className={styles.linkValue}>
        <code data-testid="invitation-link">{invitation.link}</code>
      </p>
      <CopyButton value={invitation.link} label={t("copy")} />
    </section>
  );
}

"use client";

import { useId } from "react";
import { CopyButton } from "./CopyButton";
import styles from "./dashboard.module.css";
import settings from "./settings.module.css";

/** A set-password link as the admin is shown it, once. */
export type ShownInvitation = { name: string; email: string; link: string; expiresAt: string };

/** A set-password link, shown this once: the app sends no email, so the admin passes it on. */
export function StaffInvitationLink({ invitation, title }: { invitation: ShownInvitation; title: string }) {
  const titleId = useId();
  return (
    <section className={settings.invitation} aria-labelledby={titleId}>
      <h3 id={titleId}>{title}</h3>
      <p>
        Send this link to <strong>{invitation.name}</strong> ({invitation.email}) yourself, by email or chat: it is how they set their password. It
        works once, until {invitation.expiresAt}, and is not shown again.
      </p>
      <p className={styles.linkValue}>
        <code data-testid="invitation-link">{invitation.link}</code>
      </p>
      <CopyButton value={invitation.link} label="Copy link" />
    </section>
  );
}

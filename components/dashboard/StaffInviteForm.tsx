"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import type { FormAction, FormState } from "@/lib/forms/form-state";
import type { StaffRole } from "@/lib/staff/roles";
import styles from "./dashboard.module.css";
import { submitTo } from "./submit";
import { FormField } from "./FormField";
import { FormSummary, useFocusOnAnswer } from "./FormSummary";
import { StaffInvitationLink, type ShownInvitation } from "./StaffInvitationLink";
import { StaffRoleFields, type ProviderChoice } from "./StaffRoleFields";
import settings from "./settings.module.css";

export type InviteState = FormState & { invited?: ShownInvitation };

function InviteForm({ invite, providers, onAnother, focusFirst }: { invite: FormAction<InviteState>; providers: ProviderChoice[]; onAnother: () => void; focusFirst: boolean }) {
  const t = useTranslations("StaffForm");
  const forms = useTranslations("Forms");
  const [state, action, pending] = useActionState<InviteState, FormData>(invite, {});
  const values = state.values ?? {};
  const errors = state.fieldErrors ?? {};
  const [role, setRole] = useState<string>(values.role ?? "scheduler");
  const summary = useFocusOnAnswer(state, Boolean(state.formError || state.invited));

  if (state.invited) {
    return (
      <div ref={summary} tabIndex={-1} className={settings.summary}>
        <StaffInvitationLink invitation={state.invited} title={t("invited", { name: state.invited.name })} />
        <button type="button" className={styles.secondary} onClick={onAnother}>
          {t("inviteAnother")}
        </button>
      </div>
    );
  }

  return (
    <form
      className={styles.form}
      noValidate
      aria-labelledby="invite-title"
      onSubmit={submitTo(action)}
    >
      <FormSummary ref={summary} error={state.formError} className={settings.summary} />
      <div className={styles.row}>
        <FormField idPrefix="invite" name="email" label={t("email")} error={errors.email}>
          {(f) => <input {...f} type="email" defaultValue={values.email} autoComplete="off" autoFocus={focusFirst} />}
        </FormField>
        <FormField idPrefix="invite" name="name" label={t("fullName")} error={errors.name}>
          {(f) => <input {...f} defaultValue={values.name} autoComplete="off" />}
        </FormField>
      </div>
      <StaffRoleFields idPrefix="invite" role={role} onRole={(r: StaffRole) => setRole(r)} providers={providers} providerId={values.providerId} errors={errors} />
      <div>
        <button type="submit" className={styles.primary} disabled={pending}>
          {pending ? forms("pending.inviting") : t("invite")}
        </button>
      </div>
    </form>
  );
}

/** The invite panel: the form, then the link to pass on, then a fresh form for the next person. */
export function StaffInviteForm({ invite, providers }: { invite: FormAction<InviteState>; providers: ProviderChoice[] }) {
  const t = useTranslations("StaffForm");
  const [round, setRound] = useState(0);
  return (
    <section className={styles.panel} aria-labelledby="invite-title">
      <h2 id="invite-title">{t("title")}</h2>
      <p className={styles.hint}>{t("intro")}</p>
      <InviteForm key={round} invite={invite} providers={providers} onAnother={() => setRound((r) => r + 1)} focusFirst={round > 0} />
    </section>
  );
}

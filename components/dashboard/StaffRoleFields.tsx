"use client";

import { useTranslations } from "next-intl";
import { STAFF_ROLES, type StaffRole } from "@/lib/staff/roles";
import styles from "./dashboard.module.css";
import { FormField } from "./FormField";
import settings from "./settings.module.css";
import { withTellApart } from "@/lib/providers/tell-apart";

export type ProviderChoice = { id: string; name: string; active: boolean; tellApart: string | null };

/** Each role's name and what it may do, in the reader's language. */
const ROLE_LABELS = { admin: "roles.admin", scheduler: "roles.scheduler", provider: "roles.provider" } as const satisfies Record<StaffRole, string>;
const ROLE_HINTS = { admin: "roleHints.admin", scheduler: "roleHints.scheduler", provider: "roleHints.provider" } as const satisfies Record<StaffRole, string>;

/** The role radios, and for the provider role which provider of the clinic the person is. */
export function StaffRoleFields({
  idPrefix,
  role,
  onRole,
  providers,
  providerId,
  errors,
}: {
  idPrefix: string;
  role: string;
  onRole: (role: StaffRole) => void;
  providers: ProviderChoice[];
  providerId?: string;
  errors: Record<string, string>;
}) {
  const t = useTranslations("StaffForm");
  const forms = useTranslations("Forms");
  // Deactivated providers are not offered, unless it is the one the person already is.
  const offered = providers.filter((p) => p.active || p.id === providerId);
  return (
    <>
      <fieldset className={settings.roles} aria-describedby={errors.role ? `${idPrefix}-role-error` : undefined}>
        <legend>{t("role")}</legend>
        {STAFF_ROLES.map((r) => (
          <label key={r}>
            <input type="radio" name="role" value={r} checked={role === r} onChange={() => onRole(r)} />
            <span>
              <strong>{t(ROLE_LABELS[r])}</strong>
              <span className={styles.hint}>{t(ROLE_HINTS[r])}</span>
            </span>
          </label>
        ))}
        {errors.role && (
          <p id={`${idPrefix}-role-error`} className={styles.fieldError}>
            {forms("fieldError", { label: t("role"), message: errors.role })}
          </p>
        )}
      </fieldset>
      {role === "provider" && (
        <FormField idPrefix={idPrefix} name="providerId" label={t("provider")} error={errors.providerId} hint={t("providerHint")}>
          {(f) => (
            <select {...f} defaultValue={providerId ?? ""}>
              <option value="">{t("chooseProvider")}</option>
              {offered.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.active ? withTellApart(p) : t("deactivatedProvider", { name: withTellApart(p) })}
                </option>
              ))}
            </select>
          )}
        </FormField>
      )}
    </>
  );
}

"use client";

import { ROLE_LABELS, STAFF_ROLES, type StaffRole } from "@/lib/staff/roles";
import styles from "./dashboard.module.css";
import { FormField } from "./FormField";
import settings from "./settings.module.css";

export type ProviderChoice = { id: string; name: string; active: boolean };

const ROLE_HINTS: Record<StaffRole, string> = {
  admin: "Everything, including these settings, staff and the audit log",
  scheduler: "Schedules consultations and manages providers",
  provider: "Joins their own calls and sees their own consultations",
};

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
  // Deactivated providers are not offered, unless it is the one the person already is.
  const offered = providers.filter((p) => p.active || p.id === providerId);
  return (
    <>
      <fieldset className={settings.roles} aria-describedby={errors.role ? `${idPrefix}-role-error` : undefined}>
        <legend>Role</legend>
        {STAFF_ROLES.map((r) => (
          <label key={r}>
            <input type="radio" name="role" value={r} checked={role === r} onChange={() => onRole(r)} />
            <span>
              <strong>{ROLE_LABELS[r]}</strong>
              <span className={styles.hint}>{ROLE_HINTS[r]}</span>
            </span>
          </label>
        ))}
        {errors.role && (
          <p id={`${idPrefix}-role-error`} className={styles.fieldError}>
            Role {errors.role}
          </p>
        )}
      </fieldset>
      {role === "provider" && (
        <FormField idPrefix={idPrefix} name="providerId" label="Provider" error={errors.providerId} hint="Whose consultations are theirs: a provider of this clinic.">
          {(f) => (
            <select {...f} defaultValue={providerId ?? ""}>
              <option value="">Choose a provider</option>
              {offered.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                  {p.active ? "" : " (deactivated)"}
                </option>
              ))}
            </select>
          )}
        </FormField>
      )}
    </>
  );
}

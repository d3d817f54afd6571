"use client";

import { useActionState, useState } from "react";
import type { FormAction, FormState } from "@/lib/forms/form-state";
import { ORGANIZATION_NAME_MAX_LENGTH } from "@/lib/limits";
import styles from "./dashboard.module.css";
import { submitTo } from "./submit";
import { FormField } from "./FormField";
import { FormSummary, useFocusOnAnswer } from "./FormSummary";
import settings from "./settings.module.css";

export type OrganizationProfileValues = { name: string; timezone: string; language: string; logoUrl: string };

export type OrganizationProfileState = FormState & {
  /** The fields that changed with the last save (empty: nothing to save). */
  saved?: string[];
};

const FIELD_NAMES: Record<string, string> = { name: "name", timezone: "timezone", language: "language", logoUrl: "logo" };

/** Zones grouped by their region (America/…, Europe/…), so the long list can be scanned. */
function groupZones(zones: string[]): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const zone of zones) {
    const region = zone.includes("/") ? zone.slice(0, zone.indexOf("/")) : "Other";
    groups.set(region, [...(groups.get(region) ?? []), zone]);
  }
  return [...groups];
}

/** Only an https address is shown as a preview: what the server accepts too. */
const previewable = (url: string) => /^https:\/\/[^\s/]+\.[^\s]+$/.test(url.trim());

export function OrganizationProfileForm({
  save,
  initial,
  timeZones,
  languages,
}: {
  save: FormAction<OrganizationProfileState>;
  initial: OrganizationProfileValues;
  timeZones: string[];
  languages: readonly { code: string; label: string }[];
}) {
  const [state, action, pending] = useActionState<OrganizationProfileState, FormData>(save, {});
  const values = { ...initial, ...state.values };
  const errors = state.fieldErrors ?? {};
  const [logo, setLogo] = useState(initial.logoUrl);
  const [logoBroken, setLogoBroken] = useState(false);
  const summary = useFocusOnAnswer(state, Boolean(state.formError || state.saved));

  return (
    <form
      className={styles.form}
      noValidate
      aria-label="Organization profile"
      onSubmit={submitTo(action)}
    >
      <FormSummary ref={summary} error={state.formError} className={settings.summary}>
        {state.saved && !state.formError && (
          <p className={styles.notice} role="status">
            {state.saved.length > 0
              ? `Saved: ${state.saved.map((f) => FIELD_NAMES[f] ?? f).join(", ")} changed.`
              : "Nothing to save: the profile already says this."}
          </p>
        )}
      </FormSummary>

      <fieldset className={styles.group}>
        <legend>Profile</legend>
        <FormField name="name" label="Organization name" error={errors.name} hint="Shown at the top of every dashboard page.">
          {(f) => <input {...f} defaultValue={values.name} autoComplete="organization" maxLength={ORGANIZATION_NAME_MAX_LENGTH} />}
        </FormField>
        <div className={`${styles.row} ${settings.alignStart}`}>
          <FormField name="timezone" label="Timezone" error={errors.timezone} hint="Every time in the dashboard is shown in it, and scheduled times are read in it.">
            {(f) => (
              <select {...f} defaultValue={values.timezone}>
                {groupZones(timeZones).map(([region, zones]) => (
                  <optgroup key={region} label={region}>
                    {zones.map((zone) => (
                      <option key={zone} value={zone}>
                        {zone.replace(/_/g, " ")}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            )}
          </FormField>
          <FormField name="language" label="Language" error={errors.language} hint="The clinic's language, as the API's organization profile reports it.">
            {(f) => (
              <select {...f} defaultValue={values.language}>
                {!languages.some((l) => l.code === values.language) && <option value={values.language}>{values.language}</option>}
                {languages.map((l) => (
                  <option key={l.code} value={l.code} lang={l.code}>
                    {l.label}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        </div>
      </fieldset>

      <fieldset className={styles.group}>
        <legend>Logo</legend>
        <FormField
          name="logoUrl"
          label="Logo address"
          error={errors.logoUrl}
          hint="An https:// address of an image on the clinic's website (PNG, SVG or JPEG). Leave it empty for no logo."
        >
          {(f) => (
            <input
              {...f}
              type="url"
              inputMode="url"
              defaultValue={values.logoUrl}
              placeholder="https://clinic.example/logo.png"
              autoComplete="off"
              onChange={(e) => {
                setLogo(e.target.value);
                setLogoBroken(false);
              }}
            />
          )}
        </FormField>
        {previewable(logo) && (
          <figure className={settings.logoPreview}>
            {/* A plain img: the logo lives on the clinic's own site, not in next/image's allowed hosts. */}
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img src={logo.trim()} alt="The logo at this address" onError={() => setLogoBroken(true)} onLoad={() => setLogoBroken(false)} hidden={logoBroken} />
            <figcaption className={styles.hint}>{logoBroken ? "No image could be loaded from this address. Check it in a new tab." : "Preview"}</figcaption>
          </figure>
        )}
      </fieldset>

      <div>
        <button type="submit" className={styles.primary} disabled={pending}>
          {pending ? "Saving…" : "Save profile"}
        </button>
      </div>
    </form>
  );
}

"use client";

import { useTranslations } from "next-intl";
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

/** What the "Saved" line calls each field. */
const FIELD_NAMES = { name: "fields.name", timezone: "fields.timezone", language: "fields.language", logoUrl: "fields.logo" } as const;

/** Each language the clinic can pick, named in the reader's language (the catalog's Italiano is the list's own). */
const LANGUAGE_NAMES = { es: "languages.es", en: "languages.en", it: "languages.it" } as const;

/** Zones grouped by their region (America/…, Europe/…), so the long list can be scanned; `other` holds UTC and the like. */
function groupZones(zones: string[], other: string): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const zone of zones) {
    const region = zone.includes("/") ? zone.slice(0, zone.indexOf("/")) : other;
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
  const t = useTranslations("OrganizationForm");
  const forms = useTranslations("Forms");
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
      aria-label={t("formLabel")}
      onSubmit={submitTo(action)}
    >
      <FormSummary ref={summary} error={state.formError} className={settings.summary}>
        {state.saved && !state.formError && (
          <p className={styles.notice} role="status">
            {state.saved.length > 0
              ? t("saved", { fields: state.saved.map((f) => (Object.hasOwn(FIELD_NAMES, f) ? t(FIELD_NAMES[f as keyof typeof FIELD_NAMES]) : f)).join(", ") })
              : t("nothingToSave")}
          </p>
        )}
      </FormSummary>

      <fieldset className={styles.group}>
        <legend>{t("profile")}</legend>
        <FormField name="name" label={t("name")} error={errors.name} hint={t("nameHint")}>
          {(f) => <input {...f} defaultValue={values.name} autoComplete="organization" maxLength={ORGANIZATION_NAME_MAX_LENGTH} />}
        </FormField>
        <div className={`${styles.row} ${settings.alignStart}`}>
          <FormField name="timezone" label={t("timezone")} error={errors.timezone} hint={t("timezoneHint")}>
            {(f) => (
              <select {...f} defaultValue={values.timezone}>
                {groupZones(timeZones, t("otherZones")).map(([region, zones]) => (
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
          <FormField name="language" label={t("language")} error={errors.language} hint={t("languageHint")}>
            {(f) => (
              <select {...f} defaultValue={values.language}>
                {!languages.some((l) => l.code === values.language) && <option value={values.language}>{values.language}</option>}
                {languages.map((l) => (
                  <option key={l.code} value={l.code}>
                    {Object.hasOwn(LANGUAGE_NAMES, l.code) ? t(LANGUAGE_NAMES[l.code as keyof typeof LANGUAGE_NAMES]) : l.label}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        </div>
      </fieldset>

      <fieldset className={styles.group}>
        <legend>{t("logo")}</legend>
        <FormField name="logoUrl" label={t("logoUrl")} error={errors.logoUrl} hint={t("logoHint")}>
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
            <img src={logo.trim()} alt={t("logoAlt")} onError={() => setLogoBroken(true)} onLoad={() => setLogoBroken(false)} hidden={logoBroken} />
            <figcaption className={styles.hint}>{logoBroken ? t("logoBroken") : t("preview")}</figcaption>
          </figure>
        )}
      </fieldset>

      <div>
        <button type="submit" className={styles.primary} disabled={pending}>
          {pending ? forms("pending.saving") : t("submit")}
        </button>
      </div>
    </form>
  );
}

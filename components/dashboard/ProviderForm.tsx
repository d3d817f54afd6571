"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import type { FormAction, FormState } from "@/lib/forms/form-state";
import styles from "./dashboard.module.css";
import { submitTo } from "./submit";
import { FormField } from "./FormField";
import { FormSummary, useFocusOnAnswer } from "./FormSummary";
import own from "./providers.module.css";

export type ProfessionalTypeChoice = { code: string; name: string; requiresSpecialty: boolean };
export type SpecialtyChoice = { code: string; name: string };

/** What the edit form starts from: the stored record, field by field as the API names them. */
export type ProviderFormValues = {
  name: string;
  documentType: string;
  documentNumber: string;
  professionalType: string;
  medicalSpecialtyCode: string;
  phone: string;
  email: string;
  professionalLicense: string;
};

export type ProviderFormState = FormState;

type Props = {
  /** Adds the provider, or saves the one being edited. */
  save: FormAction<ProviderFormState>;
  /** Set when editing that provider; absent when adding one. */
  providerId?: string;
  initial?: ProviderFormValues;
  professionalTypes: ProfessionalTypeChoice[];
  specialties: SpecialtyChoice[];
  documentTypes: readonly string[];
};

/**
 * Adds or edits a provider. The server checks it with the API's own provider rules; each refusal
 * shows on its field. The specialty is asked for only for a professional type that requires one.
 */
export function ProviderForm({ save, providerId, initial, professionalTypes, specialties, documentTypes }: Props) {
  const t = useTranslations("ProviderForm");
  const forms = useTranslations("Forms");
  const [state, action, pending] = useActionState<ProviderFormState, FormData>(save, {});
  const values: Partial<ProviderFormValues> = { ...initial, ...state.values };
  const errors = state.fieldErrors ?? {};
  const [professionalType, setProfessionalType] = useState(values.professionalType ?? "");
  const summary = useFocusOnAnswer(state, Boolean(state.formError));
  const requiresSpecialty = professionalTypes.find((t) => t.code === professionalType)?.requiresSpecialty ?? false;

  return (
    <form
      className={styles.form}
      noValidate
      onSubmit={submitTo(action)}
    >
      {providerId && <input type="hidden" name="providerId" value={providerId} />}
      <FormSummary ref={summary} error={state.formError} />

      <fieldset className={styles.group}>
        <legend>{t("identity")}</legend>
        <FormField idPrefix="provider" name="name" label={t("fullName")} error={errors.name} hint={t("fullNameHint")}>
          {(f) => <input {...f} defaultValue={values.name} autoComplete="off" />}
        </FormField>
        <div className={`${styles.row} ${own.rowTop}`}>
          <FormField idPrefix="provider" name="documentType" label={t("documentType")} error={errors.documentType}>
            {(f) => (
              <select {...f} defaultValue={values.documentType ?? "CC"}>
                {documentTypes.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            )}
          </FormField>
          <FormField idPrefix="provider" name="documentNumber" label={t("documentNumber")} error={errors.documentNumber} hint={t("documentNumberHint")}>
            {(f) => <input {...f} defaultValue={values.documentNumber} autoComplete="off" />}
          </FormField>
        </div>
      </fieldset>

      <fieldset className={styles.group}>
        <legend>{t("practice")}</legend>
        <div className={`${styles.row} ${own.rowTop}`}>
          <FormField idPrefix="provider" name="professionalType" label={t("professionalType")} error={errors.professionalType}>
            {(f) => (
              <select {...f} value={professionalType} onChange={(e) => setProfessionalType(e.target.value)}>
                <option value="">{t("chooseProfessionalType")}</option>
                {professionalTypes.map((t) => (
                  <option key={t.code} value={t.code}>
                    {t.name}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          {requiresSpecialty && (
            <FormField idPrefix="provider" name="medicalSpecialtyCode" label={t("specialty")} error={errors.medicalSpecialtyCode} hint={t("specialtyHint")}>
              {(f) => (
                <select {...f} defaultValue={values.medicalSpecialtyCode ?? ""}>
                  <option value="">{t("chooseSpecialty")}</option>
                  {specialties.map((s) => (
                    <option key={s.code} value={s.code}>
                      {s.name}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
          )}
        </div>
        <FormField idPrefix="provider" name="professionalLicense" label={t("professionalLicense")} optional error={errors.professionalLicense}>
          {(f) => <input {...f} defaultValue={values.professionalLicense} autoComplete="off" />}
        </FormField>
      </fieldset>

      <fieldset className={styles.group}>
        <legend>{t("contact")}</legend>
        <div className={`${styles.row} ${own.rowTop}`}>
          <FormField idPrefix="provider" name="phone" label={t("phone")} error={errors.phone} hint={t("phoneHint")}>
            {(f) => <input {...f} type="tel" defaultValue={values.phone} autoComplete="off" />}
          </FormField>
          <FormField idPrefix="provider" name="email" label={t("email")} error={errors.email}>
            {(f) => <input {...f} type="email" defaultValue={values.email} autoComplete="off" />}
          </FormField>
        </div>
      </fieldset>

      <div className={own.formActions}>
        <button type="submit" className={styles.primary} disabled={pending}>
          {pending ? forms("pending.saving") : providerId ? t("save") : t("add")}
        </button>
      </div>
    </form>
  );
}

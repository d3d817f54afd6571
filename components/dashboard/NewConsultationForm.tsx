"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import type { ConsultationView } from "@/lib/consultations/schema";
import type { FormAction, FormState } from "@/lib/forms/form-state";
import { CopyButton } from "./CopyButton";
import styles from "./dashboard.module.css";
import { submitTo } from "./submit";
import { FormField } from "./FormField";
import { FormSummary, useFocusOnAnswer } from "./FormSummary";
import { JoinLinkFacts } from "./JoinLinkFacts";
import { HOUR_CYCLE } from "@/lib/i18n/clock";

export type ProviderChoice = { id: string; name: string; professionalTypeName: string; requiresSpecialty: boolean; specialtyCode: string | null; tellApart: string | null };
export type Choice = { code: string; name: string };

export type NewConsultationState = FormState & {
  /** `startsAt`: the scheduled start as an ISO instant, shown in the reader's language and the clinic's timezone. */
  created?: Pick<ConsultationView, "consultationId" | "accessPin" | "participantAccess" | "immediate"> & { startsAt: string };
};

type Props = {
  schedule: FormAction<NewConsultationState>;
  providers: ProviderChoice[];
  specialties: Choice[];
  consultationTypes: Choice[];
  documentTypes: readonly string[];
  durations: readonly number[];
  timeZone: string;
};

export function NewConsultationForm(props: Props) {
  const t = useTranslations("ConsultationForm");
  const forms = useTranslations("Forms");
  const format = useFormatter();
  const [state, action, pending] = useActionState<NewConsultationState, FormData>(props.schedule, {});
  const values = state.values ?? {};
  const errors = state.fieldErrors ?? {};
  const [providerId, setProviderId] = useState(values.providerId ?? "");
  const [when, setWhen] = useState(values.when ?? "now");
  const summary = useFocusOnAnswer(state, Boolean(state.formError || state.created));
  const provider = props.providers.find((p) => p.id === providerId);

  if (state.created) {
    const c = state.created;
    return (
      <div ref={summary} tabIndex={-1} className={styles.panel} aria-labelledby="created-title">
        <h2 id="created-title">{t("created.title")}</h2>
        <p>
          {c.immediate
            ? t("created.now")
            : t("created.scheduled", { when: format.dateTime(new Date(c.startsAt), { dateStyle: "full", timeStyle: "short", ...HOUR_CYCLE }), timeZone: props.timeZone })}
        </p>
        <dl className={styles.facts}>
          <JoinLinkFacts links={c.participantAccess} />
          <dt>PIN</dt>
          <dd>
            <code className={styles.pin} data-testid="created-pin">
              {c.accessPin}
            </code>{" "}
            <CopyButton value={c.accessPin} label={t("created.copyPin")} />
          </dd>
        </dl>
        <p>
          <Link href={`/dashboard/consultations/${c.consultationId}`}>{t("created.open")}</Link> ·{" "}
          {/* A full load on purpose: it starts an empty form (the action's state would survive a soft navigation). */}
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
          <a href="/dashboard/consultations/new">{t("created.another")}</a>
        </p>
      </div>
    );
  }

  return (
    <form
      className={styles.form}
      noValidate
      onSubmit={submitTo(action)}
    >
      <FormSummary ref={summary} error={state.formError} />

      <fieldset className={styles.group}>
        <legend>{t("professional")}</legend>
        <FormField name="providerId" label={t("provider")} error={errors.providerId}>
          {(f) => (
            <select {...f} value={providerId} onChange={(e) => setProviderId(e.target.value)}>
              <option value="">{t("chooseProvider")}</option>
              {props.providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {[p.name, p.professionalTypeName, p.tellApart].filter(Boolean).join(" · ")}
                </option>
              ))}
            </select>
          )}
        </FormField>
        {provider?.requiresSpecialty && (
          <FormField name="provider.medicalSpecialtyCode" label={t("specialty")} error={errors["provider.medicalSpecialtyCode"]} hint={t("specialtyHint")}>
            {(f) => (
              <select {...f} key={provider.id} defaultValue={values["provider.medicalSpecialtyCode"] ?? provider.specialtyCode ?? ""}>
                <option value="">{t("chooseSpecialty")}</option>
                {props.specialties.map((s) => (
                  <option key={s.code} value={s.code}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        )}
      </fieldset>

      <fieldset className={styles.group}>
        <legend>{t("patient")}</legend>
        <div className={styles.row}>
          <FormField name="patient.documentType" label={t("documentType")} error={errors["patient.documentType"]}>
            {(f) => (
              <select {...f} defaultValue={values["patient.documentType"] ?? "CC"}>
                {props.documentTypes.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            )}
          </FormField>
          <FormField name="patient.documentNumber" label={t("documentNumber")} error={errors["patient.documentNumber"]}>
            {(f) => <input {...f} defaultValue={values["patient.documentNumber"]} autoComplete="off" />}
          </FormField>
        </div>
        <FormField name="patient.name" label={t("fullName")} error={errors["patient.name"]}>
          {(f) => <input {...f} defaultValue={values["patient.name"]} autoComplete="off" />}
        </FormField>
        <div className={styles.row}>
          <FormField name="patient.phone" label={t("phone")} error={errors["patient.phone"]} hint={t("phoneHint")}>
            {(f) => <input {...f} type="tel" defaultValue={values["patient.phone"]} autoComplete="off" />}
          </FormField>
          <FormField name="patient.email" label={t("email")} error={errors["patient.email"]}>
            {(f) => <input {...f} type="email" defaultValue={values["patient.email"]} autoComplete="off" />}
          </FormField>
        </div>
      </fieldset>

      <fieldset className={styles.group}>
        <legend>{t("consultation")}</legend>
        <div className={styles.row}>
          <FormField name="consultationType" label={t("type")} error={errors.consultationType}>
            {(f) => (
              <select {...f} defaultValue={values.consultationType ?? props.consultationTypes[0]?.code}>
                {props.consultationTypes.map((t) => (
                  <option key={t.code} value={t.code}>
                    {t.name}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField name="durationMinutes" label={t("duration")} error={errors.durationMinutes}>
            {(f) => (
              <select {...f} defaultValue={values.durationMinutes ?? "20"}>
                {props.durations.map((d) => (
                  <option key={d} value={d}>
                    {t("minutes", { count: d })}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        </div>
        <fieldset className={styles.radios}>
          <legend>{t("when")}</legend>
          <label>
            <input type="radio" name="when" value="now" checked={when === "now"} onChange={() => setWhen("now")} /> {t("now")}
          </label>
          <label>
            <input type="radio" name="when" value="scheduled" checked={when === "scheduled"} onChange={() => setWhen("scheduled")} /> {t("scheduled")}
          </label>
        </fieldset>
        {when === "scheduled" && (
          <FormField name="scheduledAt" label={t("dateTime")} error={errors.scheduledAt} hint={t("dateTimeHint", { timeZone: props.timeZone })}>
            {(f) => <input {...f} type="datetime-local" defaultValue={values.scheduledAt} />}
          </FormField>
        )}
      </fieldset>

      <div>
        <button type="submit" className={styles.primary} disabled={pending}>
          {pending ? forms("pending.creating") : t("submit")}
        </button>
      </div>
    </form>
  );
}

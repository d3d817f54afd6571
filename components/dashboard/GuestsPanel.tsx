"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { FormAction, FormState } from "@/lib/forms/form-state";
import styles from "./dashboard.module.css";
import { FormField } from "./FormField";
import { FormSummary, useFocusOnAnswer } from "./FormSummary";
import { submitTo } from "./submit";

export type GuestRow = { participantId: string; name: string; kind: "companion" | "interpreter"; joinUrl: string };
export type AddGuestValues = { consultationId: string; name: string; kind: string };
export type AddGuestState = FormState<AddGuestValues> & { added?: GuestRow };

const KIND_KEYS = { companion: "guests.kinds.companion", interpreter: "guests.kinds.interpreter" } as const;

/**
 * A consultation's guests (a companion, an interpreter): each with their own link, opened with
 * the consultation's PIN; and the form that adds one while the consultation is live.
 */
export function GuestsPanel({
  consultationId,
  guests,
  canAdd,
  maxGuests,
  add,
}: {
  consultationId: string;
  guests: GuestRow[];
  canAdd: boolean;
  maxGuests: number;
  add: FormAction<AddGuestState>;
}) {
  const t = useTranslations("Consultations");
  const [state, action, pending] = useActionState<AddGuestState, FormData>(add, {});
  const errors = state.fieldErrors ?? {};
  const summary = useFocusOnAnswer(state, Boolean(state.formError || state.added));
  const shown = state.added && !guests.some((g) => g.participantId === state.added!.participantId) ? [...guests, state.added] : guests;

  return (
    <section aria-labelledby="guests" className={styles.panel}>
      <h2 id="guests">{t("guests.title")}</h2>
      {shown.length === 0 ? (
        <p className={styles.muted}>{t("guests.none")}</p>
      ) : (
        <ul className={styles.plainList} data-testid="guest-list">
          {shown.map((guest) => (
            <li key={guest.participantId}>
              {guest.name} · {t(KIND_KEYS[guest.kind])}{" "}
              <input className={styles.linkField} readOnly value={guest.joinUrl} aria-label={t("guests.linkFor", { name: guest.name })} onFocus={(e) => e.currentTarget.select()} />
            </li>
          ))}
        </ul>
      )}
      {canAdd && shown.length < maxGuests && (
        // A fresh form after each guest added (its fields empty again).
        <form key={shown.length} className={styles.form} noValidate aria-label={t("guests.add")} onSubmit={submitTo(action)}>
          <FormSummary ref={summary} error={state.formError}>
            {state.added && !state.formError && (
              <p className={styles.notice} role="status">
                {t("guests.added", { name: state.added.name })}
              </p>
            )}
          </FormSummary>
          <input type="hidden" name="consultationId" value={consultationId} />
          <FormField name="name" label={t("guests.name")} error={errors.name} idPrefix="guest">
            {(f) => <input {...f} defaultValue={state.formError || state.fieldErrors ? state.values?.name : ""} autoComplete="off" maxLength={120} />}
          </FormField>
          <FormField name="kind" label={t("guests.kind")} error={errors.kind} idPrefix="guest">
            {(f) => (
              <select {...f} defaultValue={state.values?.kind ?? "companion"}>
                <option value="companion">{t("guests.companionChoice")}</option>
                <option value="interpreter">{t("guests.kinds.interpreter")}</option>
              </select>
            )}
          </FormField>
          <button type="submit" className={styles.primary} disabled={pending}>
            {pending ? t("guests.adding") : t("guests.submit")}
          </button>
        </form>
      )}
    </section>
  );
}

"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import type { FormAction, FormState } from "@/lib/forms/form-state";
import styles from "./dashboard.module.css";
import { FormField } from "./FormField";
import { FormSummary, useFocusOnAnswer } from "./FormSummary";
import settings from "./settings.module.css";
import { submitTo } from "./submit";

export type RoomGroupsValues = { plus: string; basic: string };

export type RoomGroupsState = FormState<RoomGroupsValues> & {
  /** The lists that changed with the last save (empty: nothing changed). */
  saved?: string[];
};

/** What the "Saved" line calls each list. */
const LIST_NAMES = { plus: "lists.plus", basic: "lists.basic" } as const;

/** The names as the server will read them: split at commas, spaces or new lines, repeats dropped. */
function namesOf(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter(Boolean))];
}

function GroupPreview({ id, text, label }: { id: string; text: string; label: string }) {
  const names = namesOf(text);
  if (names.length === 0) return null;
  return (
    <ul id={id} className={settings.chips} aria-label={label}>
      {names.map((name) => (
        <li key={name}>{name}</li>
      ))}
    </ul>
  );
}

export function RoomGroupsForm({
  save,
  initial,
  usingDefaults,
  maxGroups,
}: {
  save: FormAction<RoomGroupsState>;
  initial: RoomGroupsValues;
  usingDefaults: boolean;
  maxGroups: number;
}) {
  const t = useTranslations("RoomGroupsForm");
  const forms = useTranslations("Forms");
  const format = useFormatter();
  const [state, action, pending] = useActionState<RoomGroupsState, FormData>(save, {});
  const errors = state.fieldErrors ?? {};
  // What the inputs hold: what was typed, until the server answers with what it now keeps.
  const [text, setText] = useState<RoomGroupsValues>(initial);
  const [answer, setAnswer] = useState(state);
  if (answer !== state) {
    setAnswer(state);
    setText({ ...initial, ...state.values });
  }
  const summary = useFocusOnAnswer(state, Boolean(state.formError || state.saved));

  return (
    <form className={styles.form} noValidate aria-label={t("formLabel")} onSubmit={submitTo(action)}>
      <FormSummary ref={summary} error={state.formError} className={settings.summary}>
        {state.saved && !state.formError && (
          <p className={styles.notice} role="status">
            {state.saved.length > 0
              ? t("saved", { lists: format.list(state.saved.map((list) => (Object.hasOwn(LIST_NAMES, list) ? t(LIST_NAMES[list as keyof typeof LIST_NAMES]) : list))) })
              : t("nothingChanged")}
          </p>
        )}
      </FormSummary>
      {usingDefaults && !state.saved && (
        <p className={styles.hint}>{t("defaults")}</p>
      )}

      <fieldset className={styles.group}>
        <legend>{t("groups")}</legend>
        <FormField name="plus" label={t("plus")} error={errors.plus} hint={t("plusHint", { maxGroups })}>
          {(f) => (
            <>
              <input
                {...f}
                value={text.plus}
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                onChange={(e) => setText({ ...text, plus: e.target.value })}
              />
              <GroupPreview id="plus-preview" text={text.plus} label={t("plusPreview")} />
            </>
          )}
        </FormField>
        <FormField name="basic" label={t("basic")} error={errors.basic} hint={t("basicHint", { maxGroups })}>
          {(f) => (
            <>
              <input
                {...f}
                value={text.basic}
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                onChange={(e) => setText({ ...text, basic: e.target.value })}
              />
              <GroupPreview id="basic-preview" text={text.basic} label={t("basicPreview")} />
            </>
          )}
        </FormField>
      </fieldset>

      <div>
        <button type="submit" className={styles.primary} disabled={pending}>
          {pending ? forms("pending.saving") : t("submit")}
        </button>
      </div>
    </form>
  );
}

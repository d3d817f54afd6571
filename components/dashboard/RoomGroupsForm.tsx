"use client";

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

const LIST_NAMES: Record<string, string> = { plus: "host groups", basic: "participant groups" };

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
  const hint = `Group names as your system sends them: lower-case letters, digits, _ or -, separated by commas. At most ${maxGroups}.`;

  return (
    <form className={styles.form} noValidate aria-label="Room groups" onSubmit={submitTo(action)}>
      <FormSummary ref={summary} error={state.formError} className={settings.summary}>
        {state.saved && !state.formError && (
          <p className={styles.notice} role="status">
            {state.saved.length > 0 ? `Saved: ${state.saved.map((list) => LIST_NAMES[list] ?? list).join(" and ")} changed.` : "Saved; nothing changed."}
          </p>
        )}
      </FormSummary>
      {usingDefaults && !state.saved && (
        <p className={styles.hint}>These are the defaults (doctor hosts; patient and customer take part) until you save.</p>
      )}

      <fieldset className={styles.group}>
        <legend>Groups</legend>
        <FormField name="plus" label="Host groups (plus)" error={errors.plus} hint={`${hint} At least one.`}>
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
              <GroupPreview id="plus-preview" text={text.plus} label="Host groups as they will be saved" />
            </>
          )}
        </FormField>
        <FormField name="basic" label="Participant groups (basic)" error={errors.basic} hint={`${hint} A group cannot also be a host group.`}>
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
              <GroupPreview id="basic-preview" text={text.basic} label="Participant groups as they will be saved" />
            </>
          )}
        </FormField>
      </fieldset>

      <div>
        <button type="submit" className={styles.primary} disabled={pending}>
          {pending ? "Saving…" : "Save groups"}
        </button>
      </div>
    </form>
  );
}

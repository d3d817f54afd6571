"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { startTransition, useActionState, useRef, useState } from "react";
import type { FormAction, FormState } from "@/lib/forms/form-state";
import css from "./call-settings.module.css";
import styles from "./dashboard.module.css";
import { FormSummary, useFocusOnAnswer } from "./FormSummary";
import { ConfirmButton } from "./IntegrationsConfirm";
import settings from "./settings.module.css";
import { HOUR_CYCLE } from "@/lib/i18n/clock";

/** A background as the page shows it: `url` is the same-origin image path. */
export type BackgroundItem = { alias: string; url: string; createdAt: string; width: number; height: number; isDefault: boolean };

export type BackgroundActionState = FormState & { done?: "madeDefault" | "deleted" };

/** What the upload route answers: nothing to show on success, the refusal in the reader's language otherwise. */
type UploadAnswer = { formError?: string; fieldErrors?: Record<string, string> };

const FIELD = "virtual_background";

/**
 * Uploads a background to the dashboard's own route (a 10 MB image is no server action's body).
 * A file over the limit is refused here before it is sent; the server checks everything again.
 */
export function BackgroundUpload({ maxBytes, maxMegabytes, disabled }: { maxBytes: number; maxMegabytes: number; disabled: boolean }) {
  const t = useTranslations("CallSettings");
  const forms = useTranslations("Forms");
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const [pending, setPending] = useState(false);
  const [answer, setAnswer] = useState<UploadAnswer & { uploaded?: boolean }>({});
  const summary = useFocusOnAnswer(answer, Boolean(answer.formError || answer.uploaded));
  const error = answer.fieldErrors?.[FIELD];

  async function upload(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const file = data.get(FIELD);
    if (!(file instanceof File) || file.size === 0) {
      setAnswer({ formError: forms("summary.fieldsNeedAttention"), fieldErrors: { [FIELD]: t("upload.required") } });
      return;
    }
    if (file.size > maxBytes) {
      setAnswer({ formError: forms("summary.fieldsNeedAttention"), fieldErrors: { [FIELD]: t("upload.tooLarge", { megabytes: maxMegabytes }) } });
      return;
    }
    setPending(true);
    try {
      const response = await fetch("/dashboard/settings/call/backgrounds", { method: "POST", body: data, cache: "no-store" });
      const body = (await response.json().catch(() => ({}))) as UploadAnswer;
      if (response.ok) {
        form.current?.reset();
        setAnswer({ uploaded: true });
        startTransition(() => router.refresh());
      } else {
        setAnswer({ formError: body.formError ?? t("upload.failed"), fieldErrors: body.fieldErrors ?? {} });
      }
    } catch {
      setAnswer({ formError: t("upload.offline") });
    } finally {
      setPending(false);
    }
  }

  const describedBy = [error ? "background-file-error" : "", "background-file-hint"].filter(Boolean).join(" ");
  return (
    <form ref={form} className={styles.form} noValidate aria-label={t("upload.formLabel")} onSubmit={upload}>
      <FormSummary ref={summary} error={answer.formError} className={settings.summary}>
        {answer.uploaded && (
          <p className={styles.notice} role="status">
            {t("upload.uploaded")}
          </p>
        )}
      </FormSummary>
      <div className={styles.field}>
        <label htmlFor="background-file">{t("upload.label")}</label>
        <input
          id="background-file"
          name={FIELD}
          type="file"
          accept="image/png,image/jpeg,image/webp"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          disabled={disabled}
          onChange={() => answer.uploaded && setAnswer({})}
        />
        <p id="background-file-hint" className={styles.hint}>
          {t("upload.hint", { megabytes: maxMegabytes })}
        </p>
        {error && (
          <p id="background-file-error" className={styles.fieldError}>
            {forms("fieldError", { label: t("upload.label"), message: error })}
          </p>
        )}
      </div>
      <div>
        <button type="submit" className={styles.primary} disabled={pending || disabled}>
          {pending ? t("upload.uploading") : t("upload.submit")}
        </button>
      </div>
    </form>
  );
}

/** The uploaded backgrounds, newest first, each with its preview, and the default marked. */
export function BackgroundGrid({
  backgrounds,
  makeDefault,
  remove,
}: {
  backgrounds: BackgroundItem[];
  makeDefault: FormAction<BackgroundActionState>;
  remove: FormAction<BackgroundActionState>;
}) {
  const t = useTranslations("CallSettings");
  if (backgrounds.length === 0) return <p className={styles.muted}>{t("grid.empty")}</p>;
  return (
    <ul className={css.grid} aria-label={t("grid.label")}>
      {backgrounds.map((background) => (
        <BackgroundCard key={background.alias} background={background} makeDefault={makeDefault} remove={remove} />
      ))}
    </ul>
  );
}

function BackgroundCard({ background, makeDefault, remove }: { background: BackgroundItem; makeDefault: FormAction<BackgroundActionState>; remove: FormAction<BackgroundActionState> }) {
  const t = useTranslations("CallSettings");
  const format = useFormatter();
  const date = format.dateTime(new Date(background.createdAt), { dateStyle: "medium", timeStyle: "short", ...HOUR_CYCLE });
  const [defaultState, makeDefaultAction, makingDefault] = useActionState<BackgroundActionState, FormData>(makeDefault, {});
  const [removeState, removeAction, removing] = useActionState<BackgroundActionState, FormData>(remove, {});
  const formError = removeState.formError ?? defaultState.formError;
  const aliasData = () => {
    const data = new FormData();
    data.set("alias", background.alias);
    return data;
  };

  return (
    <li className={css.card} data-default={background.isDefault || undefined} data-testid="background">
      <figure className={css.figure}>
        {/* A plain img: the image is the app's own, served as stored; next/image would resize it again. */}
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img src={background.url} alt={t("grid.alt", { date })} width={background.width} height={background.height} loading="lazy" />
        <figcaption>
          {background.isDefault && <strong className={css.badge}>{t("grid.default")}</strong>}
          <span>{t("grid.uploadedAt", { date })}</span>
          <span className={styles.hint}>{t("grid.size", { width: background.width, height: background.height })}</span>
        </figcaption>
      </figure>
      {formError && (
        <p className={styles.formError} role="alert">
          {formError}
        </p>
      )}
      <div className={css.actions}>
        {!background.isDefault && (
          <button
            type="button"
            className={styles.secondary}
            aria-label={t("grid.makeDefaultOf", { date })}
            disabled={makingDefault || removing}
            onClick={() => startTransition(() => makeDefaultAction(aliasData()))}
          >
            {makingDefault ? t("grid.working") : t("grid.makeDefault")}
          </button>
        )}
        <ConfirmButton
          label={t("grid.delete")}
          accessibleLabel={t("grid.deleteOf", { date })}
          title={t("grid.deleteQuestion")}
          confirmLabel={t("grid.delete")}
          pending={removing}
          onConfirm={() => startTransition(() => removeAction(aliasData()))}
        >
          <p>{background.isDefault ? t("grid.deleteDefaultExplained") : t("grid.deleteExplained")}</p>
        </ConfirmButton>
      </div>
    </li>
  );
}

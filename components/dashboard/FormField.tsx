import { useTranslations } from "next-intl";
import styles from "./dashboard.module.css";

export type FieldProps = { id: string; name: string; "aria-invalid"?: true; "aria-describedby"?: string };

/**
 * One field of a dashboard form: its label, a hint, and the server's message when it refused
 * the value (tied to the input with aria-describedby), which names the field: the server's
 * message is a phrase that reads after the label ("Full name is required", "Nombre completo: es
 * un campo obligatorio"). An optional field says so after its label.
 */
export function FormField({
  name,
  label,
  error,
  hint,
  optional = false,
  idPrefix = "f",
  children,
}: {
  name: string;
  label: string;
  error?: string;
  optional?: boolean;
  hint?: React.ReactNode;
  /** Keeps ids unique when one page has two forms with a field of the same name. */
  idPrefix?: string;
  children: (props: FieldProps) => React.ReactNode;
}) {
  const t = useTranslations("Forms");
  const id = `${idPrefix}-${name.replace(/\./g, "-")}`;
  const describedBy = [error ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={styles.field}>
      <label htmlFor={id}>{optional ? t("optional", { label }) : label}</label>
      {children({ id, name, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint && (
        <p id={`${id}-hint`} className={styles.hint}>
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className={styles.fieldError}>
          {t("fieldError", { label, message: error })}
        </p>
      )}
    </div>
  );
}

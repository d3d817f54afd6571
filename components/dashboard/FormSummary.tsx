"use client";

import { useEffect, useRef } from "react";
import styles from "./dashboard.module.css";

/**
 * The element focus moves to when the server answers a form (`focus`: this answer is worth
 * it), so keyboard and screen-reader users start at the summary or the result.
 */
export function useFocusOnAnswer(answer: unknown, focus: boolean) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [answer, focus]);
  return ref;
}

/** A form's summary: the refusal as a whole, announced, then anything else it says. */
export function FormSummary({ ref, error, className, children }: { ref: React.Ref<HTMLDivElement>; error?: string; className?: string; children?: React.ReactNode }) {
  return (
    <div ref={ref} tabIndex={-1} className={className}>
      {error && (
        <p className={styles.formError} role="alert">
          {error}
        </p>
      )}
      {children}
    </div>
  );
}

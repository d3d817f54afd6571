"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import styles from "./dashboard.module.css";

/** Copies a value and says so where a screen reader hears it. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const t = useTranslations("Dashboard");
  const [copied, setCopied] = useState(false);
  return (
    <>
      <button
        type="button"
        className={styles.smallButton}
        onClick={async () => {
          await navigator.clipboard.writeText(value);
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        }}
      >
        {label}
      </button>
      <span role="status" className={styles.copied}>
        {copied ? t("copied") : ""}
      </span>
    </>
  );
}

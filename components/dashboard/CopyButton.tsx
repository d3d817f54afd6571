"use client";

import { useState } from "react";
import styles from "./dashboard.module.css";

/** Copies a value and says so where a screen reader hears it. */
export function CopyButton({ value, label }: { value: string; label: string }) {
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
        {copied ? "Copied" : ""}
      </span>
    </>
  );
}

import styles from "./docs.module.css";

/** A code sample that scrolls inside its own box, reachable by keyboard. */
export function CodeBlock({ code, label, language = "json" }: { code: string; label: string; language?: "json" | "shell" }) {
  return (
    <pre className={styles.code} tabIndex={0} role="region" aria-label={label} data-language={language}>
      <code>{code}</code>
    </pre>
  );
}

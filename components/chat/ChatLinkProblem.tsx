import { useTranslations } from "next-intl";
import { LanguageSwitcher } from "@/components/i18n/LanguageSwitcher";
import styles from "./chat.module.css";

const TEXT = {
  unknown: { title: "unknown.title", body: "unknown.body" },
  expired: { title: "expired.title", body: "expired.body" },
} as const;

/** A chat link that cannot open the conversation: said plainly, with what to do next, and nothing about why in detail. */
export function ChatLinkProblem({ kind }: { kind: keyof typeof TEXT }) {
  const t = useTranslations("ChatPage");
  const text = TEXT[kind];
  return (
    <main className={styles.problemPage}>
      <section className={styles.card} aria-labelledby="chat-link-problem" data-link-state={kind}>
        <LanguageSwitcher className={styles.switcher} />
        <h1 id="chat-link-problem">{t(text.title)}</h1>
        <p>{t(text.body)}</p>
      </section>
    </main>
  );
}

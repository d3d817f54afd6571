import styles from "./chat.module.css";

const TEXT = {
  unknown: {
    title: "This link is not valid",
    body: "Check that you opened the whole link from your message. If it still does not work, ask the clinic for a new link.",
  },
  expired: {
    title: "This link has expired",
    body: "For your security, chat links work for a limited time. Open the conversation again from the clinic's app or message to get a new link.",
  },
} as const;

/** A chat link that cannot open the conversation: said plainly, with what to do next, and nothing about why in detail. */
export function ChatLinkProblem({ kind }: { kind: keyof typeof TEXT }) {
  const text = TEXT[kind];
  return (
    <main className={styles.problemPage}>
      <section className={styles.card} aria-labelledby="chat-link-problem" data-link-state={kind}>
        <h1 id="chat-link-problem">{text.title}</h1>
        <p>{text.body}</p>
      </section>
    </main>
  );
}

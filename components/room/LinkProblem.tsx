import { getTranslations } from "next-intl/server";
import { JoinCardTop } from "./JoinCardTop";
import styles from "./room.module.css";

/** Each kind of problem's words (title and body), in the LinkProblem namespace. */
const TEXT = {
  unknown: { title: "unknown.title", body: "unknown.body" },
  completed: { title: "completed.title", body: "completed.body" },
  expired: { title: "expired.title", body: "expired.body" },
  cancelled: { title: "cancelled.title", body: "cancelled.body" },
  // A standalone room's personal link (the teleconsultation API's accessLinkURL).
  room_completed: { title: "roomCompleted.title", body: "roomCompleted.body" },
  room_expired: { title: "roomExpired.title", body: "roomExpired.body" },
  deleted: { title: "deleted.title", body: "deleted.body" },
  link_expired: { title: "linkExpired.title", body: "linkExpired.body" },
} as const;

/** A link that cannot lead to a call: said plainly, with what to do next, in the link's language (which the person may change). */
export async function LinkProblem({ kind, organizationName }: { kind: keyof typeof TEXT; organizationName?: string }) {
  const t = await getTranslations("LinkProblem");
  const text = TEXT[kind];
  return (
    <main className={styles.page}>
      <section className={styles.card} aria-labelledby="link-problem-title" data-link-state={kind}>
        <JoinCardTop organizationName={organizationName} />
        <h1 id="link-problem-title">{t(text.title)}</h1>
        <p>{t(text.body)}</p>
      </section>
    </main>
  );
}

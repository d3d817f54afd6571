import styles from "./room.module.css";

const TEXT = {
  unknown: {
    title: "This link is not valid",
    body: "Check that you opened the whole link from your message. If it still does not work, contact the clinic for a new link.",
  },
  completed: { title: "This consultation has ended", body: "The call is over. If you need another consultation, contact the clinic." },
  expired: {
    title: "This consultation has expired",
    body: "Its time passed without the call taking place. Contact the clinic to book a new consultation.",
  },
  cancelled: { title: "This consultation was cancelled", body: "The clinic cancelled it before the call. Contact the clinic if you need a new consultation." },
  // A standalone room's personal link (the teleconsultation API's accessLinkURL).
  room_completed: { title: "This call has ended", body: "The call is over. If you need another one, contact the clinic." },
  room_expired: { title: "This call has expired", body: "Its time passed without the call taking place. Contact the clinic if you still need it." },
  deleted: { title: "This call was cancelled", body: "The clinic deleted this room, so its links no longer open the call. Contact the clinic if you need a new one." },
  link_expired: {
    title: "This link has expired",
    body: "For your security, personal links work for a few minutes only. Open the room again from the clinic's app to get a new link.",
  },
} as const;

/** A link that cannot lead to a call: said plainly, with what to do next. */
export function LinkProblem({ kind, organizationName }: { kind: keyof typeof TEXT; organizationName?: string }) {
  const text = TEXT[kind];
  return (
    <main className={styles.page}>
      <section className={styles.card} aria-labelledby="link-problem-title" data-link-state={kind}>
        {organizationName ? <p className={styles.eyebrow}>{organizationName}</p> : null}
        <h1 id="link-problem-title">{text.title}</h1>
        <p>{text.body}</p>
      </section>
    </main>
  );
}

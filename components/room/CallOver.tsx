import styles from "./room.module.css";

/**
 * After the call, for this person: they left (and may rejoin), or it ended, or its time ran
 * out, for everyone. `what` is the word for it: a consultation's, or a standalone room's call.
 */
export function CallOver({ phase, what, onRejoin }: { phase: "left" | "ended" | "timeout"; what: "consultation" | "call"; onRejoin: () => void }) {
  const consultation = what === "consultation";
  return (
    <div className={styles.after} data-call-state={phase === "left" ? "ended" : phase} data-testid="call-over">
      <h2>{phase === "left" ? "You left the call" : phase === "timeout" ? "Time is up" : `The ${what} has ended`}</h2>
      <p>
        {phase === "left"
          ? consultation
            ? "The consultation is still open: you can join again with this link."
            : "The call is still open: you can join again from this page."
          : phase === "timeout"
            ? consultation
              ? "The consultation's time is over, so the call ended for everyone."
              : "The call's time is over, so it ended for everyone."
            : "Thank you. You can close this page."}
      </p>
      {phase === "left" ? (
        <button type="button" className={styles.primary} onClick={onRejoin}>
          Rejoin the call
        </button>
      ) : null}
    </div>
  );
}

"use client";

import { useEffect, useId, useState } from "react";
import { enterPinSchema, PIN_LENGTH } from "@/lib/rooms/schema";
import { isEmbedded } from "./embed";
import styles from "./room.module.css";

export type AcceptedSession = { participantId: string; consultationId: string | null; roomId: string };

type Props = { token: string; role: "patient" | "provider" | "guest"; onAccepted: (session: AcceptedSession) => void };

/** The 6-digit PIN: numeric keypad on phones, the server's limits shown as a wait. */
export function PinForm({ token, role, onAccepted }: Props) {
  const [pin, setPin] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const errorId = useId();

  useEffect(() => {
    if (waitUntil === null) return;
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= waitUntil) setWaitUntil(null);
    }, 500);
    return () => clearInterval(timer);
  }, [waitUntil]);

  const waiting = waitUntil !== null && waitUntil > now;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!enterPinSchema.safeParse({ pin }).success) {
      setError("Enter the 6 digits of the PIN you were sent.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // Inside a clinic's iframe the session cookie must be a partitioned third-party cookie.
      const embedded = isEmbedded() ? "&embedded=1" : "";
      const response = await fetch(`/api/join/${encodeURIComponent(token)}/session?type=${role}${embedded}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ pin }),
      });
      const body = (await response.json().catch(() => null)) as { data?: AcceptedSession; error?: { code: string; message: string } } | null;
      if (response.ok && body?.data) {
        onAccepted(body.data);
        return;
      }
      const retryAfter = Number(response.headers.get("Retry-After") ?? "0");
      // A link locked by wrong PINs waits for a day, or for the new PIN the clinic issues: keep the form open for that one.
      if (retryAfter > 0 && body?.error?.code !== "pin_locked") {
        setNow(Date.now());
        setWaitUntil(Date.now() + retryAfter * 1000);
      }
      setError(body?.error?.message ?? "The PIN could not be checked. Try again.");
      setPin("");
    } catch {
      setError("You seem to be offline. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className={styles.form} onSubmit={submit} noValidate>
      <label htmlFor="pin" className={styles.label}>
        6-digit PIN
      </label>
      <p className={styles.hint} id="pin-hint">
        It came with your link, in the same message.
      </p>
      <input
        id="pin"
        name="pin"
        className={styles.pinInput}
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]*"
        maxLength={PIN_LENGTH}
        value={pin}
        onChange={(e) => setPin(e.target.value.replace(/\D/g, "").slice(0, PIN_LENGTH))}
        aria-invalid={error !== null}
        aria-describedby={`pin-hint${error ? ` ${errorId}` : ""}`}
        disabled={busy}
        required
        autoFocus
      />
      <p id={errorId} role="alert" className={styles.error} data-testid="pin-error">
        {error}
        {waiting ? ` You can try again in ${Math.ceil((waitUntil! - now) / 1000)} s.` : ""}
      </p>
      <button type="submit" className={styles.primary} disabled={busy || waiting}>
        {busy ? "Checking…" : "Continue"}
      </button>
    </form>
  );
}

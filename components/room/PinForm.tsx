"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useState } from "react";
import { enterPinSchema, PIN_LENGTH } from "@/lib/rooms/schema";
import { isEmbedded } from "./embed";
import styles from "./room.module.css";

export type AcceptedSession = { participantId: string; consultationId: string | null; roomId: string };

type Props = { token: string; role: "patient" | "provider" | "guest"; onAccepted: (session: AcceptedSession) => void };

/** A refused PIN, by the join API's error code, in the page's words; any other code gets a general one. */
const REFUSAL = {
  invalid_pin: "errors.wrong",
  validation_error: "errors.format",
  pin_attempts_delayed: "errors.delayed",
  pin_locked: "errors.locked",
  too_many_attempts: "errors.network",
  link_not_found: "errors.linkNotFound",
  room_not_open: "errors.notOpen",
  consultation_completed: "errors.completed",
  consultation_expired: "errors.expired",
  rate_limited: "errors.rateLimited",
  network_unavailable: "errors.offline",
} as const;

/** What to do after a wrong PIN: the API's message says it (documented for `invalid_pin`); its words are English, so only the facts are read here. */
type WrongPinHint = { kind: "locked" } | { kind: "wait"; seconds: number } | { kind: "triesLeft"; count: number } | null;

function wrongPinHint(message: string | undefined, retryAfter: number): WrongPinHint {
  if (message && /locked for today/i.test(message)) return { kind: "locked" };
  if (retryAfter > 0) return { kind: "wait", seconds: retryAfter };
  const left = message ? /(\d+) tr(?:y|ies) left/i.exec(message) : null;
  return left ? { kind: "triesLeft", count: Number(left[1]) } : null;
}

/** The refusal shown under the PIN: a code, and for a wrong PIN what to do next. */
type Refusal = { code: string; hint: WrongPinHint };

/** The 6-digit PIN: numeric keypad on phones, the server's limits shown as a wait. */
export function PinForm({ token, role, onAccepted }: Props) {
  const t = useTranslations("Join.pin");
  const [pin, setPin] = useState("");
  const [error, setError] = useState<Refusal | null>(null);
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
      setError({ code: "validation_error", hint: null });
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
      const code = body?.error?.code ?? "server_error";
      setError({ code, hint: code === "invalid_pin" ? wrongPinHint(body?.error?.message, retryAfter) : null });
      setPin("");
    } catch {
      setError({ code: "network_unavailable", hint: null });
    } finally {
      setBusy(false);
    }
  }

  const message = error
    ? [
        t(REFUSAL[error.code as keyof typeof REFUSAL] ?? "errors.unknown"),
        error.hint?.kind === "locked"
          ? t("errors.lockedNow")
          : error.hint?.kind === "wait"
            ? t("errors.waitBeforeNext", { seconds: error.hint.seconds })
            : error.hint?.kind === "triesLeft"
              ? t("errors.triesLeft", { count: error.hint.count })
              : null,
      ]
        .filter(Boolean)
        .join(" ")
    : null;

  return (
    <form className={styles.form} onSubmit={submit} noValidate>
      <label htmlFor="pin" className={styles.label}>
        {t("label")}
      </label>
      <p className={styles.hint} id="pin-hint">
        {t("hint")}
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
        {message}
        {waiting ? ` ${t("retryIn", { seconds: Math.ceil((waitUntil! - now) / 1000) })}` : ""}
      </p>
      <button type="submit" className={styles.primary} disabled={busy || waiting}>
        {busy ? t("checking") : t("continue")}
      </button>
    </form>
  );
}

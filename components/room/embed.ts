"use client";

import { useCallback, useEffect, useMemo, useRef } from "react";
import type { ParticipantRole } from "@/lib/rooms/session";
import { allowedParentOrigin, EMBED_MESSAGE_SOURCE, EMBED_MESSAGE_VERSION, type EmbedMessage, type EmbedOutput } from "@/lib/embed/outputs";

export type EmitOutput = (output: EmbedOutput) => void;

/** True inside an iframe (the clinic's own site showing the room). */
export function isEmbedded(): boolean {
  try {
    return window.self !== window.top;
  } catch {
    return true; // a cross-origin top refuses even the comparison in some browsers
  }
}

function ancestorOrigin(): string | null {
  const ancestors = (window.location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  if (ancestors && ancestors.length > 0) return ancestors[0]!;
  try {
    return document.referrer ? new URL(document.referrer).origin : null;
  } catch {
    return null;
  }
}

/**
 * Posts the seed's outputs to the embedding page when it is one of the allowed origins, and
 * to no one otherwise. The same state twice in a row is posted once.
 */
export function useEmbedOutputs(allowedOrigins: readonly string[], who: { role: ParticipantRole; consultationId: string | null }): EmitOutput {
  const target = useMemo(() => (typeof window !== "undefined" && isEmbedded() ? allowedParentOrigin(allowedOrigins, ancestorOrigin()) : null), [allowedOrigins]);
  const lastState = useRef<string | null>(null);
  const whoRef = useRef(who);
  useEffect(() => {
    whoRef.current = who;
  }, [who]);
  return useCallback(
    (output: EmbedOutput) => {
      if (!target) return;
      if (output.output === "state") {
        if (lastState.current === output.value) return;
        lastState.current = output.value;
      }
      const message: EmbedMessage = { ...output, source: EMBED_MESSAGE_SOURCE, version: EMBED_MESSAGE_VERSION, ...whoRef.current, sentAt: new Date().toISOString() };
      window.parent.postMessage(message, target);
    },
    [target],
  );
}

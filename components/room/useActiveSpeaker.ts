"use client";

import { useEffect, useState, type RefObject } from "react";
import { ActiveSpeaker, SAMPLE_INTERVAL_MS } from "@/lib/video/active-speaker";
import type { CallTransport } from "@/lib/video/transport";

/**
 * The participant speaking now (their id), or null: the received audio levels sampled four
 * times a second while someone else is in the call (see lib/video/active-speaker.ts). Renders
 * only when the speaker changes.
 */
export function useActiveSpeaker(call: RefObject<CallTransport | null>, active: boolean): string | null {
  const [speaker, setSpeaker] = useState<string | null>(null);
  useEffect(() => {
    if (!active) {
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setSpeaker(null);
      return;
    }
    const tracker = new ActiveSpeaker();
    let stopped = false;
    let busy = false;
    const timer = setInterval(() => {
      const transport = call.current;
      if (busy || !transport) return;
      busy = true;
      transport
        .audioLevels()
        .then((levels) => {
          if (!stopped) setSpeaker(tracker.update(levels, performance.now()));
        })
        .catch(() => {})
        .finally(() => {
          busy = false;
        });
    }, SAMPLE_INTERVAL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [call, active]);
  return speaker;
}

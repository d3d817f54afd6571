"use client";

import { useCallback, useState } from "react";
import type { Problem, ReadyMedia } from "./DeviceCheck";
import type { EmitOutput } from "./embed";

/**
 * The camera and microphone a person took into the call, and the end of their part in it:
 * the same for a consultation's join flow and a room's. `over` moves the page on (left, ended,
 * timeout); the embedding page hears it, and device problems, as the seed's SDK outputs.
 */
export function useCallMedia(emit: EmitOutput, over: (how: "left" | "ended" | "timeout") => void) {
  const [media, setMedia] = useState<ReadyMedia | null>(null);

  const finish = useCallback(
    (how: "left" | "ended" | "timeout") => {
      media?.stream.getTracks().forEach((t) => t.stop());
      // The camera behind a background effect is not in the stream: it stops with the effect.
      media?.background.cameraTrack?.stop();
      void media?.background.close();
      setMedia(null);
      over(how);
      // Leaving is the seed's "End call selected": state = ended for this person.
      emit({ output: "state", value: how === "timeout" ? "timeout" : "ended" });
    },
    [media, emit, over],
  );

  const problem = useCallback(
    (p: Problem) => emit(p === "waiting_permissions" ? { output: "state", value: "waiting_permissions" } : { output: "error", value: p }),
    [emit],
  );

  return { media, setMedia, finish, problem };
}

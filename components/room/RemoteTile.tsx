"use client";

import { useEffect, useRef } from "react";
import type { RemoteParticipant } from "@/lib/video/transport";
import { MicIcon } from "./icons";
import styles from "./room.module.css";

export const ROLE_WORD = { patient: "Patient", provider: "Provider" } as const;

/** Someone else in the call: their video, name and role, and whether their camera or microphone is off. */
export function RemoteTile({ participant, large }: { participant: RemoteParticipant; large: boolean }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (video.current && video.current.srcObject !== participant.stream) video.current.srcObject = participant.stream;
  }, [participant.stream]);
  const label = `${participant.displayName || ROLE_WORD[participant.role]} · ${ROLE_WORD[participant.role]}`;
  return (
    <figure className={large ? styles.remoteLarge : styles.remoteSmall} data-remote-participant={participant.participantId}>
      <video ref={video} autoPlay playsInline data-testid="remote-video" aria-label={`Video of ${label}`} />
      {!participant.video ? (
        <p className={styles.cameraOff} data-testid="remote-camera-off">
          {participant.displayName || ROLE_WORD[participant.role]} turned the camera off
        </p>
      ) : null}
      <figcaption className={styles.tileLabel}>
        {label}
        {!participant.audio ? (
          <span className={styles.mutedBadge} data-testid="remote-muted">
            <MicIcon off /> Muted
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}

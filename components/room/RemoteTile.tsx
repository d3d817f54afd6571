"use client";

import { useEffect, useRef } from "react";
import type { RemoteParticipant } from "@/lib/video/transport";
import { MicIcon } from "./icons";
import styles from "./room.module.css";

export const ROLE_WORD = { patient: "Patient", provider: "Provider", guest: "Guest", member: "Participant" } as const;

/**
 * What a tile says the person is: a standalone room member's group as the room's API named it
 * ("Doctor", "Interpreter"), else their part in the consultation ("Patient", "Provider", "Guest").
 */
export function groupWord(participant: Pick<RemoteParticipant, "role" | "group">): string {
  const { role, group } = participant;
  if (role === "member" && group) return group.charAt(0).toUpperCase() + group.slice(1);
  return ROLE_WORD[role];
}

/** The person's name, or what they are when they have none. */
export function nameOf(participant: Pick<RemoteParticipant, "role" | "group" | "displayName">): string {
  return participant.displayName || groupWord(participant);
}

/**
 * Someone else in the call: their video, name and group, whether their camera or microphone is
 * off, and whether they are speaking now (`data-speaking`; outlined in a group call, where it
 * tells who talks). `grid`: one tile of several; otherwise the one other person, large.
 */
export function RemoteTile({ participant, grid, speaking }: { participant: RemoteParticipant; grid: boolean; speaking: boolean }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (video.current && video.current.srcObject !== participant.stream) video.current.srcObject = participant.stream;
  }, [participant.stream]);
  const label = `${nameOf(participant)} · ${groupWord(participant)}`;
  return (
    <figure
      className={grid ? styles.gridTile : styles.remoteLarge}
      data-remote-participant={participant.participantId}
      data-testid="remote-tile"
      data-speaking={speaking ? "true" : "false"}
      data-connection={participant.connection}
    >
      <video ref={video} autoPlay playsInline data-testid="remote-video" aria-label={`Video of ${label}`} />
      {!participant.video ? (
        <p className={styles.cameraOff} data-testid="remote-camera-off">
          {nameOf(participant)} turned the camera off
        </p>
      ) : grid && participant.connection !== "connected" ? (
        <p className={styles.cameraOff} data-testid="remote-connecting">
          Connecting to {nameOf(participant)}…
        </p>
      ) : null}
      <figcaption className={styles.tileLabel} data-testid="remote-label">
        <span className={styles.tileName}>{label}</span>
        {!participant.audio ? (
          <span className={styles.mutedBadge} data-testid="remote-muted">
            <MicIcon off /> Muted
          </span>
        ) : null}
        {speaking ? (
          <span className={styles.visuallyHidden} data-testid="remote-speaking">
            , speaking
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}

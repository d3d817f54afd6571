"use client";

import { useTranslations } from "next-intl";
import { useEffect, useMemo, useRef } from "react";
import type { RemoteParticipant } from "@/lib/video/transport";
import { MicIcon } from "./icons";
import styles from "./room.module.css";

const ROLE = { patient: "roles.patient", provider: "roles.provider", guest: "roles.guest", member: "roles.member" } as const satisfies Record<RemoteParticipant["role"], string>;

/**
 * The groups most rooms use (the defaults of lib/rooms/groups.ts, and an interpreter), in the
 * page's language. Any other group is the clinic's own word and is shown as it is, capitalized.
 */
const GROUP = { doctor: "groups.doctor", patient: "groups.patient", customer: "groups.customer", interpreter: "groups.interpreter" } as const;

type Person = Pick<RemoteParticipant, "role" | "group" | "displayName">;

/**
 * What a person is, in words: a standalone room member's group ("Doctor", "Interpreter"), else
 * their part in the consultation ("Patient", "Provider", "Guest"); and their name, or what they
 * are when they have none.
 */
export function usePersonWords() {
  const t = useTranslations("Call");
  return useMemo(() => {
    const group = (name: string | null): string | null => {
      if (!name) return null;
      return Object.hasOwn(GROUP, name) ? t(GROUP[name as keyof typeof GROUP]) : name.charAt(0).toLocaleUpperCase() + name.slice(1);
    };
    const what = (participant: Pick<Person, "role" | "group">): string =>
      (participant.role === "member" ? group(participant.group) : null) ?? t(ROLE[participant.role]);
    const name = (participant: Person): string => participant.displayName || what(participant);
    return { group, what, name };
  }, [t]);
}

/**
 * Someone else in the call: their video, name and group, whether their camera or microphone is
 * off, and whether they are speaking now (`data-speaking`; outlined in a group call, where it
 * tells who talks). `grid`: one tile of several; otherwise the one other person, large.
 */
export function RemoteTile({ participant, grid, speaking, speakerId }: { participant: RemoteParticipant; grid: boolean; speaking: boolean; speakerId?: string }) {
  const t = useTranslations("Call");
  const words = usePersonWords();
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (video.current && video.current.srcObject !== participant.stream) video.current.srcObject = participant.stream;
  }, [participant.stream]);
  // The speaker chosen in the device check; a browser that cannot choose (or a speaker gone since) plays on the default.
  useEffect(() => {
    const element = video.current;
    if (element && speakerId && typeof element.setSinkId === "function") element.setSinkId(speakerId).catch(() => {});
  }, [speakerId]);
  const name = words.name(participant);
  const label = `${name} · ${words.what(participant)}`;
  return (
    <figure
      className={grid ? styles.gridTile : styles.remoteLarge}
      data-remote-participant={participant.participantId}
      data-testid="remote-tile"
      data-speaking={speaking ? "true" : "false"}
      data-connection={participant.connection}
    >
      <video ref={video} autoPlay playsInline data-testid="remote-video" aria-label={t("remote.videoOf", { label })} />
      {!participant.video ? (
        <p className={styles.cameraOff} data-testid="remote-camera-off">
          {t("remote.cameraOff", { name })}
        </p>
      ) : grid && participant.connection !== "connected" ? (
        <p className={styles.cameraOff} data-testid="remote-connecting">
          {t("remote.connecting", { name })}
        </p>
      ) : null}
      <figcaption className={styles.tileLabel} data-testid="remote-label">
        <span className={styles.tileName}>{label}</span>
        {!participant.audio ? (
          <span className={styles.mutedBadge} data-testid="remote-muted">
            <MicIcon off /> {t("muted")}
          </span>
        ) : null}
        {speaking ? (
          <span className={styles.visuallyHidden} data-testid="remote-speaking">
            {t("remote.speaking")}
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}

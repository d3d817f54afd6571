"use client";

import { useEffect, useRef, useState } from "react";
import type { ClinicBackgrounds } from "@/lib/video/background-choice";
import { BackgroundController } from "@/lib/video/background-controller";
import { openLocalMedia } from "@/lib/video/media";
import { startFirstBackground } from "./BackgroundPicker";
import type { ReadyMedia } from "./DeviceCheck";

/**
 * A reload in the middle of a call goes straight back into it: no device check again, the same
 * camera and microphone, muted or not as the person left them. This tab notes that it is in a
 * call (sessionStorage: this tab only, gone with it) while the call screen is up, and forgets it
 * when the call is over for this person (left, ended, timed out). Only a reload resumes: the
 * link opened again, or in another tab, goes through the device check.
 */
type InCall = { roomId: string; cameraId?: string; microphoneId?: string; audio: boolean; video: boolean };

const keyOf = (participantId: string) => `telemed.call.${participantId}`;

// Where a third-party iframe's storage is blocked, touching sessionStorage throws: then a reload
// goes through the device check, as without this.
function write(participantId: string, value: InCall | null): void {
  try {
    if (value) window.sessionStorage.setItem(keyOf(participantId), JSON.stringify(value));
    else window.sessionStorage.removeItem(keyOf(participantId));
  } catch {
    // not remembered
  }
}

function read(participantId: string): InCall | null {
  try {
    return JSON.parse(window.sessionStorage.getItem(keyOf(participantId)) ?? "null") as InCall | null;
  } catch {
    return null;
  }
}

/** The call screen is up: a reload now resumes the call. */
export function rememberInCall(participantId: string, value: InCall): void {
  write(participantId, value);
}

/** The person muted, turned the camera off or on, or swapped cameras: a reload keeps it so. */
export function updateInCall(participantId: string, change: Partial<Omit<InCall, "roomId">>): void {
  const current = read(participantId);
  if (current) write(participantId, { ...current, ...change });
}

/** The call is over for this person: a reload shows what comes after, not the call. */
export function forgetInCall(participantId: string): void {
  write(participantId, null);
}

/** What this tab was in before the page was reloaded; null when it was not, or this is not a reload. */
function callBeforeReload(participantId: string, roomId: string): InCall | null {
  const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
  if (navigation?.type !== "reload") return null;
  const call = read(participantId);
  return call?.roomId === roomId ? call : null;
}

/** The devices as they were (any camera and microphone when those are gone), and the background as chosen. */
async function reopenMedia(call: InCall, clinic: ClinicBackgrounds): Promise<ReadyMedia> {
  const stream = await openLocalMedia({ cameraId: call.cameraId, microphoneId: call.microphoneId }).catch(() => openLocalMedia({}));
  const background = new BackgroundController();
  startFirstBackground(background, clinic);
  const camera = stream.getVideoTracks()[0] ?? null;
  void background.setCamera(camera);
  background.setCameraOn(call.video);
  for (const track of stream.getAudioTracks()) track.enabled = call.audio;
  // A background effect that is starting sends the bare camera: wait for it, so the room behind
  // the person is not shown to the others for a moment after the reload.
  await new Promise<void>((resolve) => {
    const settled = () => background.getState().status !== "loading";
    if (settled()) return resolve();
    const unsubscribe = background.subscribe(() => {
      if (!settled()) return;
      unsubscribe();
      resolve();
    });
  });
  const outgoing = background.getState().outgoing;
  if (outgoing && outgoing !== camera) {
    if (camera) stream.removeTrack(camera);
    stream.addTrack(outgoing);
  }
  return {
    stream,
    cameraId: camera?.getSettings().deviceId,
    microphoneId: stream.getAudioTracks()[0]?.getSettings().deviceId,
    audio: call.audio,
    video: call.video,
    background,
  };
}

/**
 * For the join flows: `checking` (the first render, the same on the server: nothing to show yet),
 * `resuming` (the page was reloaded mid-call: the media reopens and `onResumed` hands it to the
 * call), or `no` (the device check as usual; also when reopening the media failed, so the check
 * says why).
 */
export function useResumeCall(options: {
  participantId: string | null;
  roomId: string | null;
  /** The page starts on the device check with a session: a reload may resume. */
  eligible: boolean;
  clinic: ClinicBackgrounds;
  onResumed: (media: ReadyMedia) => void;
}): "checking" | "resuming" | "no" {
  const { participantId, roomId, clinic } = options;
  // Decided once, as the page opens: a session that begins later (the PIN) is no reload.
  const [eligible] = useState(options.eligible && participantId !== null && roomId !== null);
  const [state, setState] = useState<"checking" | "resuming" | "no">(eligible ? "checking" : "no");
  const onResumed = useRef(options.onResumed);
  useEffect(() => {
    onResumed.current = options.onResumed;
  });
  useEffect(() => {
    if (!eligible || !participantId || !roomId) return;
    const call = callBeforeReload(participantId, roomId);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- sessionStorage and the navigation's type exist only in the browser
    setState(call ? "resuming" : "no");
    if (!call) return;
    let cancelled = false;
    reopenMedia(call, clinic).then(
      (media) => {
        if (cancelled) {
          media.stream.getTracks().forEach((t) => t.stop());
          void media.background.close();
          return;
        }
        onResumed.current(media);
        setState("no"); // done: after this call, the device check as usual (Rejoin)
      },
      () => {
        if (!cancelled) setState("no");
      },
    );
    return () => {
      cancelled = true;
    };
  }, [eligible, participantId, roomId, clinic]);
  return state;
}

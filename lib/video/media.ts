/** Browser media helpers for the device check and the call: permissions, devices, errors. */

/** Why the camera or microphone cannot be used: the seed's codes (the device check words them, in the page's language). */
export type MediaProblem =
  | "camera_permission_required"
  | "microphone_permission_required"
  | "waiting_permissions"
  | "device_not_found"
  | "device_in_use"
  | "media_unsupported";

async function permissionState(name: "camera" | "microphone"): Promise<PermissionState | "unknown"> {
  try {
    return (await navigator.permissions.query({ name: name as PermissionName })).state;
  } catch {
    return "unknown"; // Firefox has no "camera" permission name
  }
}

/** Why getUserMedia failed, in the seed's words where it has them. */
export async function mediaProblemOf(error: unknown): Promise<MediaProblem> {
  const name = (error as { name?: string })?.name;
  if (name === "NotFoundError" || name === "OverconstrainedError") return "device_not_found";
  if (name === "NotReadableError" || name === "AbortError") return "device_in_use";
  if (name === "NotAllowedError" || name === "SecurityError") {
    const [camera, microphone] = await Promise.all([permissionState("camera"), permissionState("microphone")]);
    if (camera === "denied") return "camera_permission_required";
    if (microphone === "denied") return "microphone_permission_required";
    if (camera === "prompt" || microphone === "prompt") return "waiting_permissions";
    return "camera_permission_required";
  }
  return "media_unsupported";
}

export async function openLocalMedia(devices: { cameraId?: string; microphoneId?: string }): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw Object.assign(new Error("no getUserMedia"), { name: "TypeError" });
  return navigator.mediaDevices.getUserMedia({
    video: devices.cameraId ? { deviceId: { exact: devices.cameraId } } : { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: "user" },
    audio: devices.microphoneId ? { deviceId: { exact: devices.microphoneId }, echoCancellation: true, noiseSuppression: true } : { echoCancellation: true, noiseSuppression: true },
  });
}

/** `speakers`: only where the page can send sound to a chosen one (`setSinkId`); elsewhere empty, and the browser's default plays. */
export type DeviceLists = { cameras: MediaDeviceInfo[]; microphones: MediaDeviceInfo[]; speakers: MediaDeviceInfo[] };

export function canChooseSpeaker(): boolean {
  return typeof HTMLMediaElement !== "undefined" && "setSinkId" in HTMLMediaElement.prototype;
}

export async function listDevices(): Promise<DeviceLists> {
  const all = await navigator.mediaDevices.enumerateDevices();
  return {
    cameras: all.filter((d) => d.kind === "videoinput"),
    microphones: all.filter((d) => d.kind === "audioinput"),
    speakers: canChooseSpeaker() ? all.filter((d) => d.kind === "audiooutput") : [],
  };
}

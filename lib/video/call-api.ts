/** The browser's calls to the room's API, with the error envelope read into one error type. */
import type { VideoRoom } from "@/lib/rooms/schema";

/** An error the server answered with (status and code set), or a network failure (code `network_unavailable`, no status). */
export type CallApiError = Error & { status?: number; code?: string };

/** Sends a request and returns the envelope's `data`, or throws a CallApiError. */
export async function callApi<T>(url: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch {
    throw Object.assign(new Error("You seem to be offline. Check your connection and try again."), { code: "network_unavailable" }) as CallApiError;
  }
  const body = (await response.json().catch(() => null)) as { data?: T; error?: { code: string; message: string } } | null;
  if (!response.ok || body?.data === undefined) {
    throw Object.assign(new Error(body?.error?.message ?? `The server answered ${response.status}.`), {
      status: response.status,
      code: body?.error?.code ?? "server_error",
    }) as CallApiError;
  }
  return body.data;
}

/** Which call to join: a consultation's (the seed's appointment route) or a standalone room's. */
export type CallTarget = { consultationId: string | null; roomId: string };

/**
 * Joins and returns how to connect: the seed's `PUT /api/v3/appointments/{id}/video-room` for a
 * consultation, `PUT /api/rooms/{roomId}/video-room` (the same join) for a standalone room.
 */
export function initializeVideoRoom(target: CallTarget, participantId: string): Promise<VideoRoom> {
  const path = target.consultationId ? `/api/v3/appointments/${target.consultationId}` : `/api/rooms/${target.roomId}`;
  return callApi<VideoRoom>(`${path}/video-room?participantId=${participantId}`, { method: "PUT" });
}

/** Leaves the call (`leave`), or ends the consultation for everyone (`end`), as this participant. */
export async function postRoomAction(room: VideoRoom, action: "leave" | "end", body: Record<string, unknown>): Promise<void> {
  const url = `/api/rooms/${room.roomId}/${action}?participantId=${room.participant.participantId}`;
  await callApi(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

/** A response's envelope, or null for anything else (a proxy's error page). */
function envelopeOf<T>(text: string): { data?: T; error?: { code: string; message: string } } | null {
  try {
    return JSON.parse(text) as { data?: T; error?: { code: string; message: string } };
  } catch {
    return null;
  }
}

/**
 * Uploads one file as `multipart/form-data` (field `file`) and returns the envelope's `data`,
 * telling `onProgress` how much has gone (0 to 1) as it goes: fetch cannot, so this is
 * XMLHttpRequest. Aborting through `signal` rejects with code `aborted`.
 */
export function uploadFile<T>(url: string, file: File, options: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fail = (message: string, code: string, status?: number) => reject(Object.assign(new Error(message), { code, status }) as CallApiError);
    if (options.signal?.aborted) return fail("The upload was cancelled.", "aborted");
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.responseType = "text";
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(Math.min(1, event.loaded / event.total));
    };
    request.onerror = () => fail("You seem to be offline. Check your connection and try again.", "network_unavailable");
    request.onabort = () => fail("The upload was cancelled.", "aborted");
    request.onload = () => {
      const body = envelopeOf<T>(request.responseText);
      if (request.status >= 200 && request.status < 300 && body?.data !== undefined) return resolve(body.data);
      // A proxy in front may refuse a large body before we do: 413 is the same refusal.
      const code = body?.error?.code ?? (request.status === 413 ? "file_too_large" : "server_error");
      fail(body?.error?.message ?? `The server answered ${request.status}.`, code, request.status);
    };
    options.signal?.addEventListener("abort", () => request.abort(), { once: true });
    const form = new FormData();
    form.append("file", file, file.name);
    request.send(form);
  });
}

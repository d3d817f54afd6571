import type { VideoRoom } from "@/lib/rooms/schema";

/** An error the server answered with (status set), or a network failure (no status). */
export type CallApiError = Error & { status?: number; code?: string };

/** The seed's `PUT /api/v3/appointments/{id}/video-room`: joins and returns how to connect. */
export async function initializeVideoRoom(consultationId: string, participantId: string): Promise<VideoRoom> {
  let response: Response;
  try {
    response = await fetch(`/api/v3/appointments/${consultationId}/video-room?participantId=${participantId}`, { method: "PUT" });
  } catch {
    throw Object.assign(new Error("network_unavailable"), { code: "network_unavailable" }) as CallApiError;
  }
  const body = (await response.json().catch(() => null)) as { data?: VideoRoom; error?: { code: string; message: string } } | null;
  if (!response.ok || !body?.data) {
    throw Object.assign(new Error(body?.error?.message ?? `The server answered ${response.status}.`), {
      status: response.status,
      code: body?.error?.code ?? "server_error",
    }) as CallApiError;
  }
  return body.data;
}

"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { staffRequest } from "@/lib/auth/staff-action";
import { appSealer, appSecret, appUrl, env } from "@/lib/config";
import { providerJoin } from "@/lib/consultations/agenda";
import { AppError } from "@/lib/errors";
import { sessionCookieName, signParticipantSession } from "@/lib/rooms/session";

/**
 * Join from "my day": the signed-in provider gets the participant session the PIN would have
 * given (the same cookie) and is answered their own join link, which goes straight to the device
 * check. The page opens it as a new document (components/dashboard/JoinCallButton.tsx).
 */
export async function joinAsProvider(consultationId: string): Promise<string> {
  const { staff: member, db } = await staffRequest("calls.join");
  if (!member.providerId) redirect("/dashboard/my-day?problem=no_provider");
  const now = new Date();
  let joined: Awaited<ReturnType<typeof providerJoin>>;
  try {
    joined = await providerJoin(
      db,
      { organizationId: member.organizationId, providerId: member.providerId, sealer: appSealer() },
      consultationId,
      now,
      env().JOIN_OPENS_MINUTES_BEFORE,
    );
  } catch (error) {
    if (error instanceof AppError && error.status < 500) redirect(`/dashboard/my-day?problem=${encodeURIComponent(error.code)}`);
    throw error;
  }
  const { token, maxAgeSeconds } = await signParticipantSession(appSecret(), joined.session, joined.endsAt, now);
  (await cookies()).set(sessionCookieName(joined.session.participantId), token, {
    path: "/",
    maxAge: maxAgeSeconds,
    httpOnly: true,
    sameSite: "lax",
    secure: appUrl().startsWith("https:"),
  });
  return `/join/${joined.token}?type=provider`;
}

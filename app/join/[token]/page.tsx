import type { Metadata } from "next";
import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import { JoinFlow, type JoinDetails } from "@/components/room/JoinFlow";
import { LinkProblem } from "@/components/room/LinkProblem";
import { database } from "@/db/runtime";
import { loadCatalogs } from "@/lib/catalogs";
import { appSecret, env, splitList } from "@/lib/config";
import { findJoinLink, nameInitials } from "@/lib/rooms/join-link";
import { sessionCookieName, verifyParticipantSession } from "@/lib/rooms/session";
import { callWindow } from "@/lib/rooms/window";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your video consultation", robots: { index: false, follow: false } };

type Props = { params: Promise<{ token: string }>; searchParams: Promise<{ type?: string | string[] }> };

/**
 * A participant's join link: who the call is with and when, then PIN, device check and the
 * call. Unknown links (or a link opened with the other role's `type`) are not found; ended
 * and expired consultations say so.
 */
export default async function JoinPage({ params, searchParams }: Props) {
  const [{ token }, { type }] = await Promise.all([params, searchParams]);
  const db = await database();
  const link = await findJoinLink(db, token);
  if (!link || (type !== undefined && type !== link.role)) notFound();

  const now = new Date();
  const window = callWindow(link, now, env().JOIN_OPENS_MINUTES_BEFORE);
  if (window.state === "completed") return <LinkProblem kind="completed" organizationName={link.organizationName} />;
  if (window.state === "expired") return <LinkProblem kind={link.closedReason === "cancelled" ? "cancelled" : "expired"} organizationName={link.organizationName} />;

  const catalogs = await loadCatalogs(db);
  const cookie = (await cookies()).get(sessionCookieName(link.participantId));
  const session = cookie ? await verifyParticipantSession(appSecret(), cookie.value, now) : null;
  const details: JoinDetails = {
    token,
    role: link.role,
    organizationName: link.organizationName,
    timeZone: link.timeZone,
    // Before the PIN the provider's link shows the patient's initials only.
    counterpart:
      link.role === "patient"
        ? { name: link.providerName, label: catalogs.professionalType.get(link.providerProfessionalType)?.name ?? "Provider" }
        : { name: nameInitials(link.patientName), label: "Patient" },
    immediate: link.immediate,
    status: link.status === "InProgress" ? "InProgress" : "Pending",
    startsAt: link.startsAt.toISOString(),
    endsAt: link.endsAt.toISOString(),
    durationMinutes: link.durationMinutes,
    opensAt: window.state === "too_early" ? window.opensAt.toISOString() : null,
    serverTime: now.toISOString(),
    session:
      session && session.participantId === link.participantId
        ? { participantId: session.participantId, consultationId: link.consultationId, roomId: session.roomId }
        : null,
    embedOrigins: splitList(env().EMBED_ALLOWED_ORIGINS),
  };
  return <JoinFlow details={details} />;
}

import type { Metadata } from "next";
import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { EndCallRedirectSettings } from "@/components/room/EndCallRedirect";
import { JoinFlow, type JoinDetails } from "@/components/room/JoinFlow";
import { LinkProblem } from "@/components/room/LinkProblem";
import { RoomJoinFlow, type RoomJoinDetails } from "@/components/room/RoomJoinFlow";
import { database } from "@/db/runtime";
import { loadCatalogs } from "@/lib/catalogs";
import { appSecret, env, splitList } from "@/lib/config";
import { nameInitials } from "@/lib/rooms/join-link";
import { joinLinkOf, roomJoinLinkOf } from "@/lib/rooms/page-links";
import { roomJoinLinkOpens } from "@/lib/rooms/room-join-link";
import { isRoomLinkToken } from "@/lib/rooms/room-link";
import { sessionCookieName, verifyParticipantSession } from "@/lib/rooms/session";
import { callWindow } from "@/lib/rooms/window";
import { callSettingsOf } from "@/lib/settings/call-settings";
import type { ClinicBackgrounds } from "@/lib/video/background-choice";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Join");
  return { title: t("metaTitle"), robots: { index: false, follow: false } };
}

type Props = { params: Promise<{ token: string }>; searchParams: Promise<{ type?: string | string[]; useBackground?: string | string[] }> };

/**
 * What the clinic set for its calls: the backgrounds for the device check and picker
 * (`?useBackground=true`, which the teleconsultation API adds when asked, starts the call with
 * the default one), and the page each person goes to once the call is over.
 */
async function clinicCallSettingsOf(
  organizationId: string,
  useBackground: string | string[] | undefined,
): Promise<{ backgrounds: ClinicBackgrounds; endCallRedirect: EndCallRedirectSettings | null }> {
  const { backgrounds, defaultBackground, endCallRedirectUrl, endCallRedirectTimeoutMs } = await callSettingsOf(await database(), organizationId);
  return {
    backgrounds: { backgrounds, defaultBackground, useBackground: useBackground === "true" },
    endCallRedirect: endCallRedirectUrl ? { url: endCallRedirectUrl, afterMs: endCallRedirectTimeoutMs } : null,
  };
}

/**
 * A participant's join link (a consultation's; a room user's personal link is RoomLinkPage): who the call is with and when, then PIN, device check and the
 * call. Unknown links (or a link opened with the other role's `type`) are not found; ended
 * and expired consultations say so.
 */
export default async function JoinPage({ params, searchParams }: Props) {
  const [{ token }, { type, useBackground }] = await Promise.all([params, searchParams]);
  if (isRoomLinkToken(token)) return <RoomLinkPage token={token} useBackground={useBackground} />;
  const link = await joinLinkOf(token);
  if (!link || (type !== undefined && type !== link.role)) notFound();

  const now = new Date();
  const window = callWindow(link, now, env().JOIN_OPENS_MINUTES_BEFORE);
  if (window.state === "completed") return <LinkProblem kind="completed" organizationName={link.organizationName} />;
  if (window.state === "expired") return <LinkProblem kind={link.closedReason === "cancelled" ? "cancelled" : "expired"} organizationName={link.organizationName} />;

  const [catalogs, t, callSettings] = await Promise.all([database().then(loadCatalogs), getTranslations("Join.counterpart"), clinicCallSettingsOf(link.organizationId, useBackground)]);
  const cookie = (await cookies()).get(sessionCookieName(link.participantId));
  const session = cookie ? await verifyParticipantSession(appSecret(), cookie.value, now) : null;
  const details: JoinDetails = {
    token,
    role: link.role,
    organizationName: link.organizationName,
    timeZone: link.timeZone,
    // Before the PIN the provider's link shows the patient's initials only.
    counterpart:
      link.role !== "provider"
        ? { name: link.providerName, label: catalogs.professionalType.get(link.providerProfessionalType)?.name ?? t("provider") }
        : { name: nameInitials(link.patientName), label: t("patient") },
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
    ...callSettings,
  };
  return <JoinFlow details={details} />;
}

/**
 * A room user's personal link (the teleconsultation API's `accessLinkURL`): who the call is
 * with and when, then the device check and the call, no PIN. A deleted, ended or expired room
 * says so; a link too old (or minted before the room last changed) says to open the room again
 * from the clinic's app, unless this browser already holds this participant's session (a
 * reload after the link aged keeps working).
 */
async function RoomLinkPage({ token, useBackground }: { token: string; useBackground: string | string[] | undefined }) {
  const found = await roomJoinLinkOf(token);
  if (!found) notFound();

  const now = new Date();
  const e = env();
  const window = callWindow(found, now, e.JOIN_OPENS_MINUTES_BEFORE);
  if (window.state === "deleted") return <LinkProblem kind="deleted" organizationName={found.organizationName} />;
  if (window.state === "completed") return <LinkProblem kind="room_completed" organizationName={found.organizationName} />;
  if (window.state === "expired") return <LinkProblem kind="room_expired" organizationName={found.organizationName} />;

  const cookie = (await cookies()).get(sessionCookieName(found.participantId));
  const verified = cookie ? await verifyParticipantSession(appSecret(), cookie.value, now) : null;
  const session = verified && verified.participantId === found.participantId && verified.roomId === found.roomId ? verified : null;
  if (!session && !roomJoinLinkOpens(found, now, e.ROOM_LINK_TTL_SECONDS)) {
    return <LinkProblem kind="link_expired" organizationName={found.organizationName} />;
  }

  const details: RoomJoinDetails = {
    token,
    organizationName: found.organizationName,
    timeZone: found.timeZone,
    you: { name: found.displayName, group: found.group, host: found.privilege === "plus" },
    others: found.others,
    description: found.description,
    status: found.status === "InProgress" ? "InProgress" : "Pending",
    startsAt: found.startsAt.toISOString(),
    endsAt: found.endsAt?.toISOString() ?? null,
    opensAt: window.state === "too_early" ? window.opensAt.toISOString() : null,
    serverTime: now.toISOString(),
    session: session ? { participantId: session.participantId, consultationId: null, roomId: session.roomId } : null,
    embedOrigins: splitList(e.EMBED_ALLOWED_ORIGINS),
    ...(await clinicCallSettingsOf(found.organizationId, useBackground)),
  };
  return <RoomJoinFlow details={details} />;
}

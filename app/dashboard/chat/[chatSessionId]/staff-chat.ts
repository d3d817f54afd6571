import "server-only";
import type { Database } from "@/db/client";
import { database } from "@/db/runtime";
import { staffRequest, type StaffRequest } from "@/lib/auth/staff-action";
import { auth } from "@/lib/auth/staff-auth";
import type { ChatActor } from "@/lib/chat-sessions/access";
import { staffSeesOwnChatsOnly } from "@/lib/chat-sessions/dashboard";
import { staffChatUser, type StaffChatUser } from "@/lib/chat-sessions/staff-user";
import { AppError } from "@/lib/errors";
import { newRequestId } from "@/lib/http/envelope";
import { can, type StaffMember } from "@/lib/staff";

/**
 * A staff member as a chat actor: their directory user (made on first need) acts; staff without
 * one, or who do not take part, still read the clinic's sessions.
 */
export async function staffChatActor(db: Database, staff: StaffMember): Promise<{ me: StaffChatUser | undefined; actor: ChatActor }> {
  const me = await staffChatUser(db, staff.organizationId, staff);
  return {
    me,
    // A provider acts and reads as their directory user (another clinician's chat is not found); an admin reads the clinic's.
    actor: {
      organizationId: staff.organizationId,
      kind: staffSeesOwnChatsOnly(staff) ? "user" : "staff",
      user: me ? { roomUserId: me.roomUserId, externalId: me.externalId } : undefined,
    },
  };
}

/** For the chat page and its actions: the signed-in member who sees chats (else sign-in or 403), as a chat actor. */
export async function staffChat(): Promise<StaffRequest & { me: StaffChatUser | undefined; actor: ChatActor }> {
  const request = await staffRequest("chats.view");
  return { ...request, ...(await staffChatActor(request.db, request.staff)) };
}

/**
 * For the chat page's own routes (its stream, its uploads): the same, answering 401 or 403
 * rather than redirecting. A request from another site is refused (the session cookie is
 * SameSite=Lax already; this holds for older browsers too).
 */
export async function staffChatRoute(request: Request): Promise<{ db: Database; staff: StaffMember; me: StaffChatUser | undefined; actor: ChatActor }> {
  const origin = request.headers.get("origin");
  if (origin && origin !== new URL(request.url).origin && hostOf(origin) !== request.headers.get("host")) {
    throw new AppError("forbidden", "This request came from another site.");
  }
  const staff = (await auth())?.member;
  if (!staff) throw new AppError("unauthenticated", "Sign in to the dashboard first.");
  if (!can(staff.role, "chats.view")) throw new AppError("forbidden", "Your role does not see the clinic's chats.");
  const db = await database();
  return { db, staff, ...(await staffChatActor(db, staff)) };
}

/** A refusal as the page shows it; anything unexpected is logged (ids only) and said in general words. */
export function refusalOf(error: unknown): { ok: false; message: string; status: number; code: string } {
  if (error instanceof AppError) return { ok: false, message: error.message, status: error.status, code: error.code };
  console.error(`[${newRequestId()}] dashboard chat action failed`, error);
  const internal = new AppError("internal_error", "Something went wrong on our side. Please try again.");
  return { ok: false, message: internal.message, status: internal.status, code: internal.code };
}

/** An Origin header's host; nothing for `null` (a sandboxed page) or anything that is not a URL. */
function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

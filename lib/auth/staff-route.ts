import "server-only";
import { AppError } from "@/lib/errors";
import { can, type Capability, type StaffMember } from "@/lib/staff";
import { auth } from "./staff-auth";

/**
 * For a dashboard route handler (an upload too large for a server action): the signed-in member
 * with `capability`, answering 401 or 403 rather than redirecting. A request from another site
 * is refused (the session cookie is SameSite=Lax already; this holds for older browsers too).
 */
export async function staffRouteMember(request: Request, capability: Capability): Promise<StaffMember> {
  const origin = request.headers.get("origin");
  if (origin && origin !== new URL(request.url).origin && hostOf(origin) !== request.headers.get("host")) {
    throw new AppError("forbidden", "This request came from another site.");
  }
  const staff = (await auth())?.member;
  if (!staff) throw new AppError("unauthenticated", "Sign in to the dashboard first.");
  if (!can(staff.role, capability)) throw new AppError("forbidden", "Your role may not do this.");
  return staff;
}

/** An Origin header's host; nothing for `null` (a sandboxed page) or anything that is not a URL. */
function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

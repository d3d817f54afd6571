import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { can, type Capability, type StaffMember } from "@/lib/staff";
import { auth } from "./staff-auth";

/** The signed-in staff member of this request (one session check per request), or null. */
export const currentStaff = cache(async (): Promise<StaffMember | null> => (await auth())?.member ?? null);

/**
 * Every dashboard page and action starts here: no session goes to the sign-in page, a role
 * without the capability gets 403.
 */
export async function requireStaff(capability?: Capability): Promise<StaffMember> {
  const member = await currentStaff();
  if (!member) redirect("/signin");
  if (capability && !can(member.role, capability)) forbidden();
  return member;
}

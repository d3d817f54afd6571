import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { database } from "@/db/runtime";
import { findOrganization, type OrganizationRow } from "@/lib/organizations";
import { can, type Capability, type FailedSignIns, type StaffMember } from "@/lib/staff";
import { auth } from "./staff-auth";

/** This request's session (one session check per request). */
const currentSession = cache(() => auth());

/** The signed-in staff member of this request, or null. */
export const currentStaff = cache(async (): Promise<StaffMember | null> => (await currentSession())?.member ?? null);

/** Failed sign-ins for the signed-in person's account since their previous sign-in, if any. */
export const currentSignInNotice = cache(async (): Promise<FailedSignIns | null> => (await currentSession())?.signInNotice ?? null);

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

/** The signed-in person's organization, read once per request (the layout and the page both need it). */
export const staffOrganization = cache(async (organizationId: string): Promise<OrganizationRow> => {
  const organization = await findOrganization(await database(), organizationId);
  if (!organization) throw new Error(`organization ${organizationId} of a signed-in staff member is missing`);
  return organization;
});

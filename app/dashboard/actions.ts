"use server";

import { redirect } from "next/navigation";
import { auditStaffAction, auth, signOut } from "@/lib/auth/staff-auth";

async function auditSignOut(action: "staff.signed_out" | "staff.idle_signed_out"): Promise<void> {
  const member = (await auth())?.member;
  if (member) await auditStaffAction(member, action);
}

export async function signOutStaff(): Promise<void> {
  await auditSignOut("staff.signed_out");
  await signOut({ redirectTo: "/signin?reason=signed_out" });
}

/** The browser saw no activity for the idle limit. */
export async function signOutIdle(): Promise<void> {
  await auditSignOut("staff.idle_signed_out");
  await signOut({ redirect: false });
  redirect("/signin?reason=idle");
}

/** Activity in the browser (typing, clicking) counts as activity for the server's idle limit. */
export async function keepSessionAlive(): Promise<boolean> {
  return Boolean((await auth())?.member);
}


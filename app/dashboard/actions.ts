"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { env } from "@/lib/config";
import { clientAddress } from "@/lib/http/client-address";
import { database } from "@/db/runtime";
import { auth, signOut } from "@/lib/auth/staff-auth";
import { recordAudit } from "@/lib/staff";

async function auditSignOut(action: "staff.signed_out" | "staff.idle_signed_out"): Promise<void> {
  const member = (await auth())?.member;
  if (!member) return;
  const h = await headers();
  await recordAudit(await database(), {
    organizationId: member.organizationId,
    action,
    actor: { userId: member.userId, label: member.email },
    ip: clientAddress(h, env().TRUSTED_PROXY_HOPS),
    userAgent: h.get("user-agent"),
  });
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


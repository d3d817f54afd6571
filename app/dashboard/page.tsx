import { redirect } from "next/navigation";
import { requireStaff } from "@/lib/auth/current-staff";
import { can } from "@/lib/staff";

/** Where signing in lands: a provider's own day, everyone else's consultations. */
export default async function DashboardHome() {
  const member = await requireStaff();
  redirect(can(member.role, "calls.join") ? "/dashboard/my-day" : "/dashboard/consultations");
}

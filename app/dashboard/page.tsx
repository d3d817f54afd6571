import { redirect } from "next/navigation";
import { requireStaff } from "@/lib/auth/current-staff";

export default async function DashboardHome() {
  const member = await requireStaff();
  redirect(member.role === "provider" ? "/dashboard/my-day" : "/dashboard/consultations");
}

import { redirect } from "next/navigation";
import { requireStaff } from "@/lib/auth/current-staff";

export default async function DashboardHome() {
  await requireStaff();
  redirect("/dashboard/consultations");
}

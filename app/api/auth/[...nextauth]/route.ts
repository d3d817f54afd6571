import { handlers } from "@/lib/auth/staff-auth";

export const { GET, POST } = handlers;

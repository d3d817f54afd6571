import { checkHealth } from "@/lib/health";
import { publicRoute } from "@/lib/http/route";

/** Liveness (the process answers) and readiness (the database answers). `?probe=live` skips the database. */
export const GET = publicRoute(async ({ request }) => {
  const health = await checkHealth(new URL(request.url).searchParams.get("probe") === "live");
  return Response.json(health, { status: health.ready || health.probe === "live" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
});

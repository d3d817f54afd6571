import { appUrl } from "@/lib/config";
import { publicRoute } from "@/lib/http/route";
import { buildOpenApiDocument } from "@/lib/openapi/document";

// Built once per process, on first request, and served as the same bytes after that.
let body: string | undefined;

/** The OpenAPI 3.1 document, generated from the zod schemas the handlers use. Public. */
export const GET = publicRoute(async () => {
  body ??= JSON.stringify(buildOpenApiDocument({ serverUrl: appUrl() }));
  return new Response(body, {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
});

import type { Metadata } from "next";
import { ApiReference } from "@/components/docs/ApiReference";
import { appUrl } from "@/lib/config";
import { openApiDocument } from "@/lib/openapi/document";

export const metadata: Metadata = {
  title: "API reference",
  description: "How to create and follow telemedicine consultations through the REST API.",
};

// Rendered per request so the examples show the deployment's own URL (APP_URL at run time).
export const dynamic = "force-dynamic";

export default function ApiReferencePage() {
  return <ApiReference doc={openApiDocument(appUrl())} />;
}

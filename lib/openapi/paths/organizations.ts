import { MINIMUM_NOTICE_MINUTES } from "@/lib/consultations/schema";
import { organizationProfileSchema } from "@/lib/organizations";
import type { DocumentContext } from "../context";
import { exampleMetadata } from "../examples";
import { internalError, okResponse, rateLimited, unauthorized } from "../responses";
import type { OpenApiDocument, OperationObject } from "../types";

const ORGANIZATION_DESCRIPTIONS = {
  OrganizationProfile: {
    timezone: "IANA timezone every `yyyy-MM-dd HH:mm` time of this organization is in.",
    language: "Language tag, e.g. `es`.",
    createdAt: "`yyyy-MM-dd HH:mm` in the organization's timezone.",
  },
};

/** The organization the credential belongs to. */
export function organizationPaths({ schemas, year }: DocumentContext): OpenApiDocument["paths"] {
  const organizationProfile = schemas.convert(organizationProfileSchema, "output");
  schemas.describe(ORGANIZATION_DESCRIPTIONS);

  const getOrganizationProfile: OperationObject = {
    operationId: "getOrganizationProfile",
    summary: "Get the organization profile",
    tags: ["Organization"],
    description: `The organization the credential belongs to: its name, its timezone (every \`yyyy-MM-dd HH:mm\` time is in it), the minimum notice for scheduled consultations and this credential's hourly rate limit.`,
    responses: {
      "200": okResponse("The organization's profile.", organizationProfile, {
        profile: {
          value: {
            success: true,
            data: {
              organizationId: "9a7b5c3d-1e2f-4a6b-8c9d-0e1f2a3b4c5d",
              name: "Clínica del Norte",
              slug: "clinica-del-norte",
              timezone: "America/Bogota",
              language: "es",
              logoUrl: null,
              createdAt: `${year - 1}-03-01 09:00`,
              settings: { minimumNoticeMinutes: MINIMUM_NOTICE_MINUTES, rateLimitPerHour: 1000 },
            },
            metadata: exampleMetadata(year),
          },
        },
      }),
      "401": unauthorized(year),
      "429": rateLimited(year),
      "500": internalError(year),
    },
  };
  return { "/api/organizations/profile": { get: getOrganizationProfile } };
}

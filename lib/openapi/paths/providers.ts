import { listProvidersQuerySchema, providerSchema } from "@/lib/providers";
import type { DocumentContext } from "../context";
import { queryParameters } from "../parameters";
import { errorResponse, internalError, listResponse, rateLimited, unauthorized } from "../responses";
import type { OpenApiDocument, OperationObject } from "../types";

const PROVIDER_DESCRIPTIONS = {
  Provider: {
    providerId: "The provider's id (filter consultations with `providerId`).",
    specialty: "The specialty of a specialist; null for other professional types.",
    professionalLicense: "License number, when one was given.",
    active: "Inactive providers cannot take new consultations (409 `provider_inactive`).",
  },
};

/** The organization's providers. */
export function providerPaths({ schemas, year }: DocumentContext): OpenApiDocument["paths"] {
  const provider = schemas.convert(providerSchema, "output");
  schemas.describe(PROVIDER_DESCRIPTIONS);
  const listProvidersParameters = queryParameters(schemas, listProvidersQuerySchema, {
    professionalType: "Only providers of this professional type code.",
    specialtyCode: "Only providers of this medical specialty code.",
    active: "`true` for active providers only, `false` for deactivated ones only.",
    limit: "Page size, 1 to 100.",
    cursor: "`pagination.nextCursor` of the previous page. Leave out for the first page.",
  });

  const listProviders: OperationObject = {
    operationId: "listProviders",
    summary: "List providers",
    tags: ["Providers"],
    description:
      "The organization's providers, by name. Providers are created and updated by `POST /api/consultations` (matched by document type and number). Pages work as in `GET /api/consultations`.",
    parameters: listProvidersParameters,
    responses: {
      "200": listResponse("One page of providers.", provider, year, [
        {
          providerId: "3f8a2c1e-9b7d-4e6f-a5c4-1d2e3f4a5b6c",
          name: "Dr. Juan Pérez",
          documentType: "CC",
          documentNumber: "1234567890",
          professionalType: "MedicoEspecialista",
          professionalTypeName: "Médico Especialista",
          specialty: { specialtyId: "0c4b2f8e-6a1d-4e3b-8f2a-5d9c7e1b3a60", specialtyCode: "CA003", specialtyName: "Cardiología" },
          phone: "+573001234567",
          email: "juan.perez@example.com",
          professionalLicense: "12345",
          active: true,
        },
      ]),
      "400": errorResponse("A query parameter is invalid.", ["validation_error", "invalid_cursor"], year),
      "401": unauthorized(year),
      "429": rateLimited(year),
      "500": internalError(year),
    },
  };
  return { "/api/providers": { get: listProviders } };
}

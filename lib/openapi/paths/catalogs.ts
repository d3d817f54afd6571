import { CONSULTATION_DURATIONS } from "@/db/schema";
import type { DocumentContext } from "../context";
import { exampleMetadata } from "../examples";
import { internalError, okResponse, rateLimited, unauthorized } from "../responses";
import { catalogsSchema } from "../schemas";
import type { OpenApiDocument, OperationObject } from "../types";

/** The codes the create call accepts. */
export function catalogPaths({ schemas, year }: DocumentContext): OpenApiDocument["paths"] {
  const catalogs = schemas.named("Catalogs", catalogsSchema, "output");

  const getCatalogs: OperationObject = {
    operationId: "getCatalogs",
    summary: "Get the catalogs",
    tags: ["Catalogs"],
    description:
      "The codes `POST /api/consultations` accepts: professional types (with whether they need a medical specialty), consultation types, medical specialties, and the allowed durations. Catalogs change rarely; caching them for a while is fine.",
    responses: {
      "200": okResponse("The catalogs.", catalogs, {
        catalogs: {
          summary: "Abridged",
          value: {
            success: true,
            data: {
              professionalTypes: [
                { code: "MedicoGeneral", name: "Médico General", requiresSpecialty: false },
                { code: "MedicoEspecialista", name: "Médico Especialista", requiresSpecialty: true },
                { code: "Psicologo", name: "Psicólogo", requiresSpecialty: false },
              ],
              consultationTypes: [
                { code: "ConsultaGeneral", name: "Consulta general" },
                { code: "ConsultaUrgencias", name: "Consulta de urgencias" },
              ],
              medicalSpecialties: [{ id: "0c4b2f8e-6a1d-4e3b-8f2a-5d9c7e1b3a60", code: "CA003", name: "Cardiología" }],
              durations: [...CONSULTATION_DURATIONS],
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
  return { "/api/catalogs": { get: getCatalogs } };
}

import type { DocumentContext } from "./context";
import { exampleYear } from "./examples";
import { HEADERS } from "./headers";
import { INFO, TAGS } from "./info";
import { SchemaCollector } from "./json-schema";
import { IDEMPOTENCY_KEY } from "./parameters";
import { catalogPaths } from "./paths/catalogs";
import { chatSessionPaths } from "./paths/chat-sessions";
import { chatFilePaths } from "./paths/chat-files";
import { chatSessionMessagePaths } from "./paths/chat-session-messages";
import { consultationPaths } from "./paths/consultations";
import { livekitPaths } from "./paths/livekit";
import { organizationPaths } from "./paths/organizations";
import { providerPaths } from "./paths/providers";
import { settingsPaths } from "./paths/settings";
import { systemPaths } from "./paths/system";
import { teleconsultationPaths } from "./paths/teleconsultation";
import { videoRoomPaths } from "./paths/video-room";
import { webhookPaths } from "./paths/webhooks";
import { errorBodySchema, fieldErrorSchema, metadataSchema, paginationSchema } from "./schemas";
import { AUTHENTICATED, SECURITY_SCHEMES } from "./security";
import type { OpenApiDocument, PathItemObject } from "./types";
import { WEBHOOK_HEADER_PARAMETERS, webhookEvents } from "./webhook-events";

/** The document with OpenAPI 3.1's top-level `webhooks`: the events the portal sends to your endpoints. */
export type OpenApiDocumentWithWebhooks = OpenApiDocument & { webhooks: Record<string, PathItemObject> };

/**
 * The OpenAPI 3.1 document of the API, generated from the zod schemas the route handlers
 * parse with. `serverUrl` is the origin the API is served from (paths start with `/api`).
 * Each resource's paths are built in their own module (./paths); this only puts them together.
 */
export function buildOpenApiDocument(options: { serverUrl: string; now?: Date }): OpenApiDocumentWithWebhooks {
  const serverUrl = options.serverUrl.replace(/\/+$/, "");
  const ctx: DocumentContext = { schemas: new SchemaCollector(), year: exampleYear(options.now ?? new Date()), serverUrl };
  const { schemas } = ctx;

  // Envelope parts first, so operations can reference them.
  schemas.named("Metadata", metadataSchema, "output");
  schemas.named("Pagination", paginationSchema, "output");
  schemas.named("FieldError", fieldErrorSchema, "output");
  schemas.named("ErrorResponse", errorBodySchema, "output");

  const consultations = consultationPaths(ctx);
  const providers = providerPaths(ctx);
  const organizations = organizationPaths(ctx);
  const catalogs = catalogPaths(ctx);
  const system = systemPaths(ctx);
  const webhooks = webhookEvents(ctx);
  const paths = { ...consultations, ...providers, ...teleconsultationPaths(ctx), ...chatSessionPaths(ctx), ...chatSessionMessagePaths(ctx), ...organizations, ...settingsPaths(ctx), ...catalogs, ...system, ...videoRoomPaths(ctx), ...chatFilePaths(ctx), ...livekitPaths(ctx), ...webhookPaths(ctx) };

  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    info: INFO,
    servers: [{ url: serverUrl, description: "This deployment" }],
    tags: TAGS,
    security: AUTHENTICATED,
    paths,
    webhooks,
    components: {
      schemas: schemas.schemas,
      securitySchemes: SECURITY_SCHEMES,
      headers: HEADERS,
      parameters: { IdempotencyKey: IDEMPOTENCY_KEY, ...WEBHOOK_HEADER_PARAMETERS },
    },
  };
}

const built = new Map<string, OpenApiDocumentWithWebhooks>();

/** The document for one server URL, built once per process. */
export function openApiDocument(serverUrl: string): OpenApiDocumentWithWebhooks {
  let document = built.get(serverUrl);
  if (!document) {
    document = buildOpenApiDocument({ serverUrl });
    built.set(serverUrl, document);
  }
  return document;
}

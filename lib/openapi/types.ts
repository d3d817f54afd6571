/**
 * The parts of OpenAPI 3.1 this project writes and reads (the document builder and the
 * reference page). Schemas are JSON Schema 2020-12, as OpenAPI 3.1 uses it.
 */

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  not?: JsonSchema;
  if?: JsonSchema;
  then?: JsonSchema;
  else?: JsonSchema;
  [extension: `x-${string}`]: unknown;
};

export type ExampleObject = { summary?: string; description?: string; value: unknown };

export type MediaTypeObject = { schema: JsonSchema; examples?: Record<string, ExampleObject> };

export type HeaderObject = { description?: string; required?: boolean; schema: JsonSchema } | { $ref: string };

export type ParameterObject = {
  name: string;
  in: "query" | "header" | "path" | "cookie";
  description?: string;
  required?: boolean;
  schema: JsonSchema;
  example?: unknown;
};

export type RequestBodyObject = { description?: string; required?: boolean; content: Record<string, MediaTypeObject> };

export type ResponseObject = {
  description: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, MediaTypeObject>;
};

export type SecurityRequirement = Record<string, string[]>;

export type OperationObject = {
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  security?: SecurityRequirement[];
  parameters?: (ParameterObject | { $ref: string })[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject | { $ref: string }>;
};

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type PathItemObject = { summary?: string; description?: string; parameters?: ParameterObject[] } & Partial<
  Record<HttpMethod, OperationObject>
>;

export type SecuritySchemeObject =
  | { type: "apiKey"; name: string; in: "header" | "query" | "cookie"; description?: string }
  | { type: "http"; scheme: string; bearerFormat?: string; description?: string };

export type TagObject = { name: string; description?: string };

export type OpenApiDocument = {
  openapi: "3.1.0";
  jsonSchemaDialect: string;
  info: { title: string; version: string; summary?: string; description?: string; license?: { name: string; identifier?: string } };
  servers: { url: string; description?: string }[];
  tags: TagObject[];
  security: SecurityRequirement[];
  paths: Record<string, PathItemObject>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, SecuritySchemeObject>;
    headers: Record<string, HeaderObject>;
    parameters: Record<string, ParameterObject>;
  };
};

import type { SchemaCollector } from "./json-schema";

/** What every part of the document is built with: the schemas collected so far, the examples' year, the server's origin. */
export type DocumentContext = { schemas: SchemaCollector; year: number; serverUrl: string };

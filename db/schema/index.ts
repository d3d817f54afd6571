export * from "./catalogs";
export * from "./consultations";
export * from "./organizations";
export * from "./outbox";
export * from "./people";
export * from "./calls";
export * from "./webhooks";

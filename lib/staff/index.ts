export * from "./audit";
export * from "./members";
export * from "./passwords";
export * from "./roles";
export * from "./sessions";
export * from "./sign-in";
export * from "./admin";
export * from "./invitations";
export type { StaffMailer, StaffMessage } from "./mailer";

import type { SecurityRequirement, SecuritySchemeObject } from "./types";

/** How callers authenticate: an organization's API credential, or a participant's session cookie (the video room). */
export const SECURITY_SCHEMES: Record<string, SecuritySchemeObject> = {
  ApiKey: {
    type: "apiKey",
    in: "header",
    name: "X-API-Key",
    description: "The credential's key id (`tk_…`). Send it together with `X-API-Secret`.",
  },
  ApiSecret: {
    type: "apiKey",
    in: "header",
    name: "X-API-Secret",
    description: "The credential's secret (`tks_…`), shown once when the credential is issued. Send it together with `X-API-Key`.",
  },
  BearerAuth: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "<keyId>.<secret>",
    description: "The same credential as one header: `Authorization: Bearer <keyId>.<secret>`.",
  },
  ContractApiKey: {
    type: "apiKey",
    in: "header",
    name: "apikey",
    description: "The same credential as one header, the way the teleconsultation contract's examples send it: `apikey: <keyId>.<secret>` (the bearer form's value). Taken by every route that takes the credential.",
  },
  UserToken: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A room user's own token from `POST /api/credentials`: `Authorization: Bearer <token>`. It reads that user's rooms only; it dies with the credential that minted it.",
  },
  UserId: {
    type: "apiKey",
    in: "header",
    name: "X-User-Id",
    description: "With the organization's credential: the `userExternalId` of the end user the request acts for (the teleconsultation contract's logged user).",
  },
  ParticipantSession: {
    type: "apiKey",
    in: "cookie",
    name: "tm_p_<participantId>",
    description: "The session cookie `POST /api/join/{token}/session` sets after a right PIN, named after the participant; the request names the participant with `?participantId=`.",
  },
};

/** The API credential, in any of its header styles. */
export const AUTHENTICATED: SecurityRequirement[] = [{ ApiKey: [], ApiSecret: [] }, { BearerAuth: [] }, { ContractApiKey: [] }];

/** The session cookie a right PIN sets. */
export const PARTICIPANT: SecurityRequirement[] = [{ ParticipantSession: [] }];

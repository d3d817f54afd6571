import { z } from "zod";

const boolean = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1");

const positiveInt = z.coerce.number().int().positive();

/** Every environment variable the app reads, with its default. README lists the same. */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATA_DIR: z.string().min(1).default(".data"),
  EMBEDDED_POSTGRES_PORT: positiveInt.max(65535).default(54329),
  APP_URL: z.url({ protocol: /^https?$/ }).optional(),
  APP_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  SEED_DEMO: boolean.optional(),
  API_RATE_LIMIT_PER_HOUR: positiveInt.default(1000),
  API_MAX_BODY_BYTES: positiveInt.default(64 * 1024),
  DATABASE_POOL_SIZE: positiveInt.max(200).default(10),
  PORT: positiveInt.max(65535).default(3000),
  /** The address `npm start` listens on; unset, every interface. */
  HOST: z.string().trim().min(1).optional(),
  /** Read by next.config.mjs and the API front: gzip responses in-process (turn off behind a compressing proxy). */
  HTTP_COMPRESSION: boolean.default(true),
  /** Hops of trusted reverse proxies in front of the app: the client address is that many entries from the right of X-Forwarded-For. */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** How long before a scheduled consultation its links open. */
  JOIN_OPENS_MINUTES_BEFORE: z.coerce.number().int().min(0).max(24 * 60).default(15),
  /** Wrong PINs from one address, across all links, per hour. */
  PIN_ADDRESS_LIMIT_PER_HOUR: positiveInt.default(30),
  /** A participant whose realtime connection has been gone this long is recorded as having left. */
  ROOM_RECONNECT_GRACE_SECONDS: positiveInt.max(3600).default(40),
  /** A live call past its scheduled end is completed by the server after this much more. */
  CALL_OVERRUN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** Comma-separated STUN URLs given to browsers, e.g. `stun:stun.example.org:3478`. */
  STUN_URLS: z.string().optional(),
  /** Comma-separated TURN URLs, e.g. `turn:turn.example.org:3478?transport=udp,turns:turn.example.org:5349`. */
  TURN_URLS: z.string().optional(),
  /** coturn's `static-auth-secret`: per-join TURN credentials are minted with it (TURN REST API scheme). */
  TURN_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  TURN_CREDENTIAL_TTL_SECONDS: positiveInt.max(7 * 24 * 3600).default(4 * 3600),
  /** `relay` forces every call through TURN (for networks that block direct media, and for tests). */
  WEBRTC_ICE_TRANSPORT_POLICY: z.enum(["all", "relay"]).default("all"),
  /**
   * Lets webhook endpoints use plain http and loopback, private and link-local addresses.
   * Only for local development and tests: it opens the server to SSRF.
   */
  WEBHOOK_ALLOW_INSECURE_URLS: boolean.default(false),
  /** How long one webhook attempt may take, connection and answer included. */
  WEBHOOK_TIMEOUT_SECONDS: positiveInt.max(60).default(15),
  /** Run the job workers (webhook delivery, expiry, auto-completion) inside the app; `false` when `npm run worker` runs them. */
  JOBS_IN_APP: boolean.default(true),
  /** How often the lifecycle sweep (expiry, overdue calls, vanished participants) runs. */
  LIFECYCLE_INTERVAL_SECONDS: positiveInt.max(300).default(5),
  /** LiveKit's server, as browsers reach it (`wss://…`); with the key and secret it makes rooms use LiveKit. */
  LIVEKIT_URL: z.url({ protocol: /^(wss?|https?)$/ }).optional(),
  LIVEKIT_API_KEY: z.string().min(1).optional(),
  LIVEKIT_API_SECRET: z.string().min(1).optional(),
  /** How long a LiveKit access token may be used to connect; a reconnect past it joins again for a new one. */
  LIVEKIT_TOKEN_TTL_SECONDS: positiveInt.min(60).max(24 * 3600).default(600),
  /**
   * Comma-separated origins (`https://clinic.example`) whose pages may show the video room in an
   * iframe; the room posts its state messages to these origins only. Empty: no embedding.
   */
  EMBED_ALLOWED_ORIGINS: z.string().optional(),
  /**
   * Teleconsultation rooms (the teleconsultation API). Unlimited: a room has no end and no timer
   * (its duration is stored but not enforced). Off by default: a room's booked time frees the
   * people in it, and a call nobody ends would otherwise run until everyone leaves.
   */
  UNLIMITED_TELECONSULTATION: boolean.default(false),
  /** A room made while this is on ends its call when someone leaves and fewer than two remain. */
  LIVE_TELECONSULTATION: boolean.default(true),
  /** Once a room's participants are all known, it cannot change from this long before its start; its links exist from then. */
  IMMUTABLE_PERIOD_MS: z.coerce.number().int().min(0).max(30 * 24 * 3600 * 1000).default(0),
  /** How long a room user's personal link (`accessLinkURL`) may be opened after `GET` minted it. */
  ROOM_LINK_TTL_SECONDS: positiveInt.min(30).max(24 * 3600).default(600),
  /** How long a participant's chat link (`/chat/cl_…`) may be opened after the API minted it: a patient opens it from a message later the same day. */
  CHAT_LINK_TTL_SECONDS: positiveInt.min(60).max(7 * 24 * 3600).default(24 * 3600),
  /** Dashboard sessions with no activity for this long are signed out (health data: keep it short). */
  STAFF_IDLE_TIMEOUT_MINUTES: positiveInt.max(24 * 60).default(15),
  /** A dashboard sign-in lasts at most this long, active or not. */
  STAFF_SESSION_MAX_HOURS: positiveInt.max(7 * 24).default(12),
  /** Single sign-on (OpenID Connect): the issuer, client id and secret of the hospital's identity provider. All three, or none. */
  AUTH_OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  AUTH_OIDC_CLIENT_ID: z.string().min(1).optional(),
  AUTH_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The sign-in button's label for single sign-on, e.g. "Hospital San José SSO". */
  AUTH_OIDC_NAME: z.string().min(1).max(60).default("Single sign-on"),
  /**
   * Files (chat uploads) go to an S3-compatible store when a bucket is named, else to the local
   * disk under DATA_DIR/files. The endpoint is for stores other than AWS (MinIO, Ceph, R2, …);
   * without keys the AWS SDK's own chain (AWS_* variables, an instance role) supplies them.
   */
  STORAGE_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens)")
    .optional(),
  STORAGE_S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  STORAGE_S3_REGION: z.string().regex(/^[a-z0-9-]{1,40}$/, "must be a region name such as us-east-1").optional(),
  STORAGE_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  STORAGE_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Bucket in the path (`https://host/bucket/key`) rather than the host name: most self-hosted stores need it. */
  STORAGE_S3_FORCE_PATH_STYLE: boolean.default(false),
  /** The teleconsultation contract's switch: `DELETE /api/teleconsultation/{roomId}/uploads` deletes the room's files only when true (else 204). */
  TELECONSULTATION_DELETE_UPLOADS: boolean.default(false),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment; a bad variable is named in the message so start-up says what to fix. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty string means "unset", as it does in most .env files.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  const e = result.data;
  if (e.TURN_URLS && !e.TURN_SECRET) throw new ConfigError("Invalid environment configuration:\n  TURN_SECRET: is required when TURN_URLS is set");
  const livekit = [e.LIVEKIT_URL, e.LIVEKIT_API_KEY, e.LIVEKIT_API_SECRET].filter(Boolean).length;
  if (livekit !== 0 && livekit !== 3) {
    throw new ConfigError("Invalid environment configuration:\n  LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET: set all three to use LiveKit, or none");
  }
  const oidc = [e.AUTH_OIDC_ISSUER, e.AUTH_OIDC_CLIENT_ID, e.AUTH_OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidc !== 0 && oidc !== 3) {
    throw new ConfigError("Invalid environment configuration:\n  AUTH_OIDC_ISSUER, AUTH_OIDC_CLIENT_ID, AUTH_OIDC_CLIENT_SECRET: set all three for single sign-on, or none");
  }
  // Auth.js (@auth/core 0.41) talks to any issuer over plain http, client secret and codes included:
  // http is for an identity provider on this machine only (local development, the e2e tests).
  if (e.AUTH_OIDC_ISSUER && !isHttpsOrLoopback(e.AUTH_OIDC_ISSUER)) {
    throw new ConfigError("Invalid environment configuration:\n  AUTH_OIDC_ISSUER: must be an https URL (plain http only for localhost or 127.0.0.1)");
  }
  const s3Settings = [e.STORAGE_S3_ENDPOINT, e.STORAGE_S3_REGION, e.STORAGE_S3_ACCESS_KEY_ID, e.STORAGE_S3_SECRET_ACCESS_KEY].some(Boolean);
  if (s3Settings && !e.STORAGE_S3_BUCKET) {
    throw new ConfigError("Invalid environment configuration:\n  STORAGE_S3_BUCKET: required when other STORAGE_S3_* settings are given (files stay on the local disk without it)");
  }
  if (!e.STORAGE_S3_ACCESS_KEY_ID !== !e.STORAGE_S3_SECRET_ACCESS_KEY) {
    throw new ConfigError("Invalid environment configuration:\n  STORAGE_S3_ACCESS_KEY_ID, STORAGE_S3_SECRET_ACCESS_KEY: set both, or neither (the AWS SDK's own credentials)");
  }
  const badOrigin = splitList(e.EMBED_ALLOWED_ORIGINS).find((origin) => !isOrigin(origin));
  if (badOrigin) throw new ConfigError(`Invalid environment configuration:\n  EMBED_ALLOWED_ORIGINS: "${badOrigin}" is not an origin like https://clinic.example`);
  for (const [name, list] of [["STUN_URLS", e.STUN_URLS], ["TURN_URLS", e.TURN_URLS]] as const) {
    const bad = splitList(list).find((url) => !/^(stun|stuns|turn|turns):[^\s]+$/.test(url));
    if (bad) throw new ConfigError(`Invalid environment configuration:\n  ${name}: "${bad}" is not a stun:, stuns:, turn: or turns: URL`);
  }
  return e;
}

/** `scheme://host[:port]` and nothing more, as browsers report an origin. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value;
  } catch {
    return false;
  }
}

/** https, or http to this machine itself (localhost, 127.0.0.0/8, [::1]). */
function isHttpsOrLoopback(value: string): boolean {
  const url = new URL(value);
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && (url.hostname === "localhost" || url.hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(url.hostname));
}

/** A comma-separated setting as a list, blanks dropped. */
export function splitList(value: string | undefined): string[] {
  return (value ?? "").split(",").map((v) => v.trim()).filter(Boolean);
}

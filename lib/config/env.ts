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
  /** Read by next.config.mjs: gzip responses in-process (turn off behind a compressing proxy). */
  HTTP_COMPRESSION: boolean.default(true),
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
  return result.data;
}

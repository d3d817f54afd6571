/**
 * Where e2e/embedding.spec.ts serves the clinic page that frames the room: another site
 * (127.0.0.1, not localhost) on a port next to the app's.
 */
export function embedParentOrigin(appPort: number | string): string {
  return `http://127.0.0.1:${Number(appPort) + 90}`;
}

/**
 * The identity provider every e2e app server signs staff in with (e2e/oidc-server.ts, started by
 * e2e/sso.spec.ts): a real OpenID Connect server on a port next to the app's.
 */
export function oidcIssuer(appPort: number | string): string {
  return `http://127.0.0.1:${Number(appPort) + 7}`;
}
export const OIDC_CLIENT = { id: "telemed-e2e", secret: "e2e-oidc-client-secret-not-for-production" } as const;

/** The app secret of every e2e app instance (specs mint room links with it). */
export const E2E_APP_SECRET = process.env.E2E_APP_SECRET ?? "e2e-app-secret-at-least-32-characters-long";

/** The environment of an app server under test (server/start.mjs, as `npm start`): production mode on a given database and port. */
export function appServerEnv(options: { databaseUrl: string; port: number | string; seedDemo: boolean }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: process.env.E2E_NEXT_DIST_DIR ?? "",
    DATABASE_URL: options.databaseUrl,
    // One secret for every instance, so a participant's session works on all of them.
    APP_SECRET: E2E_APP_SECRET,
    APP_URL: `http://localhost:${options.port}`,
    PORT: String(options.port),
    SEED_DEMO: String(options.seedDemo),
    EMBED_ALLOWED_ORIGINS: embedParentOrigin(options.port),
    // Specs register real webhook receivers on 127.0.0.1 (e2e/dashboard-integrations.spec.ts).
    WEBHOOK_ALLOW_INSECURE_URLS: process.env.WEBHOOK_ALLOW_INSECURE_URLS ?? "true",
    // Single sign-on is always configured, so every run shows the button and e2e/sso.spec.ts can use it.
    AUTH_OIDC_ISSUER: oidcIssuer(options.port),
    AUTH_OIDC_CLIENT_ID: OIDC_CLIENT.id,
    AUTH_OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
    AUTH_OIDC_NAME: "Hospital SSO",
  };
}

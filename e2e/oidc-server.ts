import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import Provider from "oidc-provider";
import { OIDC_CLIENT, oidcIssuer } from "./app-env";

/**
 * A real OpenID Connect provider (panva's certified oidc-provider) standing in for a hospital's
 * identity provider: the e2e app server is configured with it (e2e/app-env.ts). Its own
 * quick-start sign-in page takes any login name, which becomes the person's email, and asks for
 * consent the first time. Accounts live in memory for as long as the server runs.
 */

export type OidcServer = { issuer: string; stop: () => Promise<void> };

/** Starts the identity provider of the app on `appPort`; logins in `unverifiedEmails` come back with email_verified false. */
export async function startOidcServer(appPort: number | string, options: { unverifiedEmails?: ReadonlySet<string> } = {}): Promise<OidcServer> {
  const issuer = oidcIssuer(appPort);
  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [`http://localhost:${appPort}/api/auth/callback/oidc`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        // What Auth.js uses when a provider does not say otherwise.
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    findAccount: (_ctx: unknown, login: string) => ({
      accountId: login,
      claims: () => ({
        sub: login,
        email: login,
        email_verified: !options.unverifiedEmails?.has(login),
        name: `IdP ${login.split("@")[0]}`,
      }),
    }),
    cookies: { keys: [randomBytes(32).toString("hex")] },
    jwks: { keys: [{ ...signingKey, alg: "RS256", use: "sig", kid: "e2e" }] },
  });
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(Number(new URL(issuer).port), "127.0.0.1", () => resolve());
  });
  return {
    issuer,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

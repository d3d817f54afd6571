import { DrizzleAdapter } from "@auth/drizzle-adapter";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import type { Adapter } from "next-auth/adapters";
import Credentials from "next-auth/providers/credentials";
import { cookies, headers } from "next/headers";
import { z } from "zod";
import { database } from "@/db/runtime";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { appSecret, appUrl, env } from "@/lib/config";
import { clientAddress } from "@/lib/http/client-address";
import { ssoRefusal } from "./sso";
import {
  DEVICE_COOKIE,
  DEVICE_COOKIE_DAYS,
  endStaffSession,
  type FailedSignIns,
  readDeviceCookie,
  recordSignIn,
  signDeviceCookie,
  findStaffByEmail,
  recordAudit,
  type AuditAction,
  type AuditEntry,
  resumeStaffSession,
  signInWithPassword,
  startStaffSession,
  type StaffMember,
} from "@/lib/staff";

/** Too many tries: told apart from a wrong password so the page can say how long to wait. */
export class SignInRateLimited extends CredentialsSignin {
  override code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

declare module "next-auth" {
  interface Session {
    member?: StaffMember;
    /** Failed sign-ins for this account since its previous sign-in, for the owner to see. */
    signInNotice?: FailedSignIns | null;
  }
  interface User {
    sessionToken?: string;
    signInNotice?: FailedSignIns | null;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    /** The server-side session (`sessions.session_token`) this signed cookie stands for. */
    sid?: string;
    member?: StaffMember;
    signInNotice?: FailedSignIns | null;
  }
}

const credentialsSchema = z.object({ email: z.string().max(254), password: z.string().max(200) });

async function requestContext() {
  const h = await headers();
  return { ip: clientAddress(h, env().TRUSTED_PROXY_HOPS), userAgent: h.get("user-agent") };
}

/** An audit entry for something a staff member did in this request, with where it came from. */
export async function auditStaffAction(
  who: Pick<StaffMember, "organizationId" | "userId" | "email">,
  action: AuditAction,
  detail?: Record<string, unknown>,
  target?: AuditEntry["target"],
): Promise<void> {
  const ctx = await requestContext();
  await recordAudit(await database(), {
    organizationId: who.organizationId,
    action,
    actor: { userId: who.userId, label: who.email },
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    target,
    detail,
  });
}

/**
 * Auth.js's Drizzle adapter on our tables, keeping no tokens from the identity provider: the
 * link between a person and their single sign-on account is all we use, and an access or ID
 * token at rest would be one more secret to leak.
 */
function staffAdapter(db: Awaited<ReturnType<typeof database>>): Adapter {
  const adapter = DrizzleAdapter(db, { usersTable: users, accountsTable: accounts, sessionsTable: sessions, verificationTokensTable: verificationTokens });
  const linkAccount = adapter.linkAccount!.bind(adapter);
  return {
    ...adapter,
    linkAccount: (account) => linkAccount({ ...account, access_token: undefined, refresh_token: undefined, id_token: undefined, expires_at: undefined, session_state: undefined }),
  };
}

export function idleSeconds(): number {
  return env().STAFF_IDLE_TIMEOUT_MINUTES * 60;
}

async function config(): Promise<NextAuthConfig> {
  const e = env();
  const db = await database();
  const providers: NextAuthConfig["providers"] = [
    Credentials({
      id: "password",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      authorize: async (raw) => {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const ctx = await requestContext();
        const jar = await cookies();
        const device = await readDeviceCookie(appSecret(), jar.get(DEVICE_COOKIE)?.value);
        const result = await signInWithPassword(db, parsed.data.email, parsed.data.password, { ...ctx, device });
        if (!result.ok) {
          if (result.reason === "rate_limited") throw new SignInRateLimited(result.retryAfterSeconds);
          return null;
        }
        const member = result.member;
        const sessionToken = await startStaffSession(db, member.userId, idleSeconds(), ctx);
        await auditStaffAction(member, "staff.signed_in", { method: "password" });
        // This browser is now known for this account: its later tries are not slowed by a guesser's.
        jar.set(DEVICE_COOKIE, await signDeviceCookie(appSecret(), result.device), {
          httpOnly: true,
          secure: appUrl().startsWith("https:"),
          sameSite: "lax",
          path: "/",
          maxAge: DEVICE_COOKIE_DAYS * 86_400,
        });
        return { id: member.userId, email: member.email, name: member.name, sessionToken, signInNotice: result.failedSinceLastSignIn };
      },
    }),
  ];
  if (e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_CLIENT_ID && e.AUTH_OIDC_CLIENT_SECRET) {
    providers.push({
      id: "oidc",
      name: e.AUTH_OIDC_NAME,
      type: "oidc",
      issuer: e.AUTH_OIDC_ISSUER,
      clientId: e.AUTH_OIDC_CLIENT_ID,
      clientSecret: e.AUTH_OIDC_CLIENT_SECRET,
      // The identity provider is the clinic's own: its verified email is who the person is here.
      allowDangerousEmailAccountLinking: true,
      // Ask the userinfo endpoint for email and name: with response_type=code, OpenID Connect
      // returns scope claims there, and strict providers (oidc-provider) leave them out of the ID
      // token. Auth.js checks that the userinfo subject is the ID token's.
      idToken: false,
    });
  }

  return {
    secret: appSecret(),
    // A wrong password is an answer, not a server error worth a stack trace in the log.
    logger: {
      error: (error) => {
        // `type`, not `name`: class names are minified in the production build.
        if ((error as { type?: string }).type !== "CredentialsSignin") console.error(`[auth] ${(error as { type?: string }).type ?? error.name}: ${error.message}`, error.cause ?? "");
      },
    },
    trustHost: true,
    adapter: staffAdapter(db),
    // The cookie is a signed token naming a server-side session row; the row carries the idle
    // limit and can be ended at once. The cookie's own lifetime is the absolute limit.
    session: { strategy: "jwt", maxAge: e.STAFF_SESSION_MAX_HOURS * 3600 },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      // Single sign-on lets in only people the clinic has added as active staff.
      signIn: async ({ account, user, profile }) => {
        if (account?.provider === "password") return true;
        const staff = user.email ? await findStaffByEmail(db, user.email) : undefined;
        const refusal = ssoRefusal(staff, profile);
        // A staff member turned away is worth the admin's eye, as a wrong password is.
        if (refusal && staff) {
          await auditStaffAction({ organizationId: staff.organizationId, userId: staff.id, email: staff.email }, "staff.sign_in_failed", { method: "oidc", reason: refusal });
        }
        return refusal === null;
      },
      jwt: async ({ token, user, account, trigger }) => {
        if (trigger === "signIn" && user) {
          let sessionToken = user.sessionToken;
          let signInNotice = user.signInNotice ?? null;
          if (!sessionToken && account?.provider === "oidc" && user.id) {
            sessionToken = await startStaffSession(db, user.id, idleSeconds(), await requestContext());
            signInNotice = await recordSignIn(db, user.id);
            const staff = await findStaffByEmail(db, user.email ?? "");
            if (staff) await auditStaffAction({ organizationId: staff.organizationId, userId: staff.id, email: staff.email }, "staff.signed_in", { method: "oidc" });
          }
          if (!sessionToken) return null;
          return { sid: sessionToken, signInNotice };
        }
        if (!token.sid) return null;
        // A page's live-update stream (EventSource) is not the person doing something.
        const passive = (await headers()).get("accept")?.includes("text/event-stream") ?? false;
        const member = await resumeStaffSession(db, token.sid, idleSeconds(), { activity: !passive });
        if (!member) return null;
        return { sid: token.sid, member, signInNotice: token.signInNotice ?? null };
      },
      session: async ({ session, token }) => {
        if (token.member) session.member = token.member;
        session.signInNotice = token.signInNotice ?? null;
        return session;
      },
    },
    events: {
      // Signing out ends the server-side session, so the cookie is worthless even if copied.
      signOut: async (message) => {
        const token = "token" in message ? message.token : null;
        if (token?.sid) await endStaffSession(db, token.sid);
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(config);

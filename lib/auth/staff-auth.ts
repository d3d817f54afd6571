import { DrizzleAdapter } from "@auth/drizzle-adapter";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import type { Adapter } from "next-auth/adapters";
import Credentials from "next-auth/providers/credentials";
import { cookies, headers } from "next/headers";
import { z } from "zod";
import type { Db, Transaction } from "@/db/client";
import { storable } from "@/lib/validation/text";
import { database } from "@/db/runtime";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { appSecret, appUrl, env } from "@/lib/config";
import { requestContextFrom, type RequestContext } from "@/lib/http/client-address";
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
  runAudited,
  type StaffActor,
  type StaffAudit,
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

// The email is looked up (and stored with a failed try): a NUL in it is refused like a wrong password, not a database error.
const credentialsSchema = z.object({ email: storable(z.string().max(254)), password: z.string().max(200) });

async function requestContext(): Promise<RequestContext> {
  return requestContextFrom(await headers(), env().TRUSTED_PROXY_HOPS);
}

/**
 * A staff action done in this request: `work`'s writes and the audit row `audit` describes
 * commit in one transaction, or neither does (see runAudited). Every audited dashboard action
 * goes through here, most by the doorway's `audited` (lib/auth/staff-action.ts), for example:
 *
 *   const { staff, audited } = await staffRequest("consultations.manage");
 *   await audited((tx) => cancelConsultation(tx, staff.organizationId, id, now),
 *     (r) => (r.changed ? { action: "consultation.cancelled", target: { type: "consultation", id } } : null));
 */
export async function auditedStaffAction<T>(
  who: StaffActor | ((result: NoInfer<T>) => StaffActor),
  work: (tx: Transaction) => Promise<T>,
  audit: (result: NoInfer<T>) => StaffAudit | null,
): Promise<T> {
  return runAudited(await database(), await requestContext(), who, work, audit);
}

/** An audit row for something with no writes of its own here (a sign-out, a refused sign-in, showing a PIN already read): it is written before the caller goes on, or the caller gets the error. */
export async function auditStaffAction(who: StaffActor, action: StaffAudit["action"], detail?: StaffAudit["detail"], target?: StaffAudit["target"]): Promise<void> {
  await auditedStaffAction(who, async () => undefined, () => ({ action, detail, target }));
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
        const sessionToken = await auditedStaffAction(member, (tx) => startStaffSession(tx, member.userId, idleSeconds(), ctx), () => ({ action: "staff.signed_in", detail: { method: "password" } }));
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
            const userId = user.id;
            const ctx = await requestContext();
            const startSession = (tx: Db) => startStaffSession(tx, userId, idleSeconds(), ctx);
            signInNotice = await recordSignIn(db, userId);
            const staff = await findStaffByEmail(db, user.email ?? "");
            // The session and its "signed in" row commit together.
            sessionToken = staff
              ? await auditedStaffAction({ organizationId: staff.organizationId, userId: staff.id, email: staff.email }, startSession, () => ({ action: "staff.signed_in", detail: { method: "oidc" } }))
              : await startSession(db);
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

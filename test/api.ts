import type { Database } from "@/db/client";
import { AppError } from "@/lib/errors";
import { issueApiCredential, type IssuedCredential } from "@/lib/auth/api-keys";
import { createOrganization, type OrganizationRow } from "@/lib/organizations";

type Handler = (request: Request, segment: { params: Promise<any> }) => Promise<Response>;

export type ApiCall = {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as it is. */
  body?: unknown;
  params?: Record<string, string>;
};

export type ApiAnswer = { status: number; headers: Headers; json: any; text: string };

/** Calls a route handler the way Next.js does: with a real Request, and the path's params. */
export async function call(handler: Handler, options: ApiCall): Promise<ApiAnswer> {
  const headers = new Headers(options.headers);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const request = new Request(`http://localhost${options.path}`, { method: options.method ?? (body !== undefined ? "POST" : "GET"), headers, body });
  const response = await handler(request, { params: Promise.resolve(options.params ?? {}) });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

export type Tenant = { organization: OrganizationRow; credential: IssuedCredential; headers: Record<string, string> };

/** An organization with one API credential, and the headers that authenticate as it. */
export async function createTenant(db: Database, options: { name?: string; timezone?: string } = {}): Promise<Tenant> {
  const name = options.name ?? `Clinic ${Math.random().toString(36).slice(2, 8)}`;
  const organization = await createOrganization(db, { name, timezone: options.timezone ?? "America/Bogota" });
  const credential = await issueApiCredential(db, organization.id, "test");
  return { organization, credential, headers: { authorization: `Bearer ${credential.bearerToken}` } };
}

/** The AppError a domain call refuses with; fails the test when it succeeds or throws anything else. */
export async function refusal(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

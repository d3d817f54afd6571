"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { ZodError } from "zod";
import { database } from "@/db/runtime";
import { requireStaff, staffOrganization } from "@/lib/auth/current-staff";
import { auditedStaffAction } from "@/lib/auth/staff-auth";
import { appSealer, appUrl, env } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { fieldErrorsOf } from "@/lib/validation/field-errors";
import { jobQueue } from "@/lib/jobs/runtime";
import type { StaffMember } from "@/lib/staff";
import { formatLocal } from "@/lib/time";
import { redeliver, sendTestEvent } from "@/lib/webhooks/deliveries";
import { createEndpoint, deleteEndpoint, getEndpoint, rotateSecret, updateEndpoint, type WebhookContext } from "@/lib/webhooks/endpoints";
import { endpointRefusal } from "@/lib/webhooks/refusal";

const LIST = "/dashboard/settings/webhooks";

/** What the API's handlers pass to the same functions, for the signed-in member's organization. */
function webhookContext(member: StaffMember): WebhookContext {
  return { organizationId: member.organizationId, sealer: appSealer(), allowInsecure: env().WEBHOOK_ALLOW_INSECURE_URLS };
}

/** The audit keeps where events go, not a query string: integrators sometimes put a token there. */
function auditUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

export type EndpointFormValues = { url: string; description: string; events: string[]; enabled: boolean };

export type EndpointFormState = {
  values?: EndpointFormValues;
  fieldErrors?: Record<string, string>;
  formError?: string;
  /** The signing secret, in this answer only. */
  created?: { id: string; url: string; secret: string };
  /** When the last save succeeded, so the form can say so each time. */
  savedAt?: number;
};

function valuesOf(form: FormData): EndpointFormValues {
  return {
    url: String(form.get("url") ?? ""),
    description: String(form.get("description") ?? ""),
    events: form.getAll("events").map(String),
    enabled: form.get("enabled") === "on",
  };
}

/** A refusal as the form shows it: each rule's message on its field (the API's zod schema and URL checks name them). */
function refusal(error: unknown, values?: EndpointFormValues): EndpointFormState {
  const known = error instanceof ZodError ? AppError.validation(fieldErrorsOf(error)) : error instanceof AppError ? error : undefined;
  if (!known || known.status >= 500) throw error;
  const fieldErrors: Record<string, string> = {};
  let formError: string | undefined;
  for (const detail of known.details) {
    const field = detail.field.split(".")[0]!; // `events.2` is the events group
    if (field === "body") formError ??= `Nothing was saved: the endpoint ${detail.message}.`;
    else fieldErrors[field] ??= detail.message;
  }
  if (!formError) formError = Object.keys(fieldErrors).length > 0 ? "Some fields need attention; each one says what is wrong." : known.message;
  return { values, fieldErrors, formError };
}

export async function createEndpointAction(_previous: EndpointFormState, form: FormData): Promise<EndpointFormState> {
  const member = await requireStaff("settings.manage");
  const values = valuesOf(form);
  const ctx = webhookContext(member);
  let created: EndpointFormState["created"];
  try {
    const { endpoint, view } = await auditedStaffAction(
      member,
      async (tx) => {
        const endpoint = await createEndpoint(tx, ctx, { url: values.url, events: values.events, description: values.description });
        // The API creates endpoints enabled; the form's choice to start it off is one update more.
        return { endpoint, view: values.enabled ? endpoint : await updateEndpoint(tx, ctx, endpoint.id, { enabled: false }) };
      },
      ({ view }) => ({ action: "webhook_endpoint.created", detail: { url: auditUrl(view.url), events: view.events, enabled: view.enabled }, target: { type: "webhook_endpoint", id: view.id } }),
    );
    created = { id: view.id, url: view.url, secret: endpoint.secret };
  } catch (error) {
    return refusal((await endpointRefusal(error, values.url, ctx)) ?? error, values);
  }
  revalidatePath(LIST);
  return { created };
}

export async function updateEndpointAction(_previous: EndpointFormState, form: FormData): Promise<EndpointFormState> {
  const member = await requireStaff("settings.manage");
  const endpointId = String(form.get("endpointId") ?? "");
  const values = valuesOf(form);
  const ctx = webhookContext(member);
  try {
    const { after } = await auditedStaffAction(
      member,
      async (tx) => {
        const before = await getEndpoint(tx, ctx, endpointId);
        const after = await updateEndpoint(tx, ctx, endpointId, { url: values.url, events: values.events, description: values.description, enabled: values.enabled });
        return { after, changed: (["url", "events", "description", "enabled"] as const).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key])) };
      },
      ({ after, changed }) =>
        changed.length > 0
          ? {
              action: "webhook_endpoint.updated",
              detail: {
                changed,
                ...(changed.includes("url") ? { url: auditUrl(after.url) } : {}),
                ...(changed.includes("events") ? { events: after.events } : {}),
                ...(changed.includes("enabled") ? { enabled: after.enabled } : {}),
              },
              target: { type: "webhook_endpoint", id: after.id },
            }
          : null,
    );
    revalidatePath(LIST, "layout");
    return { values: { url: after.url, description: after.description ?? "", events: after.events, enabled: after.enabled }, savedAt: Date.now() };
  } catch (error) {
    return refusal((await endpointRefusal(error, values.url, ctx)) ?? error, values);
  }
}

export type RotateSecretState = { secret?: string; previousUntil?: string; formError?: string };

export async function rotateSecretAction(_previous: RotateSecretState, form: FormData): Promise<RotateSecretState> {
  const member = await requireStaff("settings.manage");
  const endpointId = String(form.get("endpointId") ?? "");
  try {
    const organization = await staffOrganization(member.organizationId);
    const rotated = await auditedStaffAction(
      member,
      (tx) => rotateSecret(tx, webhookContext(member), endpointId),
      (r) => ({ action: "webhook_endpoint.secret_rotated", detail: { previousSecretExpiresAt: r.previousSecretExpiresAt }, target: { type: "webhook_endpoint", id: r.id } }),
    );
    revalidatePath(`${LIST}/${rotated.id}`);
    return { secret: rotated.secret, previousUntil: rotated.previousSecretExpiresAt ? formatLocal(new Date(rotated.previousSecretExpiresAt), organization.timezone) : undefined };
  } catch (error) {
    return { formError: refusal(error).formError };
  }
}

export type TestEventState = {
  formError?: string;
  result?: { deliveryId: string; event: string; delivered: boolean; statusCode: number | null; latencyMs: number | null; error: string | null; responseExcerpt: string | null };
};

export async function sendTestEventAction(_previous: TestEventState, form: FormData): Promise<TestEventState> {
  const member = await requireStaff("settings.manage");
  const endpointId = String(form.get("endpointId") ?? "");
  const event = String(form.get("event") ?? "") || undefined;
  try {
    const organization = await staffOrganization(member.organizationId);
    const e = env();
    const ctx = { ...webhookContext(member), timeZone: organization.timezone, appUrl: appUrl() };
    const delivery = await sendTestEvent(await database(), ctx, endpointId, { event }, { allowInsecure: ctx.allowInsecure, timeoutMs: e.WEBHOOK_TIMEOUT_SECONDS * 1000 });
    const attempt = delivery.attempts.at(-1);
    revalidatePath(`${LIST}/${delivery.endpointId}`);
    return {
      result: {
        deliveryId: delivery.id,
        event: delivery.event,
        delivered: delivery.status === "delivered",
        statusCode: attempt?.statusCode ?? null,
        latencyMs: attempt?.latencyMs ?? null,
        error: attempt?.error ?? null,
        responseExcerpt: attempt?.responseExcerpt ?? null,
      },
    };
  } catch (error) {
    return { formError: refusal(error).formError };
  }
}

export type DeleteEndpointState = { formError?: string };

export async function deleteEndpointAction(_previous: DeleteEndpointState, form: FormData): Promise<DeleteEndpointState> {
  const member = await requireStaff("settings.manage");
  const endpointId = String(form.get("endpointId") ?? "");
  try {
    await auditedStaffAction(
      member,
      async (tx) => {
        const endpoint = await getEndpoint(tx, { organizationId: member.organizationId }, endpointId);
        await deleteEndpoint(tx, { organizationId: member.organizationId }, endpointId);
        return endpoint;
      },
      (endpoint) => ({ action: "webhook_endpoint.deleted", detail: { url: auditUrl(endpoint.url), events: endpoint.events }, target: { type: "webhook_endpoint", id: endpoint.id } }),
    );
  } catch (error) {
    return { formError: refusal(error).formError };
  }
  revalidatePath(LIST);
  redirect(`${LIST}?deleted=1`);
}

export type RedeliverState = { queued?: boolean; formError?: string };

/** Puts the delivery back on the queue (the API answers 202 for the same): the worker sends it shortly. */
export async function redeliverAction(_previous: RedeliverState, form: FormData): Promise<RedeliverState> {
  const member = await requireStaff("settings.manage");
  const endpointId = String(form.get("endpointId") ?? "");
  const deliveryId = String(form.get("deliveryId") ?? "");
  try {
    const boss = await jobQueue();
    const delivery = await auditedStaffAction(
      member,
      (tx) => redeliver(tx, boss, { organizationId: member.organizationId }, endpointId, deliveryId),
      (d) => ({ action: "webhook_delivery.redelivered", detail: { endpointId: d.endpointId, event: d.event }, target: { type: "webhook_delivery", id: d.id } }),
    );
    revalidatePath(`${LIST}/${delivery.endpointId}`, "layout");
    return { queued: true };
  } catch (error) {
    return { formError: refusal(error).formError };
  }
}

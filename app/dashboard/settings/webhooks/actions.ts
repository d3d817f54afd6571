"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { z } from "zod";
import type { EndpointFormState } from "@/components/dashboard/WebhookEndpointForm";
import type { DeleteEndpointState, RotateSecretState, TestEventState } from "@/components/dashboard/WebhookEndpointActions";
import type { RedeliverState } from "@/components/dashboard/WebhookRedeliver";
import { staffAction } from "@/lib/auth/staff-action";
import { appSealer, appUrl, env } from "@/lib/config";
import type { FormWording } from "@/lib/forms/form-state";
import { formCheckbox, formList, formText } from "@/lib/forms/read";
import { jobQueue } from "@/lib/jobs/runtime";
import type { StaffMember } from "@/lib/staff";
import { endpointChanges, endpointCreatedAudit, endpointDeletedAudit, endpointUpdatedAudit } from "@/lib/webhooks/audit";
import { redeliver, sendTestEvent } from "@/lib/webhooks/deliveries";
import { createEndpoint, deleteEndpoint, getEndpoint, rotateSecret, updateEndpoint, type WebhookContext } from "@/lib/webhooks/endpoints";
import { endpointRefusal } from "@/lib/webhooks/refusal";
import { HOUR_CYCLE } from "@/lib/i18n/clock";

const LIST = "/dashboard/settings/webhooks";

/** What the API's handlers pass to the same functions, for the signed-in member's organization. */
function webhookContext(member: StaffMember): WebhookContext {
  return { organizationId: member.organizationId, sealer: appSealer(), allowInsecure: env().WEBHOOK_ALLOW_INSECURE_URLS };
}

/** Why the URL checks (lib/webhooks/url-guard.ts) refused an address, by their `reason`. */
const URL_REASONS = {
  too_long: "errors.url.tooLong",
  not_absolute: "errors.url.notAbsolute",
  insecure: "errors.url.insecure",
  scheme: "errors.url.scheme",
  credentials: "errors.url.credentials",
  fragment: "errors.url.fragment",
  metadata: "errors.url.metadata",
  not_public: "errors.url.notPublic",
  unresolvable: "errors.url.unresolvable",
} as const;

/**
 * Each rule's message on its field (the API's zod schema and URL checks name them, the URL checks
 * in sentences); a refusal of the whole endpoint above the form.
 */
async function wording(): Promise<FormWording> {
  const [t, forms] = await Promise.all([getTranslations("WebhookForm"), getTranslations("Forms")]);
  return {
    field: (field) => field.split(".")[0]!, // `events.2` is the events group
    message: ({ field, code, params = {} }) => {
      if (code.startsWith("webhook_url_")) {
        const reason = String(params.reason ?? "");
        if (!Object.hasOwn(URL_REASONS, reason)) return t("errors.url.other");
        return t(URL_REASONS[reason as keyof typeof URL_REASONS], {
          maximum: Number(params.maximum) || 2048,
          host: String(params.host ?? ""),
          address: String(params.address ?? ""),
          range: String(params.range ?? "other"),
        });
      }
      if (field.startsWith("events") && code === "too_small") return t("errors.eventsRequired");
      if (field.startsWith("events") && code === "invalid_value") return t("errors.unknownEvent");
      return undefined;
    },
    summary: (_error, fieldErrors, usual) =>
      fieldErrors.body ? t("errors.nothingSaved") : Object.keys(fieldErrors).length > 0 ? forms("summary.fieldsNeedAttention") : usual,
  };
}

const endpointForm = z.object({ endpointId: formText, url: formText, description: formText, events: formList, enabled: formCheckbox });

/** The API's URL checks said in the form's words (see endpointRefusal), or the error as it was. */
async function refused(error: unknown, url: string, ctx: WebhookContext): Promise<never> {
  throw (await endpointRefusal(error, url, ctx)) ?? error;
}

export const createEndpointAction = staffAction(
  "settings.manage",
  endpointForm,
  async (values, { staff, audited }): Promise<EndpointFormState> => {
    const ctx = webhookContext(staff);
    const { endpoint, view } = await audited(
      async (tx) => {
        const endpoint = await createEndpoint(tx, ctx, { url: values.url, events: values.events, description: values.description });
        // The API creates endpoints enabled; the form's choice to start it off is one update more.
        return { endpoint, view: values.enabled ? endpoint : await updateEndpoint(tx, ctx, endpoint.id, { enabled: false }) };
      },
      ({ view }) => endpointCreatedAudit(view),
    ).catch((error: unknown) => refused(error, values.url, ctx));
    revalidatePath(LIST);
    return { created: { id: view.id, url: view.url, secret: endpoint.secret } };
  },
  wording,
);

export const updateEndpointAction = staffAction(
  "settings.manage",
  endpointForm,
  async ({ endpointId, ...values }, { staff, audited }): Promise<EndpointFormState> => {
    const ctx = webhookContext(staff);
    const { after } = await audited(
      async (tx) => {
        const before = await getEndpoint(tx, ctx, endpointId);
        const after = await updateEndpoint(tx, ctx, endpointId, values);
        return { after, changed: endpointChanges(before, after) };
      },
      ({ after, changed }) => endpointUpdatedAudit(after, changed),
    ).catch((error: unknown) => refused(error, values.url, ctx));
    revalidatePath(LIST, "layout");
    return { values: { url: after.url, description: after.description ?? "", events: after.events, enabled: after.enabled }, savedAt: Date.now() };
  },
  wording,
);

export const rotateSecretAction = staffAction(
  "settings.manage",
  z.object({ endpointId: formText }),
  async ({ endpointId }, { staff, organization, audited }): Promise<RotateSecretState> => {
    const rotated = await audited(
      (tx) => rotateSecret(tx, webhookContext(staff), endpointId),
      (r) => ({ action: "webhook_endpoint.secret_rotated", detail: { previousSecretExpiresAt: r.previousSecretExpiresAt }, target: { type: "webhook_endpoint", id: r.id } }),
    );
    revalidatePath(`${LIST}/${rotated.id}`);
    const format = await getFormatter();
    const previousUntil = rotated.previousSecretExpiresAt
      ? format.dateTime(new Date(rotated.previousSecretExpiresAt), { dateStyle: "medium", timeStyle: "short", ...HOUR_CYCLE, timeZone: organization.timezone })
      : undefined;
    return { secret: rotated.secret, previousUntil };
  },
  wording,
);

export const sendTestEventAction = staffAction(
  "settings.manage",
  z.object({ endpointId: formText, event: formText }),
  async ({ endpointId, event }, { staff, db, organization }): Promise<TestEventState> => {
    const ctx = { ...webhookContext(staff), timeZone: organization.timezone, appUrl: appUrl() };
    const delivery = await sendTestEvent(db, ctx, endpointId, { event: event || undefined }, { allowInsecure: ctx.allowInsecure, timeoutMs: env().WEBHOOK_TIMEOUT_SECONDS * 1000 });
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
  },
  wording,
);

export const deleteEndpointAction = staffAction(
  "settings.manage",
  z.object({ endpointId: formText }),
  async ({ endpointId }, { staff, audited }): Promise<DeleteEndpointState> => {
    const scope = { organizationId: staff.organizationId };
    await audited(async (tx) => {
      const endpoint = await getEndpoint(tx, scope, endpointId);
      await deleteEndpoint(tx, scope, endpointId);
      return endpoint;
    }, (endpoint) => endpointDeletedAudit(endpoint));
    revalidatePath(LIST);
    redirect(`${LIST}?deleted=1`);
  },
  wording,
);

/** Puts the delivery back on the queue (the API answers 202 for the same): the worker sends it shortly. */
export const redeliverAction = staffAction(
  "settings.manage",
  z.object({ endpointId: formText, deliveryId: formText }),
  async ({ endpointId, deliveryId }, { staff, audited }): Promise<RedeliverState> => {
    const boss = await jobQueue();
    const delivery = await audited(
      (tx) => redeliver(tx, boss, { organizationId: staff.organizationId }, endpointId, deliveryId),
      (d) => ({ action: "webhook_delivery.redelivered", detail: { endpointId: d.endpointId, event: d.event }, target: { type: "webhook_delivery", id: d.id } }),
    );
    revalidatePath(`${LIST}/${delivery.endpointId}`, "layout");
    return { queued: true };
  },
  wording,
);

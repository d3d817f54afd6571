import type { StaffAudit } from "@/lib/staff";
import type { WebhookEndpointView } from "./schema";

/** What the audit log says of an endpoint: where events go, which ones, whether it is on. */
type AuditedEndpoint = Pick<WebhookEndpointView, "id" | "url" | "events" | "enabled" | "description">;

/** The fields a change of an endpoint is audited by. */
const AUDITED_FIELDS = ["url", "events", "description", "enabled"] as const;

/** The audit keeps where events go, not a query string: integrators sometimes put a token there. */
export function auditUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

export function endpointCreatedAudit(endpoint: AuditedEndpoint): StaffAudit {
  return { action: "webhook_endpoint.created", detail: { url: auditUrl(endpoint.url), events: endpoint.events, enabled: endpoint.enabled }, target: { type: "webhook_endpoint", id: endpoint.id } };
}

/** The fields that differ between an endpoint before and after a save. */
export function endpointChanges(before: AuditedEndpoint, after: AuditedEndpoint): (typeof AUDITED_FIELDS)[number][] {
  return AUDITED_FIELDS.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/** A save's audit row: which fields changed, and the new value of those worth knowing (never the description's text); none for a save that changed nothing. */
export function endpointUpdatedAudit(after: AuditedEndpoint, changed: (typeof AUDITED_FIELDS)[number][]): StaffAudit | null {
  if (changed.length === 0) return null;
  return {
    action: "webhook_endpoint.updated",
    detail: {
      changed,
      ...(changed.includes("url") ? { url: auditUrl(after.url) } : {}),
      ...(changed.includes("events") ? { events: after.events } : {}),
      ...(changed.includes("enabled") ? { enabled: after.enabled } : {}),
    },
    target: { type: "webhook_endpoint", id: after.id },
  };
}

export function endpointDeletedAudit(endpoint: AuditedEndpoint): StaffAudit {
  return { action: "webhook_endpoint.deleted", detail: { url: auditUrl(endpoint.url), events: endpoint.events }, target: { type: "webhook_endpoint", id: endpoint.id } };
}

import { describe, expect, test } from "vitest";
import { auditUrl, endpointChanges, endpointCreatedAudit, endpointDeletedAudit, endpointUpdatedAudit } from "./audit";
import type { WebhookEndpointView } from "./schema";

const endpoint: Pick<WebhookEndpointView, "id" | "url" | "events" | "enabled" | "description"> = { id: "5b2f3c1e-8d4a-4f6b-9c2d-1a2b3c4d5e6f", url: "https://clinic.example/hooks?token=secret", events: ["consultation.created"], enabled: true, description: "Scheduling" };

describe("the webhook endpoint audit", () => {
  test("keeps where events go, never the query string", () => {
    expect(auditUrl("https://clinic.example/hooks?token=secret#x")).toBe("https://clinic.example/hooks");
    expect(endpointCreatedAudit(endpoint)).toEqual({
      action: "webhook_endpoint.created",
      detail: { url: "https://clinic.example/hooks", events: ["consultation.created"], enabled: true },
      target: { type: "webhook_endpoint", id: endpoint.id },
    });
    expect(endpointDeletedAudit(endpoint).detail).toEqual({ url: "https://clinic.example/hooks", events: ["consultation.created"] });
  });

  test("a save names the changed fields, with the new value of those worth knowing and never the description", () => {
    const after: typeof endpoint = { ...endpoint, events: ["consultation.created", "consultation.completed"], description: "Billing", enabled: false };
    const changed = endpointChanges(endpoint, after);
    expect(changed).toEqual(["events", "description", "enabled"]);
    expect(endpointUpdatedAudit(after, changed)).toEqual({
      action: "webhook_endpoint.updated",
      detail: { changed, events: after.events, enabled: false },
      target: { type: "webhook_endpoint", id: endpoint.id },
    });
  });

  test("a save that changed nothing writes no row", () => {
    expect(endpointChanges(endpoint, { ...endpoint })).toEqual([]);
    expect(endpointUpdatedAudit(endpoint, [])).toBeNull();
  });
});

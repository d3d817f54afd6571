import { useTranslations } from "next-intl";
import type { ConsultationStatus } from "@/lib/consultations/table-query";
import type { AuditAction } from "@/lib/staff/audit";
import type { StaffRole } from "@/lib/staff/roles";

// The dashboard's names for codes (statuses, roles, call types, audit actions): each a catalog
// key, so a page says them in its reader's language. Usable from server and client components
// alike (a server component importing a value from a "use client" module gets a reference, not
// the value): an async server page calls its own getTranslations with the same key; the hook
// below serves the rest.

/** A staff role (namespace Dashboard). */
export const ROLE_KEYS = { admin: "roles.admin", scheduler: "roles.scheduler", provider: "roles.provider" } as const satisfies Record<StaffRole, string>;

/** A consultation's or a room's status (namespace Dashboard). */
export const STATUS_KEYS = {
  Pending: "status.Pending",
  InProgress: "status.InProgress",
  Completed: "status.Completed",
  Expired: "status.Expired",
} as const satisfies Record<ConsultationStatus, string>;

/** Who took part in a consultation (namespace Dashboard). */
export const PARTICIPANT_ROLE_KEYS = {
  patient: "participantRoles.patient",
  provider: "participantRoles.provider",
  guest: "participantRoles.guest",
  member: "participantRoles.member",
} as const;

/** A room's kind of call (namespace Dashboard). */
export const CALL_TYPE_KEYS = {
  audio_video: "callTypes.audio_video",
  audio_upgradable: "callTypes.audio_upgradable",
  audio_only: "callTypes.audio_only",
} as const;

/** A room participant's privilege (namespace Dashboard). */
export const PRIVILEGE_KEYS = { plus: "privileges.plus", basic: "privileges.basic" } as const;

/** A chat consultation's state, the chat-sessions API's (namespace Dashboard). */
export const CHAT_STATE_KEYS = {
  created: "chatStates.created",
  started: "chatStates.started",
  accepted: "chatStates.accepted",
  rejected: "chatStates.rejected",
  finished: "chatStates.finished",
} as const;

/** Every audited action, as the audit log names it (namespace Audit); its filter lists them in this order. */
export const AUDIT_ACTION_KEYS = {
  "staff.signed_in": "actions.staffSignedIn",
  "staff.sign_in_failed": "actions.staffSignInFailed",
  "staff.signed_out": "actions.staffSignedOut",
  "staff.idle_signed_out": "actions.staffIdleSignedOut",
  "staff.invited": "actions.staffInvited",
  "staff.password_set": "actions.staffPasswordSet",
  "staff.role_changed": "actions.staffRoleChanged",
  "staff.deactivated": "actions.staffDeactivated",
  "staff.reactivated": "actions.staffReactivated",
  "organization.updated": "actions.organizationUpdated",
  "organization.room_groups_updated": "actions.organizationRoomGroupsUpdated",
  "organization.call_settings_updated": "actions.organizationCallSettingsUpdated",
  "organization.background_added": "actions.organizationBackgroundAdded",
  "organization.background_deleted": "actions.organizationBackgroundDeleted",
  "consultation.guest_added": "actions.consultationGuestAdded",
  "provider.created": "actions.providerCreated",
  "provider.updated": "actions.providerUpdated",
  "provider.deactivated": "actions.providerDeactivated",
  "provider.reactivated": "actions.providerReactivated",
  "consultation.cancelled": "actions.consultationCancelled",
  "consultation.ended": "actions.consultationEnded",
  "consultation.access_reissued": "actions.consultationAccessReissued",
  "pin.viewed": "actions.pinViewed",
  "api_credential.created": "actions.apiCredentialCreated",
  "api_credential.revoked": "actions.apiCredentialRevoked",
  "webhook_endpoint.created": "actions.webhookEndpointCreated",
  "webhook_endpoint.updated": "actions.webhookEndpointUpdated",
  "webhook_endpoint.deleted": "actions.webhookEndpointDeleted",
  "webhook_endpoint.secret_rotated": "actions.webhookEndpointSecretRotated",
  "webhook_delivery.redelivered": "actions.webhookDeliveryRedelivered",
  "pin.failed": "actions.pinFailed",
  "export.consultations": "actions.exportConsultations",
  "teleconsultation.uploads_deleted": "actions.teleconsultationUploadsDeleted",
} as const satisfies Record<AuditAction, string>;

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === "string" && Object.hasOwn(AUDIT_ACTION_KEYS, value);
}

/** What an audit row was done to (namespace Audit); another type is shown as it is stored. */
export const AUDIT_TARGET_KEYS: Record<string, "targets.consultation" | "targets.room" | "targets.provider" | "targets.organization" | "targets.user" | "targets.apiCredential" | "targets.webhookEndpoint" | "targets.webhookDelivery"> = {
  consultation: "targets.consultation",
  room: "targets.room",
  provider: "targets.provider",
  organization: "targets.organization",
  user: "targets.user",
  api_credential: "targets.apiCredential",
  webhook_endpoint: "targets.webhookEndpoint",
  webhook_delivery: "targets.webhookDelivery",
};

/** The names above for components that render (client components, and server components that are not async). */
export function useDashboardLabels() {
  const t = useTranslations("Dashboard");
  return {
    role: (role: StaffRole) => t(ROLE_KEYS[role]),
    status: (status: ConsultationStatus) => t(STATUS_KEYS[status]),
    participantRole: (role: keyof typeof PARTICIPANT_ROLE_KEYS) => t(PARTICIPANT_ROLE_KEYS[role]),
    callType: (type: keyof typeof CALL_TYPE_KEYS) => t(CALL_TYPE_KEYS[type]),
    privilege: (privilege: keyof typeof PRIVILEGE_KEYS) => t(PRIVILEGE_KEYS[privilege]),
    chatState: (state: keyof typeof CHAT_STATE_KEYS) => t(CHAT_STATE_KEYS[state]),
  };
}

/** An audit action's name (namespace Audit); an action the code no longer knows is shown as stored. */
export function useAuditLabels() {
  const t = useTranslations("Audit");
  return { action: (action: string) => (isAuditAction(action) ? t(AUDIT_ACTION_KEYS[action]) : action) };
}

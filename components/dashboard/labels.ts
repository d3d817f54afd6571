import type { ConsultationStatus } from "@/lib/consultations/table-query";

// Words the dashboard shows, usable from server and client components alike (a server
// component importing a value from a "use client" module gets a reference, not the value).

export const STATUS_LABELS: Record<ConsultationStatus, string> = {
  Pending: "Pending",
  InProgress: "In progress",
  Completed: "Completed",
  Expired: "Expired",
};

export const AUDIT_ACTION_LABELS: Record<string, string> = {
  "staff.signed_in": "Signed in",
  "staff.sign_in_failed": "Sign-in failed",
  "staff.signed_out": "Signed out",
  "staff.idle_signed_out": "Signed out for inactivity",
  "staff.invited": "Staff invited",
  "staff.password_set": "Password set",
  "staff.role_changed": "Role changed",
  "staff.deactivated": "Staff deactivated",
  "staff.reactivated": "Staff reactivated",
  "organization.updated": "Organization profile changed",
  "organization.room_groups_updated": "Room groups changed",
  "consultation.guest_added": "Guest added to a consultation",
  "provider.created": "Provider added",
  "provider.updated": "Provider changed",
  "provider.deactivated": "Provider deactivated",
  "provider.reactivated": "Provider reactivated",
  "consultation.cancelled": "Consultation cancelled",
  "consultation.ended": "Consultation ended by staff",
  "consultation.access_reissued": "PIN reissued",
  "pin.viewed": "PIN shown",
  "api_credential.created": "API credential created",
  "api_credential.revoked": "API credential revoked",
  "webhook_endpoint.created": "Webhook endpoint created",
  "webhook_endpoint.updated": "Webhook endpoint changed",
  "webhook_endpoint.deleted": "Webhook endpoint deleted",
  "webhook_endpoint.secret_rotated": "Webhook secret rotated",
  "webhook_delivery.redelivered": "Webhook redelivered",
  "pin.failed": "Wrong PIN",
  "export.consultations": "Consultations exported",
  "teleconsultation.uploads_deleted": "Room's files deleted",
};


export const PARTICIPANT_ROLE_LABELS = { patient: "Patient", provider: "Provider", guest: "Guest", member: "Participant" } as const;

export const CALL_TYPE_LABELS = { audio_video: "Audio and video", audio_upgradable: "Audio first, video on request", audio_only: "Audio only" } as const;

export const PRIVILEGE_LABELS = { plus: "Host", basic: "Participant" } as const;

/** A chat consultation's state (the chat-sessions API's), as the dashboard says it. */
export const CHAT_STATE_LABELS = {
  created: "Not started",
  started: "Waiting for acceptance",
  accepted: "In progress",
  rejected: "Declined",
  finished: "Finished",
} as const;

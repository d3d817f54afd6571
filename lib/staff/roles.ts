export const STAFF_ROLES = ["admin", "scheduler", "provider"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** What each role may do; every page and action asks this on the server. */
const CAPABILITIES = {
  "consultations.view": ["admin", "scheduler", "provider"],
  "consultations.manage": ["admin", "scheduler"],
  /** Standalone rooms name no provider, so a provider (who sees only their own consultations) does not see them. */
  "rooms.view": ["admin", "scheduler"],
  "providers.manage": ["admin", "scheduler"],
  "settings.manage": ["admin"],
  "audit.view": ["admin"],
  "calls.join": ["provider"],
  /** Chat consultations: the clinicians who answer them, and admins. A scheduler books calls, not clinical conversations. */
  "chats.view": ["admin", "provider"],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Capability = keyof typeof CAPABILITIES;

export function can(role: StaffRole, capability: Capability): boolean {
  return (CAPABILITIES[capability] as readonly StaffRole[]).includes(role);
}

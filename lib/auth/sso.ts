export type SsoRefusal = "not_staff" | "inactive" | "email_unverified";

/**
 * Why single sign-on may not let this person in, or null when it may: the clinic must have them
 * as active staff, and the identity provider must not call the address unverified (then it
 * vouches for nobody).
 */
export function ssoRefusal(staff: { active: boolean } | undefined, profile: { email_verified?: unknown } | undefined): SsoRefusal | null {
  if (!staff) return "not_staff";
  if (!staff.active) return "inactive";
  // Some providers (Amazon Cognito) send the flag as a string; Microsoft Entra ID sends none.
  if (profile?.email_verified === false || profile?.email_verified === "false") return "email_unverified";
  return null;
}

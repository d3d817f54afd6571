import "server-only";
/** A message for a staff member; the only one so far is the set-password link of an invitation. */
export type StaffMessage = { staffMemberId: string; to: string; name: string | null; subject: string; link: string; expiresAt: Date };

/** How messages to staff leave the app. */
export type StaffMailer = (message: StaffMessage) => Promise<void> | void;

/**
 * There is no mail server: the admin who invited the person is shown the link once to send it
 * themselves. The log only says that a message was due, by the member's id: the link is a
 * one-time credential and the address is personal data, so neither is written there. A real
 * delivery would replace this function.
 */
export const logMailer: StaffMailer = (message) => {
  console.info(`[staff-mail] set-password message for staff member ${message.staffMemberId} (no mail server: the inviting admin passes on the link) expires=${message.expiresAt.toISOString()}`);
};

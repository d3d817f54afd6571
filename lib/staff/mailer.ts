/** A message for a staff member; the only one so far is the set-password link of an invitation. */
export type StaffMessage = { to: string; name: string | null; subject: string; link: string; expiresAt: Date };

/** How messages to staff leave the app. */
export type StaffMailer = (message: StaffMessage) => Promise<void> | void;

/**
 * There is no mail server: a message is one line in the server log, and the admin who invited the
 * person is shown the link once to send it themselves. A real delivery would replace this function.
 */
export const logMailer: StaffMailer = (message) => {
  console.info(`[staff-mail] to=${message.to} subject="${message.subject}" link=${message.link} expires=${message.expiresAt.toISOString()}`);
};

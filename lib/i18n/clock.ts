/**
 * Times of day on a 24-hour clock in every language ("15:30", never "3:30 PM"), as a clinic's
 * appointments read: one rule for the join page, the call's chat, the chat page and the dashboard.
 * Goes with `timeStyle` or `hour`/`minute` in Intl (and next-intl's formatter) options.
 */
export const HOUR_CYCLE = { hourCycle: "h23" } as const;

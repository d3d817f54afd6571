/**
 * The limits the API documents and the error catalog quotes. They live here, apart from the
 * features that enforce them, so lib/errors.ts can quote them without importing a feature.
 */

/** Longest chat message, in characters (a call's chat and a chat session's); the chat box says so. */
export const CHAT_MESSAGE_MAX_LENGTH = 1000;

/** Messages one participant may send per minute: a conversation is far slower, a stuck key or a script is not. */
export const CHAT_MESSAGES_PER_MINUTE = 30;

/** Reports one participant may file per hour: enough for a bad call, not for flooding the clinic. */
export const ISSUE_REPORTS_PER_HOUR = 10;

/** Connection checks (the join page's small timed requests) one participant may make per minute: one test makes 5, so 4 tests a minute. */
export const CONNECTION_CHECKS_PER_MINUTE = 20;

/** Webhook endpoints one organization may register. */
export const MAX_ENDPOINTS_PER_ORGANIZATION = 20;

/**
 * What one participant may send as signals. A real WebRTC negotiation comes in bursts: in a
 * mesh of 4, a participant offers to 3 peers at once (3 offers of up to ~60 KB and a few dozen
 * ICE candidates each, ~200 signals and ~200 KB in a few seconds), again on an ICE restart,
 * plus a media signal per mute or unmute. The window allows more than twice that burst; the
 * day bounds what a participant can make the server keep (the events are kept a day): a
 * two-hour mesh call with twenty network changes sends under 2,000 signals and 3 MB.
 */
export const SIGNAL_WINDOW_SECONDS = 10;
export const SIGNALS_PER_WINDOW = 500;
export const SIGNAL_BYTES_PER_WINDOW = 2_000_000;
export const SIGNALS_PER_DAY = 10_000;
export const SIGNAL_BYTES_PER_DAY = 25_000_000;

/** Characters in an organization's name; the dashboard's field allows the same. */
export const ORGANIZATION_NAME_MAX_LENGTH = 120;

/** Characters in an API credential's name; the dashboard's field allows the same. */
export const API_CREDENTIAL_NAME_MAX_LENGTH = 100;

/** The largest file a chat takes (10 MiB): a photo of a document or a report, not a scan archive. */
export const CHAT_FILE_MAX_BYTES = 10 * 1024 * 1024;

/** The largest image, in pixels, a chat upload may decode to (a 10 MB file can hide far more): above a 100-megapixel camera's. */
export const CHAT_IMAGE_MAX_PIXELS = 120_000_000;

/** Files one uploader (a call's participant, a session's user) may add per hour: a consultation shares a handful; a script filling the storage does not get far. */
export const CHAT_FILES_PER_HOUR = 60;

/** The largest virtual background an organization may upload (10 MiB, the teleconsultation contract's "Maximum 10 MB"). */
export const BACKGROUND_MAX_BYTES = 10 * 1024 * 1024;

/** A background is kept at most this size (fit inside, never enlarged): a call's video is 1080p at best. */
export const BACKGROUND_MAX_WIDTH = 1920;
export const BACKGROUND_MAX_HEIGHT = 1080;

/** Backgrounds one organization may keep: a clinic's branding is a handful; the storage is not a photo library. */
export const BACKGROUNDS_PER_ORGANIZATION = 50;

/** Longest wait, in milliseconds, before a finished call sends its participants to the clinic's end-call page. */
export const END_CALL_REDIRECT_MAX_TIMEOUT_MS = 60_000;

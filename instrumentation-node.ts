import { runtime } from "./db/runtime";
import { ConfigError, env } from "./lib/config";
import { startRoomSweeper } from "./lib/rooms/sweeper";

/** Gets the database ready before the first request; a bad configuration stops the server with its message. */
try {
  const { db } = await runtime();
  const e = env();
  startRoomSweeper(db, { reconnectGraceSeconds: e.ROOM_RECONNECT_GRACE_SECONDS, overrunGraceSeconds: e.CALL_OVERRUN_GRACE_SECONDS });
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : "Start-up failed: the database is not ready.");
  if (!(error instanceof ConfigError)) console.error(error);
  process.exit(1);
}

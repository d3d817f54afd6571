import "server-only";
import { cache } from "react";
import { database } from "@/db/runtime";
import { appSecret } from "@/lib/config";
import { findJoinLink, type JoinLink } from "./join-link";
import { findRoomJoinLink, type RoomJoinLink } from "./room-join-link";

/**
 * The link a join page request opens, looked up once per request: the page reads it, and so
 * does the request's language (i18n/request.ts), which the root layout needs before the page.
 */
export const joinLinkOf = cache(async (token: string): Promise<JoinLink | undefined> => findJoinLink(await database(), token));

/** A room user's personal link (`rl_…`), once per request. */
export const roomJoinLinkOf = cache(async (token: string): Promise<RoomJoinLink | undefined> => findRoomJoinLink(await database(), appSecret(), token));

import "server-only";
import { cache } from "react";
import { database } from "@/db/runtime";
import { appSecret, env } from "@/lib/config";
import { openChatLink, type ChatLinkOpening } from "./open-link";

/**
 * A chat link opened once per request (it mints the tab's user token): the page reads it, and
 * so does the request's language (i18n/request.ts).
 */
export const chatLinkOf = cache(
  async (token: string): Promise<ChatLinkOpening> =>
    openChatLink(await database(), { appSecret: appSecret(), token, now: new Date(), ttlSeconds: env().CHAT_LINK_TTL_SECONDS }),
);

import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { currentStaff, staffOrganization } from "@/lib/auth/current-staff";
import { chatLinkOf } from "@/lib/chat-sessions/page-link";
import { joinLinkOf, roomJoinLinkOf } from "@/lib/rooms/page-links";
import { isRoomLinkToken } from "@/lib/rooms/room-link";
import { isLocale, LINK_LANGUAGE_HEADER, LOCALE_COOKIE, PATH_HEADER, resolveLocale, type Locale } from "@/lib/i18n/locales";

/** What the page a request opens says about language and time: the participant's, the organization's. */
type PageContext = { participant?: string | null; organization?: string | null; timeZone?: string; fixed?: Locale };

/**
 * The person behind the request, as far as language goes. A join or chat link knows its
 * participant and clinic; a dashboard page knows the signed-in member's clinic. The link pages
 * use the same once-per-request lookups as the pages themselves, so this costs no extra query.
 * The API reference is for integrators and stays English, as the API's own messages do.
 */
async function pageContext(path: string): Promise<PageContext> {
  if (path === "/docs" || path.startsWith("/docs/")) return { fixed: "en" };
  const [, section, token] = path.split("/");
  if (section === "join" && token) {
    if (isRoomLinkToken(token)) {
      const found = await roomJoinLinkOf(token);
      return found ? { participant: found.language, organization: found.organizationLanguage, timeZone: found.timeZone } : {};
    }
    const link = await joinLinkOf(token);
    return link ? { organization: link.organizationLanguage, timeZone: link.timeZone } : {};
  }
  if (section === "chat" && token) {
    const opening = await chatLinkOf(token);
    return opening.status === "open" ? { participant: opening.language, organization: opening.organizationLanguage, timeZone: opening.timeZone } : {};
  }
  // The dashboard, and any page a signed-in member opens (a prefetch carries no path).
  const member = await currentStaff();
  if (!member) return {};
  const organization = await staffOrganization(member.organizationId);
  return { organization: organization.language, timeZone: organization.timezone };
}

/**
 * next-intl's configuration for one request: the locale (first match wins, see resolveLocale),
 * that language's messages, and the clinic's timezone for every date and time shown.
 */
export default getRequestConfig(async ({ locale: requested }) => {
  const [headerList, cookieJar] = await Promise.all([headers(), cookies()]);
  const context = await pageContext(headerList.get(PATH_HEADER) ?? "");
  const locale: Locale =
    context.fixed ??
    (isLocale(requested)
      ? requested
      : resolveLocale({
          query: headerList.get(LINK_LANGUAGE_HEADER),
          cookie: cookieJar.get(LOCALE_COOKIE)?.value,
          participant: context.participant,
          organization: context.organization,
          acceptLanguage: headerList.get("accept-language"),
        }));
  return {
    locale,
    messages: (await import(`../messages/${locale}.json`)).default,
    timeZone: context.timeZone ?? "UTC",
  };
});

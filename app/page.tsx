import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ClientMessages } from "@/components/i18n/ClientMessages";
import { LanguageSwitcher } from "@/components/i18n/LanguageSwitcher";

export default async function Home() {
  const t = await getTranslations("Home");
  return (
    <main>
      <ClientMessages namespaces={["Common"]}>
        <LanguageSwitcher />
      </ClientMessages>
      <h1>Telemed Portal</h1>
      <p>{t("intro")}</p>
      <ul>
        <li>
          <Link href="/signin">{t("staffSignIn")}</Link>
        </li>
        <li>
          <Link href="/docs/api">{t("apiReference")}</Link>
        </li>
        <li>
          <a href="/api/openapi.json">{t("openApi")}</a>
        </li>
      </ul>
    </main>
  );
}

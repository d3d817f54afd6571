import Link from "next/link";
import { getTranslations } from "next-intl/server";

export async function generateMetadata() {
  const t = await getTranslations("Dashboard.forbidden");
  return { title: t("title") };
}

/** A signed-in person whose role does not include the page (forbidden() in requireStaff). */
export default async function Forbidden() {
  const t = await getTranslations("Dashboard.forbidden");
  return (
    <main>
      <h1>{t("title")}</h1>
      <p>{t("body")}</p>
      <p>
        <Link href="/dashboard">{t("back")}</Link>
      </p>
    </main>
  );
}

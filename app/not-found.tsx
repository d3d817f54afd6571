import Link from "next/link";
import { getTranslations } from "next-intl/server";

export async function generateMetadata() {
  const t = await getTranslations("Errors");
  return { title: t("notFoundTitle") };
}

/** Any address that leads nowhere, in the reader's language (Next.js's own page is English only). */
export default async function NotFound() {
  const t = await getTranslations("Errors");
  return (
    <main>
      <h1>{t("notFoundTitle")}</h1>
      <p>{t("notFoundBody")}</p>
      <p>
        <Link href="/">{t("home")}</Link>
      </p>
    </main>
  );
}

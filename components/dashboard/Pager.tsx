import Link from "next/link";
import { useTranslations } from "next-intl";
import styles from "./dashboard.module.css";

/** "Page n of m" between a link back and a link on, each only where there is such a page; `newest`: the audit log's words (newer, older). */
export function Pager({ page, pageCount, href, newest = false }: { page: number; pageCount: number; href: (page: number) => string; newest?: boolean }) {
  const t = useTranslations("Tables.pager");
  return (
    <nav aria-label={t("label")} className={styles.pager}>
      {page > 1 ? <Link href={href(page - 1)}>{newest ? t("newer") : t("previous")}</Link> : <span aria-hidden="true" />}
      <span>{t("pageOf", { page, pageCount })}</span>
      {page < pageCount ? <Link href={href(page + 1)}>{newest ? t("older") : t("next")}</Link> : <span aria-hidden="true" />}
    </nav>
  );
}

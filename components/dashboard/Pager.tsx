import Link from "next/link";
import styles from "./dashboard.module.css";

/** "Page n of m" between a link back and a link on, each only where there is such a page. */
export function Pager({ page, pageCount, href, labels = ["← Previous", "Next →"] }: { page: number; pageCount: number; href: (page: number) => string; labels?: [string, string] }) {
  return (
    <nav aria-label="Pages" className={styles.pager}>
      {page > 1 ? <Link href={href(page - 1)}>{labels[0]}</Link> : <span aria-hidden="true" />}
      <span>
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? <Link href={href(page + 1)}>{labels[1]}</Link> : <span aria-hidden="true" />}
    </nav>
  );
}

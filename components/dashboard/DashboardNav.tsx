"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import styles from "./dashboard.module.css";

export type NavItem = { href: string; label: string };

/** Section links (`sub`: a section's own pages, listed beside them); the current one is marked for screen readers too. */
export function DashboardNav({ items, label, sub = false }: { items: NavItem[]; label: string; sub?: boolean }) {
  const pathname = usePathname();
  // The deepest section containing the page ("New consultation", not also "Consultations").
  const current = items
    .filter((item) => pathname === item.href || pathname.startsWith(`${item.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return (
    <nav aria-label={label} className={sub ? styles.subNav : styles.nav}>
      <ul>
        {items.map((item) => {
          return (
            <li key={item.href}>
              <Link href={item.href} aria-current={item.href === current ? "page" : undefined}>
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Renders the page again when a consultation of the clinic changes (a join, an end, a new
 * booking), so statuses are live without a reload. Bursts are folded into one refresh.
 */
export function LiveRefresh() {
  const router = useRouter();
  useEffect(() => {
    const source = new EventSource("/dashboard/events");
    let timer: number | undefined;
    source.addEventListener("changed", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => router.refresh(), 400);
    });
    return () => {
      window.clearTimeout(timer);
      source.close();
    };
  }, [router]);
  return null;
}

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
    const refresh = () => {
      window.clearTimeout(timer);
      // Offline, a refresh would fail and Next.js would fall back to a full navigation: the
      // browser's "no internet" page instead of the dashboard. It waits for "online" instead.
      if (!navigator.onLine) return;
      timer = window.setTimeout(() => router.refresh(), 400);
    };
    source.addEventListener("changed", refresh);
    // What changed while the stream was not listening was never sent: after a cut (the browser
    // reconnects by itself), and between this page's render and the stream's first opening (a
    // join in that moment would stay unseen). Each opening renders the page once more.
    source.addEventListener("open", refresh);
    window.addEventListener("online", refresh);
    return () => {
      window.clearTimeout(timer);
      window.removeEventListener("online", refresh);
      source.close();
    };
  }, [router]);
  return null;
}

"use client";

import { useEffect, useState } from "react";

/**
 * The browser's clock, ticking every `everyMs` while `ticking`; null otherwise, and before the page
 * is hydrated (the server's render and the first client render must agree).
 */
export function useNow(ticking: boolean, everyMs = 1_000): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (!ticking) {
      setNow(null);
      return;
    }
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [ticking, everyMs]);
  return now;
}

"use client";

import { useLayoutEffect, useState, type RefObject } from "react";

/** Space left under the element at the bottom of the window, in pixels. */
const BOTTOM_GAP_PX = 16;

/**
 * The height that makes the element reach from where it starts on the page down to the bottom of
 * the window (less a small gap), so a chat-shaped view fits the window whatever sits above it (the
 * app's bar, the team's header, a breadcrumb that wraps). Null until measured in the browser; the
 * element's CSS gives the height before that, and its min-height still applies on a short window.
 * Measured again when the window or the page above it changes size.
 *
 * The view opens at the top of the page (unless the address names a place with a #fragment): it
 * fits the window from there. Decision: a navigation from a page the reader had scrolled down (a
 * long new-session form) keeps the window's scroll when the new page's top is still in view, which
 * would hide the head of the chat and push the message box's foot out of the window.
 */
export function useFillViewport(ref: RefObject<HTMLElement | null>): number | null {
  const [height, setHeight] = useState<number | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const top = el.getBoundingClientRect().top + window.scrollY;
      setHeight(Math.round(window.innerHeight - top - BOTTOM_GAP_PX));
    };
    if (window.scrollY > 0 && !window.location.hash) window.scrollTo({ top: 0 });
    measure();
    window.addEventListener("resize", measure);
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    return () => {
      window.removeEventListener("resize", measure);
      observer.disconnect();
    };
  }, [ref]);
  return height;
}

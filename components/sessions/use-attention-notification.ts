"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { newlyWaiting, notificationText } from "@/lib/sessions/ui/needs-person";
import type { TPendingAction } from "@/lib/sessions/ui/pending-actions";

/** Where this browser remembers the "Notify me" choice (one for every session page). */
export const NOTIFY_STORAGE_KEY = "oma:notify-needs-you";

export type TAttentionNotification = {
  /** Whether this browser has notifications at all. */
  supported: boolean;
  enabled: boolean;
  permission: NotificationPermission | null;
  /** Turns notifications on (asking the browser's permission first when needed) or off. */
  toggle(): void;
};

/**
 * An opt-in browser notification when the session starts waiting for a person (calls appear in
 * `pending` that were not there before) while its tab is hidden. It says only which tool waits:
 * a call's input stays on the page. Clicking it brings the tab back.
 */
export function useAttentionNotification(sessionId: string, pending: readonly TPendingAction[]): TAttentionNotification {
  const [supported, setSupported] = useState(false);
  const [enabled, setEnabled] = useState(false);
  const [permission, setPermission] = useState<NotificationPermission | null>(null);

  // read after hydration: the server knows neither the browser's permission nor its storage
  useEffect(() => {
    if (typeof Notification === "undefined") return;
    setSupported(true);
    setPermission(Notification.permission);
    setEnabled(readChoice() && Notification.permission === "granted");
  }, []);

  const toggle = useCallback(() => {
    if (typeof Notification === "undefined") return;
    if (enabled) {
      setEnabled(false);
      writeChoice(false);
      return;
    }
    void (async () => {
      const answer = Notification.permission === "default" ? await Notification.requestPermission() : Notification.permission;
      setPermission(answer);
      setEnabled(answer === "granted");
      writeChoice(answer === "granted");
    })();
  }, [enabled]);

  // the calls already waiting when the page opened are no news
  const seen = useRef<ReadonlySet<string>>(new Set(pending.map((action) => action.call.key)));
  useEffect(() => {
    const fresh = newlyWaiting(seen.current, pending);
    seen.current = new Set(pending.map((action) => action.call.key));
    if (!enabled || fresh.length === 0 || document.visibilityState !== "hidden") return;
    if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
    const text = notificationText(fresh);
    if (!text) return;
    try {
      const notification = new Notification(text.title, { body: text.body, tag: `needs-you-${sessionId}`, icon: "/icon-192.png" });
      notification.onclick = () => {
        window.focus();
        notification.close();
      };
    } catch {
      // some browsers only notify from a service worker: the title and the icon's badge still say it
    }
  }, [pending, enabled, sessionId]);

  return { supported, enabled, permission, toggle };
}

function readChoice(): boolean {
  try {
    return window.localStorage.getItem(NOTIFY_STORAGE_KEY) === "on";
  } catch {
    return false;
  }
}

function writeChoice(on: boolean): void {
  try {
    if (on) window.localStorage.setItem(NOTIFY_STORAGE_KEY, "on");
    else window.localStorage.removeItem(NOTIFY_STORAGE_KEY);
  } catch {
    // storage unavailable (private mode): the choice lasts as long as the page
  }
}

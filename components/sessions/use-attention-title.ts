"use client";

import { useEffect } from "react";
import { attentionTitle, badgeText, baseTitle } from "@/lib/sessions/ui/needs-person";

const ICON_PX = 32;
const BADGE_COLOR = "#d97706"; // amber-600, the colour of everything that waits for a person
const SOURCE_ICON = "/icon.svg";
const ORIGINAL_HREF = "data-attention-href";
const ORIGINAL_TYPE = "data-attention-type";

/**
 * While `count` calls wait for a person, the tab says so: its title gets "(n) Needs you · " in
 * front, and its icon a badge with the count (the app's icon redrawn with a canvas into a data URL
 * on every `link[rel=icon]`). Both come back as they were once nothing waits, or the page goes.
 */
export function useAttentionTitle(count: number): void {
  useEffect(() => {
    document.title = attentionTitle(document.title, count);
    return () => {
      document.title = baseTitle(document.title);
    };
  }, [count]);

  useEffect(() => {
    if (count === 0) return;
    let cancelled = false;
    void drawBadgedIcon(count).then((href) => {
      if (!cancelled) setIcons(href);
    });
    return () => {
      cancelled = true;
      restoreIcons();
    };
  }, [count]);
}

/** The app's icon with a round badge holding `count` in its upper right corner, as a PNG data URL. */
async function drawBadgedIcon(count: number): Promise<string> {
  const canvas = document.createElement("canvas");
  canvas.width = ICON_PX;
  canvas.height = ICON_PX;
  const context = canvas.getContext("2d");
  if (!context) return canvas.toDataURL("image/png");
  const icon = await loadImage(SOURCE_ICON);
  // no icon (offline, say): the badge alone still says it
  if (icon) context.drawImage(icon, 0, 0, ICON_PX, ICON_PX);
  const radius = ICON_PX * 0.3;
  const [x, y] = [ICON_PX - radius, radius];
  context.beginPath();
  context.arc(x, y, radius, 0, 2 * Math.PI);
  context.fillStyle = BADGE_COLOR;
  context.fill();
  context.lineWidth = 2;
  context.strokeStyle = "#ffffff";
  context.stroke();
  context.fillStyle = "#ffffff";
  context.font = `bold ${Math.round(radius * 1.3)}px sans-serif`;
  context.textAlign = "center";
  context.textBaseline = "middle";
  context.fillText(badgeText(count), x, y + 1);
  return canvas.toDataURL("image/png");
}

function loadImage(src: string): Promise<HTMLImageElement | null> {
  return new Promise((resolve) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => resolve(null);
    image.src = src;
  });
}

function iconLinks(): HTMLLinkElement[] {
  return [...document.querySelectorAll<HTMLLinkElement>('link[rel~="icon"]')];
}

function setIcons(href: string): void {
  const links = iconLinks();
  if (links.length === 0) {
    // a page without an icon link: one of our own, removed again on restore
    const link = document.createElement("link");
    link.rel = "icon";
    link.setAttribute(ORIGINAL_HREF, "");
    document.head.append(link);
    links.push(link);
  }
  for (const link of links) {
    if (!link.hasAttribute(ORIGINAL_HREF)) {
      link.setAttribute(ORIGINAL_HREF, link.getAttribute("href") ?? "");
      link.setAttribute(ORIGINAL_TYPE, link.getAttribute("type") ?? "");
    }
    link.type = "image/png";
    link.href = href;
  }
}

function restoreIcons(): void {
  for (const link of document.querySelectorAll<HTMLLinkElement>(`link[${ORIGINAL_HREF}]`)) {
    const href = link.getAttribute(ORIGINAL_HREF) ?? "";
    const type = link.getAttribute(ORIGINAL_TYPE) ?? "";
    link.removeAttribute(ORIGINAL_HREF);
    link.removeAttribute(ORIGINAL_TYPE);
    if (!href) {
      link.remove();
      continue;
    }
    link.setAttribute("href", href);
    if (type) link.setAttribute("type", type);
    else link.removeAttribute("type");
  }
}

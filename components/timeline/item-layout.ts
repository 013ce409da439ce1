"use client";

import { useCallback, useState } from "react";
import type { TTimelineItem } from "@/lib/timeline/fold-timeline";

/** The windowed list's key of a timeline item: the id of the event that opened it. */
export const timelineItemKey = (item: TTimelineItem): string => item.key;

/** A first guess at an item's height, in pixels, before the list measures it. */
export function estimateItemHeight(item: TTimelineItem): number {
  switch (item.kind) {
    case "user_message":
    case "agent_message":
    case "system_message":
      return 110;
    case "tool_call":
      // the header and a terminal of a few lines (tool-call.tsx)
      return 150;
    case "error":
      return 60;
    default:
      return 36;
  }
}

/** Which items a person opened or closed (by key), and the function that flips one. */
export function useToggledKeys(): [ReadonlySet<string>, (key: string) => void] {
  const [toggled, setToggled] = useState<ReadonlySet<string>>(() => new Set());
  const toggle = useCallback((key: string) => {
    setToggled((prev) => {
      const next = new Set(prev);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  }, []);
  return [toggled, toggle];
}

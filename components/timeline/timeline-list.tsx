"use client";

import { useCallback, type ReactNode } from "react";
import type { TTimelineItem, TTimelineState } from "@/lib/timeline/fold-timeline";
import { agentNameOfItem } from "@/lib/timeline/lanes";
import { estimateItemHeight, timelineItemKey, useToggledKeys } from "./item-layout";
import { TimelineItem, type TItemPlace } from "./timeline-item";
import { WindowedList, type TScrollRequest } from "./windowed-list";

export type TTimelineListProps = {
  /** The whole timeline: its items are the list (those past `current` show as upcoming). */
  full: TTimelineState;
  /** The timeline up to the player's position; the same as `full` in a live view. */
  current: TTimelineState;
  /** Index of the item at the position, highlighted; -1 for none. */
  currentIndex: number;
  agentName: string | null;
  onJump(seq: number): void;
  scrollRequest?: TScrollRequest | null;
  footer?: ReactNode;
  onScrolled?(position: { atBottom: boolean }): void;
  label?: string;
  className?: string;
};

/** The timeline of a session as a windowed list: each item as of the position, later ones dimmed. */
export function TimelineList({ full, current, currentIndex, agentName, onJump, scrollRequest, footer, onScrolled, label = "Session timeline", className }: TTimelineListProps) {
  const [expanded, onToggle] = useToggledKeys();
  const reached = current.items.length;
  const estimate = useCallback((item: TTimelineItem, index: number) => (index >= reached ? 32 : estimateItemHeight(item)), [reached]);
  const renderItem = useCallback(
    (item: TTimelineItem, index: number) => {
      const place: TItemPlace = index >= reached ? "upcoming" : index === currentIndex ? "current" : "past";
      const shown = index < reached ? current.items[index]! : item;
      return <TimelineItem item={shown} place={place} agentName={agentNameOfItem(full, item, agentName)} expanded={expanded.has(item.key)} onToggle={onToggle} onJump={onJump} />;
    },
    [reached, currentIndex, current.items, full, agentName, expanded, onToggle, onJump],
  );
  return (
    <WindowedList
      items={full.items}
      getKey={timelineItemKey}
      estimate={estimate}
      renderItem={renderItem}
      scrollRequest={scrollRequest}
      footer={footer}
      onScrolled={onScrolled}
      label={label}
      className={className}
    />
  );
}

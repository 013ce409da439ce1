"use client";

import { memo, type ReactNode } from "react";
import { formatUsd } from "@/lib/timeline/estimate-cost";
import type { TTimelineItem } from "@/lib/timeline/fold-timeline";
import { describeSandbox } from "@/lib/timeline/describe-sandbox";
import { blocksText, type TTimelineBlock } from "@/lib/timeline/timeline-blocks";
import { SentBy, useActorLabel } from "./actor-names";
import { describeStatus, formatTokens, summarizeInput } from "./format";
import { JumpLabel, Note } from "./item-parts";
import { PagedMessage, PagedOutput } from "./paged-text";
import { ToolCall } from "./tool-call";
import { OutcomeCard } from "./outcome-card";

/** Where an item stands relative to the player's position. */
export type TItemPlace = "past" | "current" | "upcoming";

export type TTimelineItemProps = {
  item: TTimelineItem;
  place: TItemPlace;
  agentName: string | null;
  expanded: boolean;
  onToggle(key: string): void;
  onJump(seq: number): void;
};

function Blocks({ blocks, plain }: { blocks: readonly TTimelineBlock[]; plain: boolean }) {
  return (
    <div className="flex flex-col gap-3">
      {blocks.map((block, i) => {
        switch (block.type) {
          case "text":
            return <PagedMessage key={i} text={block.text} plain={plain} />;
          case "document":
            return block.text !== null ? (
              <PagedOutput key={i} text={block.text} label={block.title ?? "Document"} />
            ) : (
              <Note key={i}>Document{block.title ? `: ${block.title}` : ""}</Note>
            );
          default:
            return <Note key={i}>{blocksText([block])}</Note>;
        }
      })}
    </div>
  );
}

function Line({ item, onJump, tone = "muted", children }: { item: TTimelineItem; onJump(seq: number): void; tone?: "muted" | "error"; children: ReactNode }) {
  return (
    <div className={`flex items-start gap-2 text-sm ${tone === "error" ? "text-red-800 dark:text-red-300" : "text-zinc-600 dark:text-zinc-400"}`}>
      <JumpLabel seq={item.seq} at={item.at} onJump={onJump} />
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}

function Message({ item, who, tone, onJump }: { item: Extract<TTimelineItem, { blocks: unknown }>; who: string; tone: "user" | "agent" | "system"; onJump(seq: number): void }) {
  // a person's message is headed with who sent it, when the log says and this view names people
  const sender = useActorLabel(item.kind === "user_message" ? item.actor : undefined);
  const classes =
    tone === "user"
      ? "border-brand-300/60 bg-brand-50 dark:border-zinc-700 dark:bg-zinc-800/60"
      : tone === "system"
        ? "border-dashed border-zinc-300 bg-transparent dark:border-zinc-700"
        : "border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900";
  return (
    <article aria-label={`${who}, event ${item.seq}`} className={`flex flex-col gap-2 rounded-xl border px-4 py-3 shadow-sm ${classes}`}>
      <header className="flex items-center justify-between gap-2">
        <span className={`min-w-0 truncate text-sm font-semibold ${tone === "user" ? "text-brand-700 dark:text-brand-300" : ""}`}>
          {sender === null ? who : <span data-testid="sent-by">{sender}</span>}
        </span>
        <JumpLabel seq={item.seq} at={item.at} onJump={onJump} />
      </header>
      <Blocks blocks={item.blocks} plain={tone === "user"} />
    </article>
  );
}

/** A compact line for an item the player has not reached yet: what it is, and a way to jump to it. */
export function upcomingSummary(item: TTimelineItem, agentName: string | null): string {
  const text = (blocks: readonly TTimelineBlock[]) => blocksText(blocks).replace(/```[^\n]*\n?/g, "").replace(/\s+/g, " ").trim().slice(0, 200);
  switch (item.kind) {
    case "user_message":
      return `User: ${text(item.blocks)}`;
    case "agent_message":
      return `${agentName ?? "Agent"}: ${text(item.blocks)}`;
    case "system_message":
      return `System: ${text(item.blocks)}`;
    case "thinking":
      return "Thinking";
    case "tool_call":
      return `Tool ${item.name} ${summarizeInput(item.input)}`.trim();
    case "error":
      return `Error: ${item.message.slice(0, 200)}`;
    case "status":
      return describeStatus(item.status, item.stopReason);
    case "interrupt":
      return "Interrupted";
    case "model_request":
      return "Model request";
    case "context_compacted":
      return "Context compacted";
    case "title_changed":
      return `Title: ${item.title ?? "(none)"}`;
    case "deleted":
      return "Session deleted";
    case "sandbox":
      return describeSandbox(item);
    case "outcome":
      return `Outcome: ${item.outcome.description.replace(/\s+/g, " ").slice(0, 200)}`;
  }
}

function ItemBody({ item, agentName, expanded, onToggle, onJump }: Omit<TTimelineItemProps, "place">) {
  switch (item.kind) {
    case "user_message":
      return <Message item={item} who="User" tone="user" onJump={onJump} />;
    case "agent_message":
      return <Message item={item} who={agentName ?? "Agent"} tone="agent" onJump={onJump} />;
    case "system_message":
      return <Message item={item} who="System" tone="system" onJump={onJump} />;
    case "thinking":
      // the log records that the model thought, not what: the thoughts streamed live only (session-timeline.tsx)
      return (
        <Line item={item} onJump={onJump}>
          <span className="italic">Thought</span>
        </Line>
      );
    case "tool_call":
      return <ToolCall item={item} expanded={expanded} onToggle={onToggle} onJump={onJump} />;
    case "error":
      return (
        <Line item={item} onJump={onJump} tone="error">
          <span role="note" className="block rounded-lg bg-red-50 px-3 py-2 dark:bg-red-950/40">
            <strong className="font-semibold">{item.errorType}</strong>: {item.message}{" "}
            <span className="text-red-700/80 dark:text-red-300/80">
              ({item.retry === "retrying" ? "retrying" : item.retry === "exhausted" ? "gave up after retries" : "not retried"})
            </span>
          </span>
        </Line>
      );
    case "status":
      return (
        <div className="flex items-center gap-3 text-xs text-zinc-500 dark:text-zinc-400">
          <span aria-hidden="true" className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
          <span className="font-medium">{describeStatus(item.status, item.stopReason)}</span>
          <JumpLabel seq={item.seq} at={item.at} onJump={onJump} />
          <span aria-hidden="true" className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
        </div>
      );
    case "model_request": {
      const end = item.end;
      return (
        <Line item={item} onJump={onJump}>
          <span className="text-xs">
            {end === null ? (
              "Model request in progress…"
            ) : (
              <>
                Model request{end.isError ? " (failed)" : ""} · {formatTokens(end.usage.input_tokens)} in · {formatTokens(end.usage.output_tokens)} out
                {end.usage.cache_read_input_tokens > 0 ? ` · ${formatTokens(end.usage.cache_read_input_tokens)} cache read` : ""}
                {end.usage.cache_creation_input_tokens > 0 ? ` · ${formatTokens(end.usage.cache_creation_input_tokens)} cache write` : ""}
                {end.costUsd !== null ? ` · ≈${formatUsd(end.costUsd)}` : ""}
              </>
            )}
          </span>
        </Line>
      );
    }
    case "interrupt":
      return (
        <Line item={item} onJump={onJump}>
          Interrupted by the user <SentBy actor={item.actor} />
        </Line>
      );
    case "context_compacted":
      return (
        <Line item={item} onJump={onJump}>
          Context compacted
        </Line>
      );
    case "title_changed":
      return (
        <Line item={item} onJump={onJump}>
          Title set to “{item.title ?? ""}”
        </Line>
      );
    case "deleted":
      return (
        <Line item={item} onJump={onJump} tone="error">
          Session deleted
        </Line>
      );
    case "sandbox":
      return (
        <Line item={item} onJump={onJump} tone={item.status === "failed" ? "error" : "muted"}>
          <span className="text-xs" data-testid="sandbox-row" data-sandbox-status={item.status}>
            {describeSandbox(item)}
          </span>
        </Line>
      );
    case "outcome":
      return <OutcomeCard item={item} onJump={onJump} />;
  }
}

/** One item of the timeline, or, for an item not reached yet, a dimmed line that jumps to it. */
export const TimelineItem = memo(function TimelineItem({ item, place, agentName, expanded, onToggle, onJump }: TTimelineItemProps) {
  if (place === "upcoming") {
    return (
      <button
        type="button"
        onClick={() => onJump(item.seq)}
        className="flex w-full items-center gap-2 rounded-lg px-2 py-1 text-left text-sm text-zinc-500 hover:bg-zinc-100 hover:text-zinc-700 dark:text-zinc-500 dark:hover:bg-zinc-900 dark:hover:text-zinc-300"
      >
        <span className="shrink-0 font-mono text-xs tabular-nums">#{item.seq}</span>
        <span className="truncate">{upcomingSummary(item, agentName)}</span>
        <span className="sr-only">(not reached yet: jump to it)</span>
      </button>
    );
  }
  return (
    <div className={`rounded-2xl transition-shadow ${place === "current" ? "ring-2 ring-brand-500 ring-offset-4 ring-offset-zinc-50 dark:ring-offset-zinc-950" : ""}`}>
      <ItemBody item={item} agentName={agentName} expanded={expanded} onToggle={onToggle} onJump={onJump} />
    </div>
  );
});

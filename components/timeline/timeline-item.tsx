"use client";

import { memo, type ReactNode } from "react";
import { formatUsd } from "@/lib/timeline/estimate-cost";
import type { TTimelineItem, TToolCallItem, TToolCallState } from "@/lib/timeline/fold-timeline";
import { describeSandbox } from "@/lib/timeline/describe-sandbox";
import { blocksText, type TTimelineBlock } from "@/lib/timeline/timeline-blocks";
import { describeStatus, formatClock, formatTokens, summarizeInput } from "./format";
import { PagedMessage, PagedOutput } from "./paged-text";

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

const TOOL_STATES: Record<TToolCallState, { label: string; classes: string }> = {
  awaiting_confirmation: { label: "Waiting for approval", classes: "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800" },
  awaiting_client: { label: "Waiting for the client", classes: "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800" },
  running: { label: "Running", classes: "bg-brand-50 text-brand-700 ring-brand-300 dark:bg-zinc-800 dark:text-brand-300 dark:ring-zinc-700" },
  done: { label: "Done", classes: "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-800" },
  error: { label: "Error", classes: "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800" },
  denied: { label: "Denied", classes: "bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700" },
};

function Blocks({ blocks }: { blocks: readonly TTimelineBlock[] }) {
  return (
    <div className="flex flex-col gap-3">
      {blocks.map((block, i) => {
        switch (block.type) {
          case "text":
            return <PagedMessage key={i} text={block.text} />;
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

function Note({ children }: { children: ReactNode }) {
  return <p className="text-sm text-zinc-500 italic dark:text-zinc-400">{children}</p>;
}

/** The event's seq and time: a button that moves the player to it. */
function JumpLabel({ seq, at, onJump }: { seq: number; at: string | null; onJump(seq: number): void }) {
  return (
    <button
      type="button"
      onClick={() => onJump(seq)}
      aria-label={`Jump to event ${seq}`}
      title={at ? `Event ${seq}, ${at}` : `Event ${seq}`}
      className="shrink-0 rounded px-1 font-mono text-xs text-zinc-500 tabular-nums hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
    >
      #{seq}
      {at ? <span className="ml-1.5 hidden sm:inline">{formatClock(at)}</span> : null}
    </button>
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

function ToolCall({ item, expanded, onToggle, onJump }: { item: TToolCallItem; expanded: boolean; onToggle(key: string): void; onJump(seq: number): void }) {
  const state = TOOL_STATES[item.state];
  const summary = summarizeInput(item.input);
  const bodyId = `tool-${item.key}`;
  const kind = item.source === "custom" ? "Custom tool" : item.source === "mcp" ? `MCP · ${item.mcpServer}` : "Tool";
  return (
    <div className="rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex items-start gap-2 px-3 py-2">
        <JumpLabel seq={item.seq} at={item.at} onJump={onJump} />
        <button
          type="button"
          aria-expanded={expanded}
          aria-controls={bodyId}
          onClick={() => onToggle(item.key)}
          className="flex min-w-0 flex-1 items-start gap-2 rounded text-left text-sm"
        >
          <span aria-hidden="true" className={`mt-0.5 inline-block text-xs text-zinc-400 transition-transform ${expanded ? "rotate-90" : ""}`}>
            ▶
          </span>
          <span className="flex min-w-0 flex-1 flex-col gap-0.5">
            <span className="flex flex-wrap items-center gap-2">
              <span className="text-xs text-zinc-500 dark:text-zinc-400">{kind}</span>
              <span className="font-mono font-semibold">{item.name}</span>
              <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${state.classes}`}>{state.label}</span>
            </span>
            {summary ? <span className="truncate font-mono text-xs text-zinc-600 dark:text-zinc-400">{summary}</span> : null}
          </span>
        </button>
      </div>
      {expanded ? (
        <div id={bodyId} className="flex flex-col gap-3 border-t border-zinc-200 px-3 py-3 dark:border-zinc-800">
          <section aria-label="Input" className="flex flex-col gap-1">
            <h4 className="text-xs font-medium text-zinc-500 uppercase dark:text-zinc-400">Input</h4>
            <PagedOutput text={JSON.stringify(item.input, null, 2)} label={`Input of ${item.name}`} />
          </section>
          {item.confirmation ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {item.confirmation.result === "allow" ? "Approved" : "Denied"} at event{" "}
              <button type="button" className="font-mono underline" onClick={() => onJump(item.confirmation!.seq)}>
                #{item.confirmation.seq}
              </button>
              {item.confirmation.denyMessage ? `: “${item.confirmation.denyMessage}”` : ""}
            </p>
          ) : null}
          {item.result ? (
            <section aria-label="Output" className="flex flex-col gap-1">
              <h4 className="flex items-center gap-2 text-xs font-medium text-zinc-500 uppercase dark:text-zinc-400">
                Output
                <button type="button" className="font-mono normal-case underline" onClick={() => onJump(item.result!.seq)}>
                  #{item.result.seq}
                </button>
              </h4>
              <PagedOutput text={blocksText(item.result.blocks)} label={`Output of ${item.name}`} tone={item.result.isError ? "error" : "normal"} />
            </section>
          ) : (
            <Note>No result yet.</Note>
          )}
        </div>
      ) : null}
    </div>
  );
}

function Message({ item, who, tone, onJump }: { item: Extract<TTimelineItem, { blocks: unknown }>; who: string; tone: "user" | "agent" | "system"; onJump(seq: number): void }) {
  const classes =
    tone === "user"
      ? "border-brand-300/60 bg-brand-50 dark:border-zinc-700 dark:bg-zinc-800/60"
      : tone === "system"
        ? "border-dashed border-zinc-300 bg-transparent dark:border-zinc-700"
        : "border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900";
  return (
    <article aria-label={`${who}, event ${item.seq}`} className={`flex flex-col gap-2 rounded-xl border px-4 py-3 shadow-sm ${classes}`}>
      <header className="flex items-center justify-between gap-2">
        <span className={`text-sm font-semibold ${tone === "user" ? "text-brand-700 dark:text-brand-300" : ""}`}>{who}</span>
        <JumpLabel seq={item.seq} at={item.at} onJump={onJump} />
      </header>
      <Blocks blocks={item.blocks} />
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
      return (
        <Line item={item} onJump={onJump}>
          <span className="italic">Thinking…</span>
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
          Interrupted by the user
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
  }
}

/** One item of the timeline, or, for an item not reached yet, a dimmed line that jumps to it. */
export const TimelineItem = memo(function TimelineItem({ item, place, agentName, expanded, onToggle, onJump }: TTimelineItemProps) {
  if (place === "upcoming") {
    return (
      <button
        type="button"
        onClick={() => onJump(item.seq)}
        className="flex w-full items-center gap-2 rounded-lg px-2 py-1 text-left text-sm text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700 dark:text-zinc-500 dark:hover:bg-zinc-900 dark:hover:text-zinc-300"
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

"use client";

import { useMemo, useState } from "react";
import type { TDiffSegment } from "@/lib/agents/ui/diff-lines";
import { collapseLines, outputLines } from "@/lib/timeline/collapse-lines";
import type { TToolCallItem, TToolCallState } from "@/lib/timeline/fold-timeline";
import { blocksText } from "@/lib/timeline/timeline-blocks";
import { describeCommandEnd, formatDuration, toolCallDurationMs, toolCallView, type TCommandEnd, type TToolCallView } from "@/lib/timeline/tool-call-view";
import { DIFF_LINE_MARKERS, DIFF_LINE_SPOKEN, DIFF_LINE_TONES } from "@/components/ui/diff-line-style";
import { useActorLabel } from "./actor-names";
import { CopyButton } from "./copy-button";
import { summarizeInput } from "./format";
import { JumpLabel, Note } from "./item-parts";
import { useLiveToolOutput } from "./live-tool-output";
import { PagedOutput } from "./paged-text";

/**
 * A tool call as a terminal would show it: a bash call as `$ command`, its output (long output
 * folded to its first and last lines, with "show all") and how it ended (exit code, duration); an
 * `edit` as the diff of the text it replaced, a `write` as the lines it wrote; any other tool as
 * its output. The header's toggle opens the raw input and the approval, if any.
 */

const TOOL_STATES: Record<TToolCallState, { label: string; classes: string }> = {
  awaiting_confirmation: { label: "Waiting for approval", classes: "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800" },
  awaiting_client: { label: "Waiting for the client", classes: "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800" },
  running: { label: "Running", classes: "bg-brand-50 text-brand-700 ring-brand-300 dark:bg-zinc-800 dark:text-brand-300 dark:ring-zinc-700" },
  done: { label: "Done", classes: "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-800" },
  error: { label: "Error", classes: "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800" },
  interrupted: { label: "Interrupted", classes: "bg-zinc-100 text-zinc-700 ring-zinc-400 dark:bg-zinc-800 dark:text-zinc-200 dark:ring-zinc-600" },
  denied: { label: "Denied", classes: "bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700" },
};

const linkButton = "rounded px-1.5 py-0.5 font-sans text-xs font-medium text-brand-700 hover:bg-brand-50 dark:text-brand-300 dark:hover:bg-zinc-800";

/** Output lines, folded when long: the first and last lines, and a button for all of them. */
function FoldedLines({ lines, label, className, renderLine = (line) => line }: { lines: readonly string[]; label: string; className: string; renderLine?(line: string): string }) {
  const [all, setAll] = useState(false);
  const folded = collapseLines(lines);
  const shown = all || folded.hidden === 0 ? null : folded;
  return (
    <div className="flex flex-col">
      <pre aria-label={label} className={`max-h-[32rem] overflow-auto px-3 py-2 font-mono text-xs leading-relaxed whitespace-pre-wrap break-words ${className}`}>
        {shown ? (
          <>
            {shown.head.map(renderLine).join("\n")}
            {"\n"}
            <span className="text-zinc-500 italic select-none" data-testid="hidden-lines">
              ⋯ {shown.hidden.toLocaleString("en-US")} more {shown.hidden === 1 ? "line" : "lines"}
            </span>
            {"\n"}
            {shown.tail.map(renderLine).join("\n")}
          </>
        ) : (
          lines.map(renderLine).join("\n")
        )}
      </pre>
      {folded.hidden > 0 ? (
        <span className="flex justify-end px-2 pb-1">
          <button type="button" className={linkButton} onClick={() => setAll((value) => !value)}>
            {all ? "Show less" : `Show all ${lines.length.toLocaleString("en-US")} lines`}
          </button>
        </span>
      ) : null}
    </div>
  );
}

function endTone(end: TCommandEnd | null): string {
  if (!end) return "text-zinc-400";
  return end.type === "exit" && end.code === 0 ? "text-emerald-400" : "text-red-400";
}

/**
 * What a running command has written so far (live previews, not stored): stdout plain, stderr
 * marked as in the result. The stored result replaces it when it arrives.
 */
function LiveOutput({ name, stdout, stderr, truncated }: { name: string; stdout: string; stderr: string; truncated: boolean }) {
  const stdoutLines = stdout.length > 0 ? outputLines(stdout) : [];
  const stderrLines = stderr.length > 0 ? outputLines(stderr) : [];
  return (
    <div data-testid="live-output" aria-live="off">
      {stdoutLines.length > 0 ? <FoldedLines lines={stdoutLines} label={`Live output of ${name}`} className="text-zinc-100" /> : null}
      {stderrLines.length > 0 ? (
        <div className="border-t border-red-900/60" data-testid="live-stderr">
          <span className="block px-3 pt-1.5 font-mono text-[0.65rem] font-semibold tracking-wide text-red-400 uppercase select-none">stderr</span>
          <FoldedLines lines={stderrLines} label={`Live errors (stderr) of ${name}`} className="text-red-300" />
        </div>
      ) : null}
      {truncated ? <p className="px-3 pb-1 font-mono text-xs text-zinc-500 italic">live output stops here; all of it comes with the result</p> : null}
    </div>
  );
}

function Terminal({ item, command, output, stderr, end, truncated }: { item: TToolCallItem; command: string; output: string; stderr: string; end: TCommandEnd | null; truncated: boolean }) {
  const stdoutLines = outputLines(output);
  const stderrLines = outputLines(stderr);
  const lines = [...stdoutLines, ...stderrLines];
  const duration = toolCallDurationMs(item);
  const answered = item.result !== null;
  const aside = item.state === "interrupted" || item.state === "denied";
  const live = useLiveToolOutput(item.key);
  return (
    <div className="overflow-hidden rounded-lg bg-zinc-950 text-zinc-100 ring-1 ring-zinc-800" data-testid="terminal">
      <div className="flex items-start gap-2 px-3 pt-2 font-mono text-xs">
        <span aria-hidden="true" className="text-emerald-400 select-none">
          $
        </span>
        <code className="min-w-0 flex-1 whitespace-pre-wrap break-words" aria-label="Command">
          {command}
        </code>
        <CopyButton text={command} label="Copy command" className="text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100 dark:hover:bg-zinc-800" />
      </div>
      {!answered && item.state === "running" && live ? <LiveOutput name={item.name} stdout={live.stdout} stderr={live.stderr} truncated={live.truncated} /> : null}
      {!answered ? (
        <p className="px-3 py-2 font-mono text-xs text-zinc-400">
          {item.state === "running" ? (
            <span className="inline-flex items-center gap-1.5">
              <span aria-hidden="true" className="size-1.5 animate-pulse rounded-full bg-brand-300" />
              running…
            </span>
          ) : (
            "not run yet"
          )}
        </p>
      ) : lines.length > 0 ? (
        <>
          {stdoutLines.length > 0 ? <FoldedLines lines={stdoutLines} label={`Output of ${item.name}`} className={aside ? "text-zinc-400 italic" : "text-zinc-100"} /> : null}
          {stderrLines.length > 0 ? (
            // stderr, marked apart from stdout: red, and labelled (not by colour alone)
            <div className="border-t border-red-900/60" data-testid="stderr">
              <span className="block px-3 pt-1.5 font-mono text-[0.65rem] font-semibold tracking-wide text-red-400 uppercase select-none">stderr</span>
              <FoldedLines lines={stderrLines} label={`Errors (stderr) of ${item.name}`} className="text-red-300" />
            </div>
          ) : null}
        </>
      ) : (
        <pre aria-label={`Output of ${item.name}`} className="px-3 py-2 font-mono text-xs text-zinc-500 italic">
          (no output)
        </pre>
      )}
      {answered ? (
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-t border-zinc-800 px-3 py-1.5 font-mono text-xs text-zinc-400">
          {end ? (
            <span className={endTone(end)} data-testid="exit-status">
              {describeCommandEnd(end)}
            </span>
          ) : null}
          {duration !== null ? <span data-testid="duration">{formatDuration(duration)}</span> : null}
          {truncated ? <span>output cut in the middle</span> : null}
          {lines.length > 0 && !aside ? <CopyButton text={stderr ? [output, stderr].filter(Boolean).join("\n") : output} label="Copy output" className="ml-auto text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100 dark:hover:bg-zinc-800" /> : null}
        </div>
      ) : null}
    </div>
  );
}

const DIFF_TONES = { ...DIFF_LINE_TONES, same: "text-zinc-700 dark:text-zinc-300" } as const;

/** The text an `edit` replaced, as a diff (the lines are the edit's, not the file's: no line numbers). */
function EditDiff({ segments, label }: { segments: readonly TDiffSegment[]; label: string }) {
  return (
    <div role="group" aria-label={label} className="max-h-[32rem] overflow-auto rounded-lg border border-zinc-200 font-mono text-xs leading-5 dark:border-zinc-800">
      {segments.length === 0 ? <p className="px-3 py-1 text-zinc-500 italic">No change.</p> : null}
      {segments.map((segment, i) =>
        segment.type === "skipped" ? (
          <div key={i} className="bg-zinc-50 px-3 py-0.5 text-center font-sans text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
            ⋯ {segment.count} unchanged {segment.count === 1 ? "line" : "lines"}
          </div>
        ) : (
          segment.lines.map((line, j) => (
            <div key={`${i}-${j}`} data-diff={line.kind} className={`flex ${DIFF_TONES[line.kind]}`}>
              <span aria-hidden="true" className="w-5 shrink-0 text-center font-bold select-none">
                {DIFF_LINE_MARKERS[line.kind]}
              </span>
              <span className="min-w-0 flex-1 pr-3 whitespace-pre-wrap [overflow-wrap:anywhere]">
                {DIFF_LINE_SPOKEN[line.kind] ? <span className="sr-only">{DIFF_LINE_SPOKEN[line.kind]}</span> : null}
                {line.text}
              </span>
            </div>
          ))
        ),
      )}
    </div>
  );
}

/** The result of a call that is not a terminal: its text, folded when long, red when it failed. */
function ResultText({ item, text }: { item: TToolCallItem; text: string }) {
  const tone =
    item.state === "error"
      ? "rounded-lg bg-red-50 text-red-900 dark:bg-red-950/40 dark:text-red-200"
      : item.state === "interrupted" || item.state === "denied"
        ? "rounded-lg bg-zinc-100 text-zinc-600 italic dark:bg-zinc-900 dark:text-zinc-400"
        : "rounded-lg bg-zinc-100 text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200";
  const lines = outputLines(text);
  return lines.length > 0 ? <FoldedLines lines={lines} label={`Output of ${item.name}`} className={tone} /> : <Note>(no output)</Note>;
}

function ToolBody({ item, view }: { item: TToolCallItem; view: TToolCallView }) {
  switch (view.kind) {
    case "terminal":
      return <Terminal item={item} command={view.command} output={view.output} stderr={view.stderr} end={view.end} truncated={view.truncated} />;
    case "edit":
      return (
        <div className="flex flex-col gap-2">
          <p className="flex flex-wrap items-baseline gap-2 text-xs text-zinc-600 dark:text-zinc-400">
            <span className="font-mono font-medium text-zinc-900 dark:text-zinc-100">{view.path}</span>
            <span className="text-emerald-700 dark:text-emerald-400">+{view.added}</span>
            <span className="text-red-700 dark:text-red-400">−{view.removed}</span>
            {view.replaceAll ? <span>(every occurrence)</span> : null}
          </p>
          <EditDiff segments={view.segments} label={`Changes to ${view.path}`} />
          {item.result ? <ResultText item={item} text={blocksText(item.result.blocks)} /> : null}
        </div>
      );
    case "write":
      return (
        <div className="flex flex-col gap-2">
          <p className="flex flex-wrap items-baseline gap-2 text-xs text-zinc-600 dark:text-zinc-400">
            <span className="font-mono font-medium text-zinc-900 dark:text-zinc-100">{view.path}</span>
            <span className="text-emerald-700 dark:text-emerald-400">+{view.lines.length}</span>
            <span>(the whole file)</span>
          </p>
          <div className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
            <FoldedLines lines={view.lines} label={`Content written to ${view.path}`} className="bg-emerald-50/60 text-emerald-950 dark:bg-emerald-950/30 dark:text-emerald-100" renderLine={(line) => `+ ${line}`} />
          </div>
          {item.result ? <ResultText item={item} text={blocksText(item.result.blocks)} /> : null}
        </div>
      );
    case "generic":
      return view.output === null ? null : <ResultText item={item} text={view.output} />;
  }
}

/**
 * Who let the call run or stopped it, beside its state: the person's approval or denial, or, for a
 * custom tool, whoever sent its result. Nothing when the log does not name them.
 */
function Answered({ item }: { item: TToolCallItem }) {
  const confirmedBy = useActorLabel(item.confirmation?.actor);
  const resultBy = useActorLabel(item.result?.actor);
  const [verb, label] = confirmedBy !== null ? [item.confirmation!.result === "allow" ? "approved" : "denied", confirmedBy] : resultBy !== null ? ["result", resultBy] : [null, null];
  return verb === null ? null : (
    <span className="mt-0.5 shrink-0 text-xs text-zinc-500 dark:text-zinc-400" data-testid="answered-by">
      {verb} by <span className="font-medium text-zinc-700 dark:text-zinc-300">{label}</span>
    </span>
  );
}

export function ToolCall({ item, expanded, onToggle, onJump }: { item: TToolCallItem; expanded: boolean; onToggle(key: string): void; onJump(seq: number): void }) {
  const state = TOOL_STATES[item.state];
  const view = useMemo(() => toolCallView(item), [item]);
  const hasBody = view.kind !== "generic" || view.output !== null;
  // the terminal shows the command itself; a file tool's path is in its body
  const summary = view.kind === "generic" ? summarizeInput(item.input) : "";
  const duration = view.kind === "terminal" ? null : toolCallDurationMs(item);
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
              <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${state.classes}`} data-testid="tool-state">
                {state.label}
              </span>
              {duration !== null ? <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{formatDuration(duration)}</span> : null}
            </span>
            {summary ? <span className="truncate font-mono text-xs text-zinc-600 dark:text-zinc-400">{summary}</span> : null}
          </span>
        </button>
        {/* beside the toggle, not in it: the toggle's name stays the tool's */}
        <Answered item={item} />
      </div>
      {hasBody || expanded ? (
      <div className="flex flex-col gap-3 px-3 pb-3">
        {hasBody ? <ToolBody item={item} view={view} /> : null}
        {expanded ? (
          <div id={bodyId} className="flex flex-col gap-3 border-t border-zinc-200 pt-3 dark:border-zinc-800">
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
            {item.interruptSeq !== null && item.state === "interrupted" ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                Interrupted at event{" "}
                <button type="button" className="font-mono underline" onClick={() => onJump(item.interruptSeq!)}>
                  #{item.interruptSeq}
                </button>
              </p>
            ) : null}
            {item.result ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                Result at event{" "}
                <button type="button" className="font-mono underline" onClick={() => onJump(item.result!.seq)}>
                  #{item.result.seq}
                </button>
              </p>
            ) : (
              <Note>No result yet.</Note>
            )}
          </div>
        ) : null}
      </div>
      ) : null}
    </div>
  );
}

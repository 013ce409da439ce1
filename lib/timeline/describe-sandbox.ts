import type { TSandboxStatus } from "./fold-timeline";

/** What a sandbox report says, in a few words (the header chip, the timeline row, screen readers). */
export type TSandboxReport = { status: TSandboxStatus; provider: string; reason: string | null; durationMs: number | null };

/** `0.8 s`, `12 s`, `2 min 5 s`: how long provisioning took. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

const MAX_REASON = 200;

function clip(reason: string): string {
  const line = reason.replace(/\s+/g, " ").trim();
  return line.length > MAX_REASON ? `${line.slice(0, MAX_REASON)}…` : line;
}

/** "Sandbox provisioning…", "Sandbox ready (local, 0.8 s)", "Sandbox failed: <reason>", "Sandbox replaced: <reason>". */
export function describeSandbox(report: TSandboxReport): string {
  switch (report.status) {
    case "provisioning":
      return `Sandbox provisioning… (${report.provider})`;
    case "ready":
      return `Sandbox ready (${report.provider}${report.durationMs === null ? "" : `, ${formatDuration(report.durationMs)}`})`;
    case "failed":
      return `Sandbox failed${report.reason ? `: ${clip(report.reason)}` : ""}`;
    case "replaced":
      return `Sandbox replaced${report.reason ? `: ${clip(report.reason)}` : ""}`;
  }
}

/** The header chip's short label: the status alone, with the detail left to its title. */
export function sandboxChipLabel(status: TSandboxStatus): string {
  switch (status) {
    case "provisioning":
      return "Sandbox provisioning…";
    case "ready":
      return "Sandbox ready";
    case "failed":
      return "Sandbox failed";
    case "replaced":
      return "Sandbox replaced";
  }
}

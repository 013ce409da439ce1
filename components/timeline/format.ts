import type { TSessionStatus } from "@/lib/event-log/fold";
import type { TStopReason } from "@/lib/event-log/events";

const NUMBER = new Intl.NumberFormat("en-US");

export function formatTokens(count: number): string {
  return NUMBER.format(count);
}

/** `14:03:07` in UTC: the same on the server and in every browser, so hydration never differs. */
export function formatClock(at: string | null): string {
  if (!at) return "";
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString().slice(11, 19);
}

export function describeStatus(status: TSessionStatus, stopReason: TStopReason | null): string {
  switch (status) {
    case "running":
      return "Running";
    case "rescheduling":
      return "Rescheduling";
    case "terminated":
      return "Terminated";
    case "idle":
      switch (stopReason?.type) {
        case "end_turn":
          return "Idle: turn ended";
        case "requires_action":
          return "Idle: waiting for input";
        case "retries_exhausted":
          return "Idle: model unavailable";
        case "budget_reached":
          return "Idle: budget reached";
        case "refusal":
          return "Idle: the model refused";
        default:
          return "Idle";
      }
  }
}

/** A one-line summary of a tool's input: the command, the path or the pattern when there is one. */
export function summarizeInput(input: Record<string, unknown>): string {
  for (const key of ["command", "file_path", "path", "pattern", "url", "query"]) {
    const value = input[key];
    if (typeof value === "string" && value.length > 0) return value.length > 160 ? `${value.slice(0, 160)}…` : value;
  }
  const json = JSON.stringify(input);
  return json === "{}" ? "" : json.length > 160 ? `${json.slice(0, 160)}…` : json;
}

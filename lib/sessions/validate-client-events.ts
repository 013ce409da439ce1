import { AppError } from "@/lib/errors";
import { CLIENT_EVENT_TYPES, type TEventBody } from "@/lib/event-log/events";
import { validateAppend } from "@/lib/event-log/session-store";

/**
 * Checks events a client sends, before anything is written: only user-side types (not
 * `user.tool_result`, which is for self-hosted environments), each valid against the vocabulary,
 * and `system.message` at most once, last, right after a message or a tool result.
 */
export function validateClientEvents(events: readonly unknown[]): TEventBody[] {
  const allowed = CLIENT_EVENT_TYPES.filter((t) => t !== "user.tool_result");
  const types = events.map((event, i) => {
    const type = event && typeof event === "object" ? (event as { type?: unknown }).type : undefined;
    if (typeof type !== "string") throw new AppError("invalid_request", `events[${i}].type: required`);
    if (type === "user.tool_result") throw new AppError("invalid_request", `events[${i}]: user.tool_result is only accepted for self-hosted environments`);
    if (!(allowed as readonly string[]).includes(type)) {
      throw new AppError("invalid_request", `events[${i}].type: "${type.slice(0, 64)}" cannot be sent by a client (allowed: ${allowed.join(", ")})`);
    }
    return type;
  });
  const systemAt = types.indexOf("system.message");
  if (systemAt !== -1) {
    const follows = types[systemAt - 1];
    const once = types.filter((t) => t === "system.message").length === 1;
    if (systemAt !== types.length - 1 || !once || !follows || !["user.message", "user.custom_tool_result"].includes(follows)) {
      throw new AppError("invalid_request", `events[${systemAt}]: a system.message must be the last event, once, right after a user.message or a tool result`);
    }
  }
  return validateAppend(events);
}

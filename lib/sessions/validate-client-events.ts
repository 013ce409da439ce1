import { AppError } from "@/lib/errors";
import { CLIENT_EVENT_TYPES, DEFAULT_OUTCOME_ITERATIONS, ZDefineOutcomeParamsSchema, type TEventBody } from "@/lib/event-log/events";
import { validateAppend } from "@/lib/event-log/session-store";
import { newId } from "@/lib/ids";
import { parseWith } from "@/lib/resource/parse";

/**
 * Checks events a client sends, before anything is written: only user-side types (not
 * `user.tool_result`, which is for self-hosted environments), each valid against the vocabulary,
 * and `system.message` at most once, last, right after a message or a tool result. A
 * `user.define_outcome` gets its `outcome_id` (and `max_iterations`, when unsaid) here, as stored.
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
  return validateAppend(events.map((event, i) => (types[i] === "user.define_outcome" ? defineOutcome(event, i) : event)));
}

/** The stored form of a `user.define_outcome` a client sent: checked, with a new `outcome_id`. */
function defineOutcome(event: unknown, index: number): TEventBody {
  const rubric = (event as { rubric?: { type?: unknown } }).rubric;
  if (rubric && typeof rubric === "object" && rubric.type === "file") {
    throw new AppError("invalid_request", `events[${index}].rubric.type: file rubrics are not supported yet (the grader reads text rubrics only); send the rubric as {type: "text", content}`, {
      path: `events[${index}].rubric.type`,
    });
  }
  const params = parseWith(ZDefineOutcomeParamsSchema, event, `events[${index}]`);
  return { ...params, max_iterations: params.max_iterations ?? DEFAULT_OUTCOME_ITERATIONS, outcome_id: newId("outcome") };
}

import { z } from "zod";
import { AppError } from "@/lib/errors";
import { toWireEvent, type TEventBody } from "@/lib/event-log/events";
import { validateAppend, type SessionStore } from "@/lib/event-log/session-store";
import { parseWith } from "@/lib/resource/parse";
import type { TWorkPrincipal } from "./authenticate-work-token";

const ZSendSchema = z.strictObject({ events: z.array(z.unknown()).min(1).max(100) });

/**
 * `POST /v1/sessions/{id}/events` with a work item's token: the worker's `user.tool_result`s for
 * the session's built-in tool calls. Each must answer an `agent.tool_use` of this session that has
 * no result yet; anything else refuses the whole request (400) and nothing is written. The token
 * was checked live (item not stopped, lease not run out) when the request was authenticated.
 *
 * In a session of several environments a worker answers only the calls routed to its item's
 * environment (the `agent.tool_use`'s `environment_id`; 403 for another's), and the server names
 * that environment on each result (`environment_id`, whatever the worker sent). In a session of one
 * environment the results are stored as sent, without it.
 */
export async function sendWorkerResults(deps: { store: SessionStore; onWake?: () => void }, options: { work: TWorkPrincipal; body: unknown }) {
  const { events } = parseWith(ZSendSchema, options.body);
  events.forEach((event, i) => {
    const type = event && typeof event === "object" ? (event as { type?: unknown }).type : undefined;
    if (type !== "user.tool_result") throw new AppError("invalid_request", `events[${i}].type: a work item's token sends user.tool_result events only`);
  });
  const bodies = validateAppend(events) as Extract<TEventBody, { type: "user.tool_result" }>[];
  const sessionId = options.work.sessionId;
  const ids = [...new Set(bodies.map((b) => b.tool_use_id))];
  const [uses, answers] = await Promise.all([
    deps.store.getEvents(sessionId, { types: ["agent.tool_use"], ids, limit: ids.length }),
    deps.store.getEvents(sessionId, { types: ["user.tool_result", "agent.tool_result"], limit: 10_000 }),
  ]);
  const answered = new Set(answers.map((e) => (e.body as { tool_use_id: string }).tool_use_id));
  const stamped = bodies.map((body, i) => {
    const use = uses.find((u) => u.id === body.tool_use_id);
    if (!use) throw new AppError("invalid_request", `events[${i}].tool_use_id: no agent.tool_use ${body.tool_use_id.slice(0, 64)} in this session`);
    if (answered.has(body.tool_use_id)) throw new AppError("invalid_request", `events[${i}].tool_use_id: ${body.tool_use_id.slice(0, 64)} already has a result`);
    const routed = (use.body as { environment_id?: string }).environment_id;
    const { environment_id: _sent, ...rest } = body;
    if (!routed) return rest;
    if (routed !== options.work.environmentId) {
      throw new AppError("forbidden", `events[${i}].tool_use_id: ${body.tool_use_id.slice(0, 64)} runs in environment ${routed}, not this work item's ${options.work.environmentId}`);
    }
    return { ...rest, environment_id: routed };
  });
  if (new Set(bodies.map((b) => b.tool_use_id)).size !== bodies.length) throw new AppError("invalid_request", "events: two results for one tool use");
  const result = await deps.store.appendEvents(sessionId, stamped, { wake: true });
  if (!result.claimed) deps.onWake?.(); // claimed: this process's harness took it in the append
  return { data: result.events.map(toWireEvent) };
}

import { parseWith } from "@/lib/resource/parse";
import { AppError } from "@/lib/errors";
import type { TEventBody } from "@/lib/event-log/events";
import type { SessionStore, TSessionPatch } from "@/lib/event-log/session-store";
import { findTeamSession } from "./find-team-session";
import { ZSessionUpdateSchema } from "./schemas";
import { budgetUpdate } from "./session-budget";
import { sessionToWire } from "./session-to-wire";

/**
 * Updates title, metadata (a patch: null deletes a key) and budget (replaced, or removed by null:
 * the rules are in session-budget.ts). The change and the `session.updated` event announcing it
 * (only the changed fields) commit together; the harness reads a new budget from that event.
 * Nothing changed: nothing written. A refused budget writes nothing either.
 */
export async function updateSession(deps: { store: SessionStore }, options: { teamId: string; sessionId: string; body: unknown }) {
  const input = parseWith(ZSessionUpdateSchema, options.body);
  const session = await findTeamSession(deps.store, options.teamId, options.sessionId);
  if (session.archivedAt) throw new AppError("invalid_request", `session ${session.id} is archived`);
  const event: Extract<TEventBody, { type: "session.updated" }> = { type: "session.updated" };
  const patch: TSessionPatch = {};
  if (input.title !== undefined && input.title !== session.title) event.title = patch.title = input.title;
  if (input.metadata !== undefined) {
    const merged = { ...session.metadata };
    for (const [key, value] of Object.entries(input.metadata)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    if (Object.keys(merged).length > 16) throw new AppError("invalid_request", "metadata: at most 16 keys");
    if (JSON.stringify(merged) !== JSON.stringify(session.metadata)) event.metadata = patch.metadata = merged;
  }
  if (input.budget !== undefined) {
    if (session.state.status === "terminated") throw new AppError("invalid_request", `budget: session ${session.id} is terminated`);
    const change = budgetUpdate(session, input.budget);
    if (change) event.budget = patch.budget = change.budget;
  }
  if (Object.keys(patch).length === 0) return sessionToWire(session);
  await deps.store.appendEvents(session.id, [event], { sessionPatch: patch });
  return sessionToWire((await deps.store.getSession(session.id))!);
}

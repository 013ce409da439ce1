"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import type { TEventBody } from "@/lib/event-log/events";
import { useCases } from "@/lib/server/root";
import type { TShareLinkRow } from "@/lib/share/list-share-link-rows";
import type { TShareLink } from "@/lib/share/share-link-to-wire";
import type { TFormState } from "@/components/forms/form-state";
import type { TShareActionResult } from "@/components/replay/share-links-panel";
import { refused } from "../../../../form-results";

// What the session view sends. Each action checks the membership of the team in the URL, checks
// its input, and hands the events to `sendEvents` — the same validation as the API — which appends
// them and wakes the harness. What happens next reaches every viewer over Socket.io.

const ZId = z.string().min(1).max(128);
const ZMessageSchema = z.object({
  text: z.string().max(100_000, { error: "This message is too long (at most 100,000 characters)." }).refine((text) => text.trim().length > 0, { error: "Write a message first." }),
});
const ZConfirmationSchema = z.object({
  toolUseId: ZId,
  result: z.enum(["allow", "deny"]),
  denyMessage: z.string().trim().max(10_000, { error: "Keep the reason under 10,000 characters." }).optional(),
});
const ZCustomToolResultSchema = z.object({
  toolUseId: ZId,
  text: z.string().max(100_000, { error: "The result is too long (at most 100,000 characters)." }),
  isError: z.boolean(),
});

export type TSendResult = TFormState<null>;

function invalid(error: z.ZodError): TSendResult {
  return { status: "error", message: error.issues[0]!.message };
}

async function send(teamSlug: string, sessionId: string, events: TEventBody[]): Promise<TSendResult> {
  const { user, team } = await requireMembership(useCases(), String(teamSlug));
  try {
    // the member who sends them is recorded with the events (the timeline names them)
    await useCases().sessions.send({ teamId: team.id, sessionId: String(sessionId), body: { events }, actor: { kind: "member", userId: user.id } });
    return { status: "success", data: null };
  } catch (error) {
    return refused(error);
  }
}

/** A message from the person: starts a turn, or waits in the log for the running turn's next step. */
export async function sendMessageAction(teamSlug: string, sessionId: string, input: unknown): Promise<TSendResult> {
  const parsed = ZMessageSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  return send(teamSlug, sessionId, [{ type: "user.message", content: [{ type: "text", text: parsed.data.text.trimEnd() }] }]);
}

export async function interruptAction(teamSlug: string, sessionId: string): Promise<TSendResult> {
  return send(teamSlug, sessionId, [{ type: "user.interrupt" }]);
}

/** Approves or denies a tool call that asks first; a denial may say why (the model reads it). */
export async function confirmToolAction(teamSlug: string, sessionId: string, input: unknown): Promise<TSendResult> {
  const parsed = ZConfirmationSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { toolUseId, result, denyMessage } = parsed.data;
  return send(teamSlug, sessionId, [
    { type: "user.tool_confirmation", tool_use_id: toolUseId, result, ...(result === "deny" && denyMessage ? { deny_message: denyMessage } : {}) },
  ]);
}

/** The result of a custom tool, which the client runs (here: the person answering it). */
export async function sendCustomToolResultAction(teamSlug: string, sessionId: string, input: unknown): Promise<TSendResult> {
  const parsed = ZCustomToolResultSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { toolUseId, text, isError } = parsed.data;
  return send(teamSlug, sessionId, [
    { type: "user.custom_tool_result", custom_tool_use_id: toolUseId, is_error: isError, ...(text.length > 0 ? { content: [{ type: "text", text }] } : {}) },
  ]);
}

/** Share-link answers in the shape the share panel takes; refusals carry what the person may read. */
function shareRefusal(error: unknown): TShareActionResult<never> {
  const state = refused(error);
  return { ok: false, message: (state.status === "error" && state.message) || "Something went wrong. Please try again." };
}

/** A new read-only replay link; its path (holding the token) is in this answer only. */
export async function createShareLinkAction(teamSlug: string, sessionId: string): Promise<TShareActionResult<{ link: TShareLinkRow; path: string }>> {
  const { user, team } = await requireMembership(useCases(), String(teamSlug));
  try {
    // the token travels only inside `path`
    const { token: _token, path, ...created } = await useCases().shareLinks.create({ teamId: team.id, sessionId: String(sessionId), createdBy: user.id });
    const link: TShareLinkRow = { ...created, created_by_name: user.name };
    return { ok: true, value: { link, path } };
  } catch (error) {
    return shareRefusal(error);
  }
}

/** The address of an active link again (derived anew, never stored: lib/share/copy-share-link.ts). */
export async function copyShareLinkAction(teamSlug: string, sessionId: string, linkId: unknown): Promise<TShareActionResult<{ path: string }>> {
  const { team } = await requireMembership(useCases(), String(teamSlug));
  const parsed = ZId.safeParse(linkId);
  if (!parsed.success) return { ok: false, message: "This link no longer exists." };
  try {
    return { ok: true, value: await useCases().shareLinks.copy({ teamId: team.id, sessionId: String(sessionId), linkId: parsed.data }) };
  } catch (error) {
    return shareRefusal(error);
  }
}

export async function revokeShareLinkAction(teamSlug: string, sessionId: string, linkId: unknown): Promise<TShareActionResult<TShareLink>> {
  const { team } = await requireMembership(useCases(), String(teamSlug));
  const parsed = ZId.safeParse(linkId);
  if (!parsed.success) return { ok: false, message: "This link no longer exists." };
  try {
    return { ok: true, value: await useCases().shareLinks.revoke({ teamId: team.id, sessionId: String(sessionId), linkId: parsed.data }) };
  } catch (error) {
    return shareRefusal(error);
  }
}

/**
 * Archives the session (any member may): its log stays readable, it accepts nothing new. The page
 * is rendered again, archived. A running session is refused with what to do first.
 */
export async function archiveSessionAction(teamSlug: string, sessionId: string, _previous: TFormState<null>, _formData: FormData): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), String(teamSlug));
  try {
    await useCases().sessions.archive({ teamId: team.id, sessionId: String(sessionId) });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(teamPath(team.slug, "sessions", String(sessionId)));
  return { status: "success", message: "Session archived.", data: null };
}

/**
 * Deletes the session and its log (any member may, after confirming). Everyone watching it —
 * teammates and share-link guests, on every server — is told at once (`session:deleted`); the
 * person who deleted it lands on the list, which says so.
 */
export async function deleteSessionAction(teamSlug: string, sessionId: string, _previous: TFormState<null>, _formData: FormData): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), String(teamSlug));
  try {
    await useCases().sessions.delete({ teamId: team.id, sessionId: String(sessionId) });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(teamPath(team.slug, "sessions"));
  redirect(`${teamPath(team.slug, "sessions")}?${new URLSearchParams({ deleted: String(sessionId) })}`);
}

export type TForkResult = TFormState<null>;

/**
 * "Fork from here": a new session of the team whose log is this one's up to and including the
 * event (`sessions.fork`, the same use-case and checks as `POST /v1/sessions/{id}/fork`). Opens the
 * new session; a refusal is answered for the button to show.
 */
export async function forkSessionAction(teamSlug: string, sessionId: string, eventId: unknown): Promise<TForkResult> {
  const { user, team } = await requireMembership(useCases(), String(teamSlug));
  const parsed = ZId.safeParse(eventId);
  if (!parsed.success) return { status: "error", message: "Choose an event of this session to fork from." };
  let forkId: string;
  try {
    forkId = (await useCases().sessions.fork({ teamId: team.id, sessionId: String(sessionId), body: { event_id: parsed.data }, createdBy: user.id })).id;
  } catch (error) {
    return refused(error);
  }
  revalidatePath(teamPath(team.slug, "sessions"));
  redirect(teamPath(team.slug, "sessions", forkId));
}

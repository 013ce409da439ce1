import type { TEventActor } from "@/lib/event-log/events";

/**
 * The names of who may have sent a session's client events, by id, as the session page reads them
 * when it loads (lib/sessions/ui/load-actor-names.ts): members by user id, API keys by key id.
 * Names, never emails.
 */
export type TActorNames = { members: Readonly<Record<string, string>>; apiKeys: Readonly<Record<string, string>> };

export const NO_ACTOR_NAMES: TActorNames = Object.freeze({ members: Object.freeze({}), apiKeys: Object.freeze({}) });

/**
 * Who sent an event, as the timeline names them: the member's display name, or `API key <name>`.
 * Names are looked up when the page is shown, so a renamed member shows under the new name. An id
 * the page does not know (someone who joined the team after it loaded) still says what kind of
 * sender it was.
 */
export function actorLabel(actor: TEventActor, names: TActorNames): string {
  if (actor.kind === "member") return names.members[actor.userId] ?? "A teammate";
  const name = names.apiKeys[actor.keyId];
  return name === undefined ? "An API key" : `API key ${name}`;
}

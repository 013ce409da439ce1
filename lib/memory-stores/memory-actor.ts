/**
 * Who wrote or redacted a memory version, recorded when it happens and never updated: an API key
 * (`api_actor`), a member in the web app (`user_actor`), or — once stores are mounted into
 * sandboxes — a session writing through its mount (`session_actor`).
 */
export type TMemoryActor = { type: "api_actor"; id: string } | { type: "user_actor"; id: string } | { type: "session_actor"; id: string };

const ID_FIELD = { api_actor: "api_key_id", user_actor: "user_id", session_actor: "session_id" } as const;

/** The stored pair (`…ByType`, `…ById`) as the wire's Actor object, or null when none was recorded. */
export function actorToWire(type: string | null, id: string | null) {
  if (!id || !(type === "api_actor" || type === "user_actor" || type === "session_actor")) return null;
  return { type, [ID_FIELD[type]]: id } as
    | { type: "api_actor"; api_key_id: string }
    | { type: "user_actor"; user_id: string }
    | { type: "session_actor"; session_id: string };
}

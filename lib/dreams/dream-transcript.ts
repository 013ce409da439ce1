import type { TStoredEvent } from "@/lib/event-log/events";

/** The most text of past sessions a dream's first message carries (characters); each session gets an equal share. */
export const TRANSCRIPT_MAX_CHARS = 200_000;

/** The event types a transcript is made of. */
export const TRANSCRIPT_EVENT_TYPES = ["user.message", "agent.message"] as const;

/**
 * The first message of a dream's session: the input sessions' conversations as text (the users'
 * and the agents' messages, text blocks only), each session cut to an equal share of
 * TRANSCRIPT_MAX_CHARS, keeping its most recent messages (a cut says how much was left out).
 */
export function dreamTranscript(sessions: ReadonlyArray<{ id: string; title: string | null; events: readonly TStoredEvent[] }>, maxChars = TRANSCRIPT_MAX_CHARS): string {
  const share = Math.max(1_000, Math.floor(maxChars / Math.max(1, sessions.length)));
  const parts = sessions.map((session) => {
    const lines = session.events.flatMap((event) => {
      const text = textOf(event);
      return text ? [`${event.body.type === "user.message" ? "User" : "Agent"}: ${text}`] : [];
    });
    let body = lines.join("\n\n");
    if (body.length > share) body = `[… ${body.length - share} earlier characters left out …]\n${body.slice(body.length - share)}`;
    const heading = `## Session ${session.id}${session.title ? ` — ${session.title}` : ""}`;
    return `${heading}\n\n${body || "(no messages)"}`;
  });
  return ["Reorganise the memory store using these past sessions.", "", ...parts].join("\n");
}

function textOf(event: TStoredEvent): string {
  const content = (event.body as { content?: unknown }).content;
  if (!Array.isArray(content)) return "";
  return content
    .flatMap((block) => (block && typeof block === "object" && (block as { type?: unknown }).type === "text" ? [String((block as { text?: unknown }).text ?? "")] : []))
    .join("\n")
    .trim();
}

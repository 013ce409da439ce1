import "server-only";
import type { TStoredEvent } from "@/lib/event-log/events";
import type { TModelRequest } from "@/lib/model/types";
import { clipStart, transcript } from "./build-grader-request";

/** The advisor's request (advisor-tool.ts): its system prompt, the conversation and the question. */
export const ADVISOR_SYSTEM_PROMPT = [
  "You are an advisor to an agent at work. The agent asks you a question in the middle of its work.",
  "You see its conversation so far (the user's and its messages, its tool calls and their results), not its reasoning.",
  "Answer the question directly and concisely, with the advice that would help the agent most. You cannot call tools.",
].join("\n");

const TRANSCRIPT_CHARS = 150_000;
const QUESTION_CHARS = 20_000;
const ADVISOR_MAX_TOKENS = 4_096;

/** The advisor's request: `events` is the primary thread's view up to the call (the call excluded). */
export function buildAdvisorRequest(events: readonly TStoredEvent[], question: string, model: string): TModelRequest {
  const work = transcript(events);
  const text = [
    "<conversation>",
    work === "" ? "(Nothing yet.)" : clipStart(work, TRANSCRIPT_CHARS),
    "</conversation>",
    "<question>",
    question.slice(0, QUESTION_CHARS),
    "</question>",
  ].join("\n");
  return { model, system: [{ type: "text", text: ADVISOR_SYSTEM_PROMPT }], messages: [{ role: "user", content: [{ type: "text", text }] }], maxTokens: ADVISOR_MAX_TOKENS };
}

import { SandboxPool } from "@/lib/harness/sandbox-pool";
import type { THarnessDeps } from "@/lib/harness/wake-context";
import { ScriptedModelClient, textTurn, type TScriptedResponder, type TScriptedTurn } from "@/lib/model/scripted-model-client";
import { InMemoryEventBus, type TBusMessage } from "@/lib/realtime/event-bus";
import { FakeSandboxProvider, type FakeSandboxProviderOptions } from "@/lib/sandbox/fake";
import type { TEventBody, TStoredEvent } from "@/lib/event-log/events";
import { InMemorySessionStore } from "@/lib/event-log/in-memory-session-store";
import { withPublishing } from "@/lib/realtime/publishing-session-store";
import { IN_MEMORY_PREREQS, newSessionInput } from "@/tests/fixtures/seed";

/** A harness wired to the in-memory store, a scripted model and a fake sandbox: no I/O. */
export async function harnessFixture(options: {
  script?: TScriptedTurn[] | TScriptedResponder;
  tools?: unknown[];
  system?: string;
  /** Fields of the session's agent snapshot beyond the defaults (e.g. a coordinator's `multiagent`). */
  agent?: Record<string, unknown>;
  sandbox?: FakeSandboxProviderOptions;
  deps?: Partial<THarnessDeps>;
}) {
  const bus = new InMemoryEventBus();
  const published: TBusMessage[] = [];
  const store = withPublishing(new InMemorySessionStore(), bus);
  const provider = new FakeSandboxProvider({
    exec: (command) => ({ exitCode: 0, stdout: `ran: ${command}\n` }),
    ...options.sandbox,
  });
  const model = new ScriptedModelClient(options.script ?? []);
  const deps: THarnessDeps = {
    store,
    model,
    sandboxes: new SandboxPool(provider),
    bus,
    interruptPollMs: 25,
    modelRetry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    ...options.deps,
  };
  const agentSnapshot = {
    type: "agent",
    id: "agent_test",
    version: 1,
    name: "test",
    model: { id: "claude-test-model" },
    system: options.system ?? null,
    tools: options.tools ?? [{ type: "agent_toolset_20260401" }],
    ...options.agent,
  };
  const session = await store.createSession(newSessionInput(IN_MEMORY_PREREQS, { agentSnapshot }));
  bus.subscribe(session.id, (m) => published.push(m));
  return {
    store,
    model,
    provider,
    deps,
    bus,
    published,
    sessionId: session.id,
    send: (...bodies: unknown[]) => store.appendEvents(session.id, bodies),
    events: () => store.getEvents(session.id, { limit: 10_000 }),
    types: async () => (await store.getEvents(session.id, { limit: 10_000 })).map((e) => e.body.type),
  };
}

/**
 * A script answering `first`, then `then` to every later call, the first answer held until
 * `release()`: what a test sends before releasing it arrives while that call is in flight, however
 * slow the machine (no first-token delay to race).
 */
export function heldFirstAnswer(first: string, then: string): { script: TScriptedResponder; release: () => void } {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  return { script: async (_, call) => (call === 0 ? (await held, textTurn(first)) : textTurn(then)), release };
}

export const userMessage = (text: string) => ({ type: "user.message", content: [{ type: "text", text }] });

export function ofType<T extends TEventBody["type"]>(events: TStoredEvent[], type: T): Array<TStoredEvent & { body: Extract<TEventBody, { type: T }> }> {
  return events.filter((e) => e.body.type === type) as Array<TStoredEvent & { body: Extract<TEventBody, { type: T }> }>;
}

export const textOf = (event: TStoredEvent | undefined) =>
  event && "content" in event.body && Array.isArray(event.body.content) ? event.body.content.map((b) => ("text" in b ? b.text : "")).join("") : "";

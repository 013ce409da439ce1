import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type THarness } from "@/lib/harness/create-harness";
import { createLogger } from "@/lib/log";
import { AnthropicModelClient } from "@/lib/model/anthropic-model-client";
import { DemoModelClient } from "@/lib/model/demo-model-client";
import type { ModelClient } from "@/lib/model/types";
import { InMemoryEventBus } from "@/lib/realtime/event-bus";
import type { TStoredEvent } from "@/lib/event-log/events";
import { PrismaSessionStore } from "@/lib/event-log/prisma/prisma-session-store";
import { workQueueAppendHooks } from "@/lib/harness/prisma-work-queue";
import { loadSessionRepositories } from "@/lib/sessions/session-repositories";
import { openTestDatabase, type TDatabaseKind, type TTestDatabase } from "@/tests/fixtures/databases";
import { startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { newSessionInput, seedSessionPrereqs, type TSessionPrereqs } from "@/tests/fixtures/seed";
import { until } from "@/tests/fixtures/wait";

/**
 * The harness as it runs in the server: a HarnessWorker taking sessions from the durable queue,
 * the real Anthropic SDK against the scripted Messages API, the real bubblewrap sandbox.
 */
export function describeHarnessEndToEnd(kind: TDatabaseKind) {
  describe(`harness end to end on ${kind}`, () => {
    let test: TTestDatabase;
    let api: MessagesApiServer;
    let dataDir: string;
    let prereqs: TSessionPrereqs;
    const harnesses: THarness[] = [];
    const quiet = createLogger({ level: "error" });

    beforeAll(async () => {
      test = await openTestDatabase(kind);
      prereqs = await seedSessionPrereqs(test.db.prisma);
      api = await startMessagesApiServer({ interChunkDelayMs: 1 });
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-e2e-"));
      fs.chmodSync(dataDir, 0o711);
    });
    afterAll(async () => {
      for (const h of harnesses) await h.stop();
      await api?.close();
      await test?.cleanup();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    });

    /** Starts a harness worker with this model; earlier ones are stopped so they claim nothing more. */
    async function start(model: ModelClient): Promise<THarness> {
      for (const h of harnesses.splice(0)) await h.stop();
      const harness = createHarness({
        prisma: test.db.prisma,
        model,
        bus: new InMemoryEventBus(),
        log: quiet,
        settings: { DATA_DIR: dataDir, HARNESS_CONCURRENCY: 10, HARNESS_LEASE_MS: 5_000, SANDBOX_IDLE_MS: 60_000 },
        repositories: loadSessionRepositories,
      });
      harness.worker.start();
      harnesses.push(harness);
      return harness;
    }

    async function newSession(harness: THarness) {
      const agentSnapshot = { type: "agent", model: { id: "claude-e2e" }, system: "Test agent.", tools: [{ type: "agent_toolset_20260401" }] };
      return (await harness.store.createSession(newSessionInput(prereqs, { agentSnapshot }))).id;
    }

    async function untilIdle(harness: THarness, sessionId: string, timeoutMs = 30_000): Promise<TStoredEvent[]> {
      let session: Awaited<ReturnType<THarness["store"]["getSession"]>> | undefined;
      await until(
        `session ${sessionId} to go idle`,
        async () => {
          session = await harness.store.getSession(sessionId);
          return session?.state.status === "idle" && session.state.lastSeq > 1;
        },
        { timeoutMs, detail: () => `its state: ${JSON.stringify(session?.state)}` },
      );
      return harness.store.getEvents(sessionId, { limit: 10_000 });
    }

    const say = (text: string) => [{ type: "user.message", content: [{ type: "text", text }] }];
    const textOf = (e: TStoredEvent | undefined) => JSON.stringify(e?.body ?? null);

    it("runs a turn with a real tool in a bubblewrap sandbox", async () => {
      const harness = await start(new AnthropicModelClient({ apiKey: "test-key", baseURL: api.url }));
      api.enqueue(
        { content: [{ type: "tool_use", name: "bash", input: { command: "echo hello > greet.txt && cat greet.txt && id -u" } }] },
        { content: [{ type: "text", text: "The file says hello." }] },
      );
      const sessionId = await newSession(harness);
      const before = api.requests.length;
      await harness.store.appendEvents(sessionId, say("write and read a file"), { wake: true });
      harness.worker.notify();
      const events = await untilIdle(harness, sessionId);

      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      const result = events.find((e) => e.body.type === "agent.tool_result")!;
      expect(result.body).toMatchObject({ is_error: false });
      expect(textOf(result)).toContain("hello\\n1000"); // ran as the sandbox's unprivileged user
      expect(textOf(events.filter((e) => e.body.type === "agent.message").at(-1))).toContain("The file says hello.");
      const followUp = api.requests[before + 1]!.body!;
      expect(JSON.stringify(followUp.messages.at(-1))).toContain("hello");
      expect(followUp.model).toBe("claude-e2e");
      expect(api.requests[before]!.headers["authorization"] ?? api.requests[before]!.headers["x-api-key"]).toBeTruthy();
    });

    it("stops a turn on an interrupt appended by another process (seen by polling the log)", async () => {
      const harness = await start(new AnthropicModelClient({ apiKey: "test-key", baseURL: api.url }));
      api.enqueue({ hang: true });
      const sessionId = await newSession(harness);
      const before = api.requests.length;
      await harness.store.appendEvents(sessionId, say("take forever"), { wake: true });
      harness.worker.notify();
      await until("the model request", () => api.requests.length > before, { timeoutMs: 15_000, intervalMs: 10 });
      expect(api.requests.length).toBe(before + 1);
      // the request leaves before its start is appended (call-model.ts): the interrupt comes once the
      // turn is running, so that the harness sees it by following the log, not by reading a gap
      await until("the request's start in the log", async () => (await harness.store.getEvents(sessionId)).some((e) => e.body.type === "span.model_request_start"), { intervalMs: 10 });

      const otherProcess = new PrismaSessionStore(test.db.prisma, undefined, workQueueAppendHooks); // no event bus: like a web node elsewhere
      await otherProcess.appendEvents(sessionId, [{ type: "user.interrupt" }], { wake: true });
      const events = await untilIdle(harness, sessionId);
      expect(events.at(-1)!.body).toEqual({ type: "session.status_idle", stop_reason: { type: "end_turn" }, stop_details: null });
      expect(events.find((e) => e.body.type === "span.model_request_end")!.body).toMatchObject({ is_error: true });
      await until("the model call's connection to close", () => api.requests[before]!.clientClosed, { intervalMs: 10 });
      expect(api.requests[before]!.clientClosed).toBe(true); // the model call was aborted, not left running
    });

    it("works with no API key: the built-in demo model drives a real tool", async () => {
      const harness = await start(new DemoModelClient({ firstTokenDelayMs: 0, chunkDelayMs: 0 }));
      const sessionId = await newSession(harness);
      await harness.store.appendEvents(sessionId, say("run `echo demo-ok`"), { wake: true });
      harness.worker.notify();
      const events = await untilIdle(harness, sessionId);
      const result = events.find((e) => e.body.type === "agent.tool_result");
      expect(textOf(result)).toContain("demo-ok");
      expect(textOf(events.filter((e) => e.body.type === "agent.message").at(-1))).toContain("demo-ok");
    });
  });
}

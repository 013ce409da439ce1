import { runRunnableTool } from "@anthropic-ai/sdk/lib/tools/BetaRunnableTool";
import type { BetaRunnableTool, BetaToolRunContext } from "@anthropic-ai/sdk/lib/tools/BetaRunnableTool";
import { describe, expect, it } from "vitest";
import { sandboxedToolset, sessionMemoryMounts } from "@/lib/environments/hands/sandboxed-toolset";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import { BUILTIN_TOOL_DEFINITIONS } from "@/lib/tools";

const context = { toolUse: {}, toolUseBlock: {} } as unknown as BetaToolRunContext;
const toolNamed = (tools: BetaRunnableTool[], name: string) => tools.find((t) => "name" in t && t.name === name)!;
/** As the SDK's session runner runs a call: parse, run, anything thrown → an error result. */
const call = (tools: BetaRunnableTool[], name: string, input: unknown) => runRunnableTool(toolNamed(tools, name), input, context);

describe("the built-in tools as the SDK worker's runnable tools, in a sandbox per session", () => {
  it("offers the six built-in tools with their definitions", () => {
    const tools = sandboxedToolset({ provider: new FakeSandboxProvider(), sessionId: "sesn_1" });
    expect(tools.map((t) => ({ ...t, run: undefined, parse: undefined, close: undefined }))).toEqual(
      BUILTIN_TOOL_DEFINITIONS.map((d) => ({ ...d, run: undefined, parse: undefined, close: undefined })),
    );
  });

  it("provisions one sandbox on the first call, for the session, with the network asked for, and reuses it", async () => {
    const provider = new FakeSandboxProvider();
    const tools = sandboxedToolset({ provider, sessionId: "sesn_1", network: { type: "unrestricted" } });
    expect(provider.provisionCalls).toHaveLength(0);
    expect(await call(tools, "write", { file_path: "/workspace/f", content: "hi\n" })).toMatchObject({ isError: false });
    const read = await call(tools, "read", { file_path: "f" });
    expect(read.isError).toBe(false);
    expect(read.content).toContain("hi");
    expect(provider.provisionCalls).toEqual([{ sessionId: "sesn_1", network: { type: "unrestricted" } }]);
    expect(provider.latest!.files.get("f")?.toString()).toBe("hi\n");
  });

  it("turns an error result into the SDK's error result with the same text", async () => {
    const tools = sandboxedToolset({ provider: new FakeSandboxProvider(), sessionId: "sesn_1" });
    const missing = await call(tools, "read", { file_path: "/workspace/nope" });
    expect(missing.isError).toBe(true);
    expect(missing.content).toMatch(/nope/);
    const invalid = await call(tools, "read", { file_path: "f", colour: "red" });
    expect(invalid).toEqual({ isError: true, content: expect.stringContaining('Invalid input for read: unknown field "colour"') });
    const outside = await call(tools, "read", { file_path: "/etc/passwd" });
    expect(outside.isError).toBe(true);
  });

  it("says so when the sandbox cannot start, and tries again on the next call", async () => {
    const provider = new FakeSandboxProvider();
    provider.failNextProvisions(1);
    const tools = sandboxedToolset({ provider, sessionId: "sesn_1" });
    const failed = await call(tools, "write", { file_path: "f", content: "x" });
    expect(failed).toEqual({ isError: true, content: "The write tool could not start its sandbox: injected provision failure" });
    expect(await call(tools, "write", { file_path: "f", content: "x" })).toMatchObject({ isError: false });
    expect(provider.provisionCalls).toHaveLength(2);
  });

  it("replaces a sandbox that died, and destroys the sandbox on close", async () => {
    const provider = new FakeSandboxProvider();
    const tools = sandboxedToolset({ provider, sessionId: "sesn_1" });
    await call(tools, "write", { file_path: "f", content: "x" });
    const first = provider.latest!;
    first.dieOnNextCall();
    expect(await call(tools, "read", { file_path: "f" })).toMatchObject({ isError: true });
    expect(await call(tools, "write", { file_path: "g", content: "y" })).toMatchObject({ isError: false });
    const second = provider.latest!;
    expect(second).not.toBe(first);

    // the SDK closes every tool of the session: the sandbox goes once
    await Promise.all(tools.map((t) => t.close?.()));
    expect(await second.isAlive()).toBe(false);
    // a call after close provisions again
    expect(await call(tools, "write", { file_path: "h", content: "z" })).toMatchObject({ isError: false });
    expect(provider.provisionCalls).toHaveLength(3);
  });

  it("stops a call the SDK aborts: its sandbox goes with the command, and the next call gets a new one", async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const provider = new FakeSandboxProvider({ exec: () => (started(), new Promise(() => {})) });
    const tools = sandboxedToolset({ provider, sessionId: "sesn_1" });
    const abort = new AbortController();
    const pending = runRunnableTool(toolNamed(tools, "bash"), { command: "sleep 600" }, { ...context, signal: abort.signal });
    await running;
    abort.abort();
    expect(await pending).toEqual({ isError: true, content: "The bash tool was stopped." });
    expect(await provider.latest!.isAlive()).toBe(false);
    expect(await call(tools, "write", { file_path: "f", content: "x" })).toMatchObject({ isError: false });
    expect(provider.provisionCalls).toHaveLength(2);
    // a call whose signal is already aborted runs nothing
    const before = provider.latest!.execCalls.length;
    expect(await runRunnableTool(toolNamed(tools, "bash"), { command: "true" }, { ...context, signal: AbortSignal.abort() })).toEqual({
      isError: true,
      content: "The bash tool was stopped before it ran.",
    });
    expect(provider.latest!.execCalls).toHaveLength(before);
  });

  it("mounts the memory stores the SDK's worker downloaded, at their mount paths, read-only ones read-only", async () => {
    const resources = [
      { type: "memory_store", memory_store_id: "memstore_1", mount_path: "/mnt/memory/notes", access: "read_write" },
      { type: "memory_store", memory_store_id: "memstore_2", mount_path: "/mnt/memory/policies", access: "read_only" },
      { type: "memory_store", memory_store_id: "memstore_3", mount_path: "/mnt/memory/not-downloaded" },
      { type: "memory_store", memory_store_id: "memstore_4", mount_path: "/etc" }, // never outside /mnt/memory
      { type: "file", file_id: "file_1", mount_path: "/mnt/memory/notes" },
    ];
    const mounts = sessionMemoryMounts({
      session: { id: "sesn_1", resources },
      allowedRoots: ["/mnt/memory/notes", "/mnt/memory/policies", "/etc"],
      readOnlyRoots: ["/mnt/memory/policies"],
    });
    expect(mounts).toEqual([
      { name: "notes", hostDir: "/mnt/memory/notes", readOnly: false },
      { name: "policies", hostDir: "/mnt/memory/policies", readOnly: true },
    ]);
    expect(sessionMemoryMounts({ session: { id: "sesn_1", resources } })).toEqual([]); // nothing downloaded: nothing mounted

    const provider = new FakeSandboxProvider();
    const tools = sandboxedToolset({ provider, sessionId: "sesn_1", memoryMounts: mounts });
    await call(tools, "bash", { command: "true" });
    expect(provider.provisionCalls).toEqual([{ sessionId: "sesn_1", memoryMounts: mounts }]);
  });
});

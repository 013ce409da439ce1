import { describe, expect, it } from "vitest";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import { observeFor } from "@/tests/fixtures/wait";

describe("FakeSandboxProvider", () => {
  it("records provision calls and hands out fresh in-memory sandboxes", async () => {
    const provider = new FakeSandboxProvider({ files: { "seed.txt": "seed" } });
    const first = await provider.provision({ sessionId: "sesn_1", resources: { cpuSeconds: 5 } });
    await first.writeFile("/workspace/a/b.txt", "hello");
    const second = await provider.provision({ sessionId: "sesn_1" });
    expect(provider.provisionCalls).toEqual([{ sessionId: "sesn_1", resources: { cpuSeconds: 5 } }, { sessionId: "sesn_1" }]);
    expect((await first.readFile("a/b.txt")).toString()).toBe("hello");
    expect((await second.readFile("seed.txt")).toString()).toBe("seed");
    await expect(second.readFile("a/b.txt")).rejects.toMatchObject({ code: "not_found" });
    await expect(first.readFile("a")).rejects.toMatchObject({ code: "not_a_file" });
    await expect(first.readFile("../x")).rejects.toMatchObject({ code: "path_outside_workspace" });
  });

  it("runs the scripted exec handler with the workspace files", async () => {
    const provider = new FakeSandboxProvider({
      exec: (command, options, { files }) => ({ stdout: `${command}|${options.stdin ?? ""}|${[...files.keys()].join(",")}` }),
    });
    const sandbox = await provider.provision({ sessionId: "s" });
    await sandbox.writeFile("x", "1");
    expect(await sandbox.exec("ls", { stdin: "in" })).toEqual({
      exitCode: 0,
      stdout: "ls|in|x",
      stderr: "",
      timedOut: false,
      truncated: false,
    });
    expect(sandbox.execCalls).toEqual([{ command: "ls", options: { stdin: "in" } }]);
  });

  it("dies on the next call and stays dead", async () => {
    const sandbox = await new FakeSandboxProvider().provision({ sessionId: "s" });
    await sandbox.writeFile("x", "1");
    sandbox.dieOnNextCall();
    await expect(sandbox.readFile("x")).rejects.toMatchObject({ code: "sandbox_dead" });
    await expect(sandbox.exec("true")).rejects.toMatchObject({ code: "sandbox_dead" });
    expect(await sandbox.isAlive()).toBe(false);
  });

  it("fails one call with an injected code", async () => {
    const sandbox = await new FakeSandboxProvider().provision({ sessionId: "s" });
    sandbox.failNextCall("timeout");
    await expect(sandbox.exec("true")).rejects.toMatchObject({ code: "timeout" });
    await expect(sandbox.exec("true")).resolves.toMatchObject({ exitCode: 127 });
  });

  it("hangs until released", async () => {
    const sandbox = await new FakeSandboxProvider({ exec: () => ({ stdout: "done" }) }).provision({ sessionId: "s" });
    sandbox.hang();
    let settled = false;
    const pending = sandbox.exec("x").then((r) => ((settled = true), r));
    await observeFor(20, "the hanging exec settling");
    expect(settled).toBe(false);
    sandbox.unhang();
    await expect(pending).resolves.toMatchObject({ stdout: "done" });
  });

  it("delays and fails provisioning on request", async () => {
    const provider = new FakeSandboxProvider({ provisionDelayMs: 30 });
    const started = Date.now();
    await provider.provision({ sessionId: "s" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    provider.failNextProvisions(1);
    await expect(provider.provision({ sessionId: "s" })).rejects.toMatchObject({ code: "provision_failed" });
    await expect(provider.provision({ sessionId: "s" })).resolves.toBeDefined();
    expect(provider.provisionCalls).toHaveLength(3);
  });

  it("is dead after destroy", async () => {
    const sandbox = await new FakeSandboxProvider().provision({ sessionId: "s" });
    await sandbox.destroy();
    expect(await sandbox.isAlive()).toBe(false);
    await expect(sandbox.writeFile("x", "1")).rejects.toMatchObject({ code: "sandbox_dead" });
  });
});

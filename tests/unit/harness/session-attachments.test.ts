import { describe, expect, it } from "vitest";
import type { TMemoryMount } from "@/lib/harness/memory-mounts";
import type { TSandboxLease } from "@/lib/harness/sandbox-pool";
import { syncAttachments } from "@/lib/harness/session-attachments";
import { SandboxError } from "@/lib/sandbox/errors";
import { FakeSandbox } from "@/lib/sandbox/fake/fake-sandbox";
import type { SandboxAttachments } from "@/lib/sandbox/types";
import { createRedactor } from "@/lib/redact";

const mount = (name: string, over: Partial<TMemoryMount> = {}): TMemoryMount => ({
  storeId: `memstore_${name}`,
  name,
  mountPath: `/mnt/memory/${name}`,
  readOnly: false,
  storeName: name,
  description: "",
  instructions: null,
  ...over,
});

function leaseOf(sandbox: FakeSandbox, memory: TMemoryMount[] = [], repositories: string[] = []): TSandboxLease {
  const secrets: string[] = [];
  return {
    sandbox,
    provider: "fake",
    redact: (text) => createRedactor(secrets).redact(text),
    streamRedactor: () => {
      throw new Error("not used");
    },
    memory,
    copiedFiles: new Set(),
    repositories: new Set(repositories),
    attachmentsTried: null,
    savedOutputs: new Map(),
    addSecrets: (values) => void secrets.push(...values),
  };
}

describe("syncAttachments", () => {
  it("asks nothing of the sandbox when the session's stores and repositories are those it has", async () => {
    const sandbox = new FakeSandbox({ id: "sbx_1" });
    const calls: SandboxAttachments[] = [];
    sandbox.attach = async (change) => void calls.push(change);
    const lease = leaseOf(sandbox, [mount("notes")], ["/workspace/repo"]);
    expect(await syncAttachments(lease, { memory: [mount("notes")], repositories: [{ url: "https://github.com/a/b", mountPath: "/workspace/repo" }] })).toEqual([]);
    expect(calls).toEqual([]);
  });

  it("mounts a store added to the session and unmounts one removed, and clones a new repository once", async () => {
    const sandbox = new FakeSandbox({ id: "sbx_1" });
    await sandbox.writeMount("old", new Map([["a.md", "A"]]));
    const lease = leaseOf(sandbox, [mount("old")]);
    const repo = { url: "https://github.com/a/b", mountPath: "/workspace/b", token: "ghp_secret" };
    expect(await syncAttachments(lease, { memory: [mount("new", { readOnly: true })], repositories: [repo] })).toEqual([]);
    expect(lease.memory.map((m) => m.name)).toEqual(["new"]);
    expect([...sandbox.mounts.keys()]).toEqual([]);
    expect(sandbox.attachedRepositories).toEqual([repo]);
    expect(lease.redact("token ghp_secret")).toBe("token [redacted]");
    await syncAttachments(lease, { memory: [mount("new", { readOnly: true })], repositories: [repo] });
    expect(sandbox.attachedRepositories).toHaveLength(1);
  });

  it("tells once what could not be attached, redacted, and leaves the lease as it was", async () => {
    const sandbox = new FakeSandbox({ id: "sbx_1" });
    let calls = 0;
    sandbox.attach = async () => {
      calls += 1;
      throw new SandboxError("io_error", "clone with ghp_secret failed");
    };
    const lease = leaseOf(sandbox);
    const now = { memory: [mount("notes")], repositories: [{ url: "https://github.com/a/b", mountPath: "/workspace/b", token: "ghp_secret" }] };
    expect(await syncAttachments(lease, now)).toEqual([
      expect.stringContaining("memory stores could not be mounted"),
      "The repository https://github.com/a/b was not cloned to /workspace/b: clone with [redacted] failed",
    ]);
    expect([lease.memory, [...lease.repositories]]).toEqual([[], []]);
    expect(await syncAttachments(lease, now)).toEqual([]);
    expect(calls).toBe(2);
  });
});

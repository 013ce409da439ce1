import { describe, expect, it } from "vitest";
import { parseListing, saveOutputs, type TSessionOutputs } from "@/lib/harness/session-outputs";
import { FakeSandbox } from "@/lib/sandbox/fake/fake-sandbox";

/** A sandbox whose `find` lists its workspace's files under outputs/, with a stamp per content. */
function sandboxWith(files: Record<string, string>) {
  return new FakeSandbox({
    id: "sbx_1",
    files,
    exec: (_command, _options, { files: all }) => ({
      exitCode: 0,
      stdout: [...all.entries()]
        .filter(([p]) => p.startsWith("outputs/"))
        .map(([p, b]) => `${b.byteLength}\t${b.toString("utf8").length}.5\t${p.slice("outputs/".length)}\0`)
        .join(""),
    }),
  });
}

function recorder(maxBytes = 1000): TSessionOutputs & { saved: Array<{ sessionId: string; relativePath: string; text: string }> } {
  const saved: Array<{ sessionId: string; relativePath: string; text: string }> = [];
  return {
    maxBytes,
    saved,
    async save(sessionId, output) {
      saved.push({ sessionId, relativePath: output.relativePath, text: output.bytes.toString("utf8") });
      return { fileId: `file_${saved.length}` };
    },
  };
}

describe("parseListing", () => {
  it("reads find's NUL-separated lines and drops what is not a plain relative path", () => {
    expect(parseListing("12\t1733.5\treport.md\x003\t1.0\tdir/a\tb.txt\x00x\t1\tbad\x001\t1\t../up\x00")).toEqual([
      { relativePath: "report.md", size: 12, stamp: "1733.5" },
      { relativePath: "dir/a\tb.txt", size: 3, stamp: "1.0" },
    ]);
  });
});

describe("saveOutputs", () => {
  it("saves new and changed files under /workspace/outputs after a writing tool, once each", async () => {
    const sandbox = sandboxWith({ "outputs/report.md": "v1", "outputs/charts/a.csv": "1,2", "notes.md": "not an output" });
    const outputs = recorder();
    const seen = new Map<string, string>();
    const run = (toolName: string) => saveOutputs({ outputs, sandbox, sessionId: "sesn_1", toolName, seen });
    expect(await run("bash")).toEqual([]);
    expect(outputs.saved.map((s) => [s.relativePath, s.text]).sort()).toEqual([["charts/a.csv", "1,2"], ["report.md", "v1"]]);
    expect(await run("bash")).toEqual([]);
    expect(outputs.saved).toHaveLength(2);
    sandbox.files.set("outputs/report.md", Buffer.from("version 2"));
    await run("read"); // a tool that does not write: not looked at
    expect(outputs.saved).toHaveLength(2);
    await run("write");
    expect(outputs.saved.at(-1)).toEqual({ sessionId: "sesn_1", relativePath: "report.md", text: "version 2" });
  });

  it("tells of a file over the size limit instead of saving it", async () => {
    const sandbox = sandboxWith({ "outputs/big.bin": "x".repeat(20) });
    const outputs = recorder(10);
    expect(await saveOutputs({ outputs, sandbox, sessionId: "sesn_1", toolName: "bash", seen: new Map() })).toEqual([
      "/workspace/outputs/big.bin was not saved as a file: 20 bytes is over the limit of 10.",
    ]);
    expect(outputs.saved).toEqual([]);
  });
});

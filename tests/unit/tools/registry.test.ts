import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { FakeSandboxProvider } from "@/lib/sandbox/fake";
import { BUILTIN_TOOL_DEFINITIONS, BUILTIN_TOOLS, executeTool, getTool } from "@/lib/tools";

describe("built-in tool registry", () => {
  it("has the six tools, with the agreed idempotency", () => {
    expect(Object.fromEntries(BUILTIN_TOOLS.map((tool) => [tool.name, tool.idempotent]))).toEqual({
      bash: false,
      read: true,
      write: true,
      edit: false,
      glob: true,
      grep: true,
    });
    expect(getTool("read")?.name).toBe("read");
    expect(getTool("web_search")).toBeUndefined();
  });

  it.each(BUILTIN_TOOLS.map((tool) => [tool.name, tool] as const))(
    "%s: the model's schema lists exactly the fields the validator accepts",
    (_name, tool) => {
      const schema = tool.definition.input_schema;
      expect(tool.definition.name).toBe(tool.name);
      expect(schema.additionalProperties).toBe(false);
      const keys = Object.keys((tool.inputSchema as unknown as z.ZodObject).shape);
      expect(Object.keys(schema.properties).sort()).toEqual(keys.sort());
      for (const field of schema.required) {
        expect(tool.inputSchema.safeParse({}).error?.issues.some((issue) => issue.path[0] === field)).toBe(true);
      }
    },
  );

  it("exposes definitions ready for the Messages API", () => {
    expect(BUILTIN_TOOL_DEFINITIONS.map((d) => d.name)).toEqual(["bash", "read", "write", "edit", "glob", "grep"]);
    for (const definition of BUILTIN_TOOL_DEFINITIONS) {
      expect(definition.description.length).toBeGreaterThan(20);
      expect(definition.input_schema.type).toBe("object");
    }
  });

  it("never throws: unknown tools, bad input, sandbox failures and internal errors become error results", async () => {
    const provider = new FakeSandboxProvider({
      exec: () => {
        throw new Error("boom at /srv/data/secret-path");
      },
    });
    const sandbox = await provider.provision({ sessionId: "s" });
    expect(await executeTool(sandbox, "web_search", {})).toMatchObject({ isError: true, errorCode: "unknown_tool" });
    expect(await executeTool(sandbox, "read", null)).toMatchObject({ isError: true, errorCode: "invalid_input" });
    const internal = await executeTool(sandbox, "bash", { command: "ls" });
    expect(internal).toEqual({ content: "The bash tool failed with an internal error.", isError: true, errorCode: "internal_error" });
    sandbox.failNextCall("timeout");
    expect(await executeTool(sandbox, "read", { file_path: "a" })).toMatchObject({ isError: true, errorCode: "timeout" });
    sandbox.kill();
    expect(await executeTool(sandbox, "glob", { pattern: "*" })).toMatchObject({ isError: true, errorCode: "sandbox_dead" });
  });
});

import "server-only";
import { createHash } from "node:crypto";

/**
 * The name the model sees for an MCP tool. Decision: `<server>__<tool>` (two underscores), e.g.
 * `github__create_issue`, so the model can tell which server a tool belongs to and no MCP tool can
 * take the name of a built-in tool (none contains `__`).
 *
 * The plain form is used only when it is a valid Messages API tool name (`[A-Za-z0-9_-]`, at most
 * 64 characters) and unambiguous: the server name holds no `__` and does not end in `_`, so the
 * first `__` is the separator and two different (server, tool) pairs never share a name. Otherwise
 * — and when the plain form is already taken by one of the agent's own tools (`reserved`) — the
 * name is the plain form with other characters replaced by `_`, cut to fit, followed by `_` and 10
 * hex digits of a hash of (server, tool). The name depends only on (server, tool) and the agent's
 * own tool names, so the same call gets the same name in every request of the session.
 */
export const MAX_MODEL_TOOL_NAME = 64;
const HASH_CHARS = 10;

export function mcpModelToolName(server: string, tool: string, reserved: ReadonlySet<string> = new Set()): string {
  const plain = `${server}__${tool}`;
  const plainIsSafe =
    /^[A-Za-z0-9-](?:[A-Za-z0-9-]|_(?!_))*$/.test(server) && !server.endsWith("_") && /^[A-Za-z0-9_-]+$/.test(tool) && plain.length <= MAX_MODEL_TOOL_NAME;
  if (plainIsSafe && !reserved.has(plain)) return plain;
  const hash = createHash("sha256").update(server).update("\0").update(tool).digest("hex").slice(0, HASH_CHARS);
  const readable = plain.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, MAX_MODEL_TOOL_NAME - HASH_CHARS - 1);
  return `${readable}_${hash}`;
}

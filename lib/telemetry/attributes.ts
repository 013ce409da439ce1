import "server-only";

/**
 * This product's own span attributes, beside the GenAI semantic conventions' (`gen_ai.*`, from
 * `@opentelemetry/semantic-conventions`). Ids only: no attribute ever carries a secret, and none
 * carries a prompt, an output or a tool's input unless content capture is on.
 */
export const ATTR_ENVIRONMENT_ID = "managed_agents.environment.id";
export const ATTR_TURN_STEPS = "managed_agents.turn.steps";
/** The session thread (`sthr_…`) a coordinator's child thread's `invoke_agent` span is the turn of. */
export const ATTR_SESSION_THREAD_ID = "managed_agents.session_thread.id";
export const ATTR_TOOL_IS_ERROR = "managed_agents.tool.is_error";
export const ATTR_SANDBOX_PROVIDER = "managed_agents.sandbox.provider";
export const ATTR_SANDBOX_ID = "managed_agents.sandbox.id";
export const ATTR_SANDBOX_TIMED_OUT = "managed_agents.sandbox.timed_out";
/** The exit status of a command (OpenTelemetry's process attribute). */
export const ATTR_PROCESS_EXIT_CODE = "process.exit.code";
/** The MCP server (by its name in the agent's definition) whose tool an `execute_tool` span calls. */
export const ATTR_MCP_SERVER_NAME = "managed_agents.mcp.server.name";
/** The MCP method (OpenTelemetry's MCP conventions): `tools/call` for a tool call. */
export const ATTR_MCP_METHOD_NAME = "mcp.method.name";
/** The egress proxy's requests (`egress.request` spans): whether it terminated TLS to apply a credential. */
export const ATTR_EGRESS_INTERCEPTED = "managed_agents.egress.intercepted";

export { BUILTIN_TOOLS, BUILTIN_TOOL_DEFINITIONS, executeTool, formatInputError, getTool } from "./registry";
export type { BuiltinToolName } from "./registry";
export type { BuiltinTool, ToolDefinition, ToolErrorCode, ToolResult } from "./types";
export { bashTool } from "./bash";
export { readTool } from "./read";
export { writeTool } from "./write";
export { editTool } from "./edit";
export { globTool } from "./glob";
export { grepTool } from "./grep";

export { ModelError, isAbortError } from "./types";
export type {
  ModelClient,
  TModelContentBlock,
  TModelDelta,
  TModelRequest,
  TModelResponse,
  TModelUsage,
  TStreamOptions,
} from "./types";
export { AnthropicModelClient, DEFAULT_ANTHROPIC_BASE_URL } from "./anthropic-model-client";
export type { TAnthropicModelClientOptions } from "./anthropic-model-client";
export { DemoModelClient, DEMO_MODEL_DESCRIPTION } from "./demo-model-client";
export type { TDemoModelClientOptions } from "./demo-model-client";
export { ScriptedModelClient, textTurn, toolUseTurn } from "./scripted-model-client";
export type {
  TScriptedCall,
  TScriptedContentTurn,
  TScriptedResponder,
  TScriptedTurn,
} from "./scripted-model-client";
export { createModelClient } from "./create-model-client";
export type { TCreateModelClientOptions, TModelEnv } from "./create-model-client";
export { createAbortError } from "./abort";

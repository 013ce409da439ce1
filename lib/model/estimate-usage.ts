import type { TModelContentBlock, TModelRequest, TModelUsage } from "./types";

/** Roughly four characters per token. */
export function estimateTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

function blockChars(block: TModelContentBlock): number {
  switch (block.type) {
    case "text":
      return block.text.length;
    case "thinking":
      return block.thinking.length;
    case "tool_use":
      return block.name.length + JSON.stringify(block.input).length;
  }
}

/** Usage for models that count nothing: input from everything the model reads, output from its answer. */
export function estimateUsage(request: TModelRequest, content: TModelContentBlock[]): TModelUsage {
  const read = JSON.stringify([request.system ?? [], request.tools ?? [], request.messages]);
  const written = content.reduce((sum, block) => sum + blockChars(block), 0);
  return {
    input_tokens: estimateTokens(read.length),
    output_tokens: estimateTokens(written),
    cache_read_input_tokens: 0,
    cache_creation_input_tokens: 0,
  };
}

export function defaultStopReason(content: TModelContentBlock[]): "tool_use" | "end_turn" {
  return content.some((block) => block.type === "tool_use") ? "tool_use" : "end_turn";
}

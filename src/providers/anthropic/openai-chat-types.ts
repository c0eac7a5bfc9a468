/**
 * @module providers/anthropic/openai-chat-types
 * The OpenAI chat-completion shapes the Anthropic translation produces. Declared here because the
 * `openai` package is only a test dependency; anthropic-response.test.ts checks that these values
 * are assignable to the SDK's own types (hence mutable arrays: a readonly array is not assignable
 * to the SDK's).
 * @see https://platform.openai.com/docs/api-reference/chat/object
 */

/** `finish_reason` values of a chat completion. */
export type OpenAIFinishReason = "stop" | "length" | "tool_calls" | "content_filter";

/** Where reasoning text goes in messages and deltas: DeepSeek's and vLLM's old name, or the newer one. */
export type ReasoningField = "reasoning_content" | "reasoning";

/** `usage` of a chat completion. `prompt_tokens` counts cached input too, as OpenAI's does. */
export interface OpenAIUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
  readonly prompt_tokens_details?: { readonly cached_tokens: number };
}

/** A tool call in a message. */
export interface OpenAIToolCall {
  readonly id: string;
  readonly type: "function";
  readonly function: { readonly name: string; readonly arguments: string };
}

/** The assistant message of a chat completion (plus an optional reasoning field). */
export interface OpenAIAssistantMessage {
  readonly role: "assistant";
  readonly content: string | null;
  readonly refusal: null;
  readonly tool_calls?: OpenAIToolCall[];
  readonly reasoning_content?: string;
  readonly reasoning?: string;
}

/** A non-streaming chat completion. */
export interface OpenAIChatCompletion {
  readonly id: string;
  readonly object: "chat.completion";
  readonly created: number;
  readonly model: string;
  readonly choices: [
    {
      readonly index: 0;
      readonly message: OpenAIAssistantMessage;
      readonly logprobs: null;
      readonly finish_reason: OpenAIFinishReason;
    },
  ];
  readonly usage?: OpenAIUsage;
}

/** A tool-call fragment of a stream delta. */
export interface OpenAIToolCallDelta {
  readonly index: number;
  readonly id?: string;
  readonly type?: "function";
  readonly function: { readonly name?: string; readonly arguments: string };
}

/** The `delta` of a chunk. */
export interface OpenAIChunkDelta {
  readonly role?: "assistant";
  readonly content?: string;
  readonly tool_calls?: OpenAIToolCallDelta[];
  readonly reasoning_content?: string;
  readonly reasoning?: string;
}

/** One `chat.completion.chunk`. The usage chunk has `choices: []`. */
export interface OpenAIChatCompletionChunk {
  readonly id: string;
  readonly object: "chat.completion.chunk";
  readonly created: number;
  readonly model: string;
  readonly choices: {
    readonly index: 0;
    readonly delta: OpenAIChunkDelta;
    readonly logprobs: null;
    readonly finish_reason: OpenAIFinishReason | null;
  }[];
  readonly usage?: OpenAIUsage | null;
}

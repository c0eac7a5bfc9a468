/**
 * @module providers/anthropic/convert-anthropic-usage
 * Anthropic usage → OpenAI usage.
 * @see https://platform.claude.com/docs/en/build-with-claude/prompt-caching#tracking-cache-performance
 */
import type { AnthropicUsage } from "./anthropic-wire.js";
import type { OpenAIUsage } from "./openai-chat-types.js";

/**
 * Anthropic's `input_tokens` leaves out cached input (cache reads and cache writes are counted
 * apart), while OpenAI's `prompt_tokens` includes it, with the cache hits repeated in
 * `prompt_tokens_details.cached_tokens`. Returns undefined when Anthropic sent no counts, so
 * missing usage is recorded as unknown, not zero.
 */
export function convertAnthropicUsage(usage: AnthropicUsage | null | undefined): OpenAIUsage | undefined {
  if (usage === null || usage === undefined) return undefined;
  const input = usage.input_tokens ?? undefined;
  const output = usage.output_tokens ?? undefined;
  if (input === undefined && output === undefined) return undefined;
  const cacheRead = usage.cache_read_input_tokens ?? undefined;
  const promptTokens = (input ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (cacheRead ?? 0);
  const completionTokens = output ?? 0;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    ...(cacheRead === undefined ? {} : { prompt_tokens_details: { cached_tokens: cacheRead } }),
  };
}

/**
 * Folds a later usage report into an earlier one: `message_delta` counts are cumulative totals
 * that replace the `message_start` ones, and a field it leaves out keeps its earlier value.
 */
export function mergeAnthropicUsage(earlier: AnthropicUsage | undefined, later: AnthropicUsage | null | undefined): AnthropicUsage | undefined {
  if (later === null || later === undefined) return earlier;
  if (earlier === undefined) return later;
  return {
    input_tokens: later.input_tokens ?? earlier.input_tokens,
    output_tokens: later.output_tokens ?? earlier.output_tokens,
    cache_creation_input_tokens: later.cache_creation_input_tokens ?? earlier.cache_creation_input_tokens,
    cache_read_input_tokens: later.cache_read_input_tokens ?? earlier.cache_read_input_tokens,
  };
}

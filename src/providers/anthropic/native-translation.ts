/**
 * @module providers/anthropic/native-translation
 * The functions the request path calls to speak Anthropic's native Messages API instead of its
 * OpenAI-compatible endpoint, for routes whose target wire is `anthropic-messages`: the upstream
 * target (upstream/upstream-target.ts), the request body (compat/native-request.ts), error bodies
 * (upstream/wire-errors.ts) and answers (compat/native-answer.ts). See docs/providers/anthropic.md.
 */
export { anthropicHeaders, anthropicMessagesUrl, ANTHROPIC_VERSION } from "./anthropic-endpoint.js";
export { convertToAnthropicRequest, type AnthropicRequestOptions, type AnthropicRequestTranslation } from "./convert-to-anthropic-request.js";
export { convertAnthropicResponse, type AnthropicResponseOptions } from "./convert-anthropic-response.js";
export { AnthropicStreamTranslator, type AnthropicStreamOptions } from "./anthropic-stream-translator.js";
export { convertAnthropicError, isRetryableAnthropicError, type AnthropicErrorInput, type AnthropicUpstreamError } from "./anthropic-error.js";
export type { DroppedParam } from "./dropped-params.js";
export { REASONING_EFFORT_BUDGETS } from "./map-reasoning-effort.js";

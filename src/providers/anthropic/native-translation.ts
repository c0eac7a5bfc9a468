/**
 * @module providers/anthropic/native-translation
 * The functions the request path calls to speak Anthropic's native Messages API instead of its
 * OpenAI-compatible endpoint. Not wired yet: chat still goes to `/v1/chat/completions` (see
 * docs/providers/anthropic.md, "Native API translation (not yet wired)").
 */
export { anthropicHeaders, anthropicMessagesUrl, ANTHROPIC_VERSION } from "./anthropic-endpoint.js";
export { convertToAnthropicRequest, type AnthropicRequestOptions, type AnthropicRequestTranslation } from "./convert-to-anthropic-request.js";
export { convertAnthropicResponse, type AnthropicResponseOptions } from "./convert-anthropic-response.js";
export { AnthropicStreamTranslator, type AnthropicStreamOptions } from "./anthropic-stream-translator.js";
export { convertAnthropicError, isRetryableAnthropicError, type AnthropicErrorInput, type AnthropicUpstreamError } from "./anthropic-error.js";
export type { DroppedParam } from "./dropped-params.js";
export { REASONING_EFFORT_BUDGETS } from "./map-reasoning-effort.js";

/**
 * @module providers/anthropic/translation-core
 * The zod-backed half of the Messages translation (requests, answers, streams), split from the
 * endpoint and error helpers so it can be loaded on demand (compat/anthropic-translator.ts).
 */
export { convertToAnthropicRequest } from "./convert-to-anthropic-request.js";
export { convertAnthropicResponse } from "./convert-anthropic-response.js";
export { AnthropicStreamTranslator } from "./anthropic-stream-translator.js";

/**
 * @module upstream/wire-errors
 * Error bodies per wire: each turns a failed response (status kept) into the OpenAI error body.
 * A table looked up by the target's wire, read only when an upstream answered an error status.
 */
import { normalizeUpstreamError, type UpstreamErrorInput } from "../errors/normalize-upstream-error.js";
import type { OpenAIErrorBody } from "../errors/openai-error-body.js";
import { convertAnthropicError } from "../providers/anthropic/anthropic-error.js";
import { convertAzureError } from "../providers/azure/azure-content-filter.js";
import type { Wire } from "../providers/types.js";

/** Converts one error response of a wire. */
export type WireErrorConverter = (input: UpstreamErrorInput) => OpenAIErrorBody;

/** The converter per wire. Anthropic's 529 `overloaded_error` keeps its status, which the retry policy retries (5xx). */
export const WIRE_ERROR_CONVERTERS: Readonly<Record<Wire, WireErrorConverter>> = {
  openai: normalizeUpstreamError,
  "anthropic-messages": (input) => convertAnthropicError(input).body,
  "azure-openai": (input) => convertAzureError(input).body,
};

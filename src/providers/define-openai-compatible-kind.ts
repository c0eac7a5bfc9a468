/**
 * @module providers/define-openai-compatible-kind
 * Builds a {@link ProviderKind} for an upstream that speaks OpenAI wire format, so each such kind
 * is a few lines of data.
 */
import type { Endpoint, ProviderKind } from "./types.js";

/** Endpoints nearly every OpenAI-compatible text server serves. */
export const TEXT_ENDPOINTS: readonly Endpoint[] = ["chat", "completions", "embeddings", "models"];

/** Every endpoint, for servers that also do audio (OpenAI itself, the generic kind). */
export const ALL_ENDPOINTS: readonly Endpoint[] = ["chat", "completions", "embeddings", "speech", "transcriptions", "models"];

/** The fields a kind must state; the rest default to bearer auth and the text endpoints. */
export interface OpenAICompatibleKindOptions extends Omit<ProviderKind, "auth" | "endpoints"> {
  readonly auth?: ProviderKind["auth"];
  readonly endpoints?: readonly Endpoint[];
}

/** Declares an OpenAI-wire provider kind. */
export function defineOpenAICompatibleKind(options: OpenAICompatibleKindOptions): ProviderKind {
  return {
    ...options,
    auth: options.auth ?? "bearer",
    endpoints: new Set(options.endpoints ?? TEXT_ENDPOINTS),
  };
}

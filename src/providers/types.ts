/**
 * @module providers/types
 * What a provider kind declares. A kind is data plus a few named hooks; absent optional members
 * mean "not supported" or "OpenAI wire format as-is".
 */
import type { KindParameters } from "./parameter-rules.js";

/** The OpenAI endpoints the gateway serves under `/v1`. */
export type Endpoint = "chat" | "completions" | "embeddings" | "speech" | "transcriptions" | "models";

/**
 * A service a credential may point at a different server for (SPEC §3): the generic kind can send
 * embeddings to one box and speech to another.
 */
export type Service = "chat" | "embedding" | "tts" | "stt";

/**
 * The wire protocol the gateway speaks to a kind's chat endpoint. `openai` bodies pass through
 * (decision 0002); `anthropic-messages` is translated to and from Anthropic's native Messages API
 * (providers/anthropic/native-translation.ts); `azure-openai` is OpenAI's wire with Azure's
 * deployment URLs, stream quirks and content-filter errors (providers/azure/native-translation.ts).
 */
export type Wire = "openai" | "anthropic-messages" | "azure-openai";

/** How the API key is presented upstream: `Authorization: Bearer`, Azure's `api-key` header, or not at all. */
export type AuthStyle = "bearer" | "api-key" | "none";

/** Which service (and so which base URL and key) serves an endpoint. */
export const SERVICE_FOR_ENDPOINT: Readonly<Record<Endpoint, Service>> = {
  chat: "chat",
  completions: "chat",
  models: "chat",
  embeddings: "embedding",
  speech: "tts",
  transcriptions: "stt",
};

/** Path appended to a base URL (which already carries its version prefix, e.g. `/v1`). */
export const ENDPOINT_PATHS: Readonly<Record<Endpoint, string>> = {
  chat: "/chat/completions",
  completions: "/completions",
  embeddings: "/embeddings",
  speech: "/audio/speech",
  transcriptions: "/audio/transcriptions",
  models: "/models",
};

/** Environment variables a kind reads, first match wins within each list. */
export interface ProviderEnvironment {
  readonly baseUrl?: readonly string[];
  readonly apiKey?: readonly string[];
  /** Per-service base URL variables (the generic kind's `…_EMBEDDING`, `…_TTS`, `…_STT`). */
  readonly serviceBaseUrl?: Readonly<Partial<Record<Service, readonly string[]>>>;
  readonly serviceApiKey?: Readonly<Partial<Record<Service, readonly string[]>>>;
  /**
   * Variables that hold only a resource endpoint (Azure's `AZURE_OPENAI_ENDPOINT`); `path` is
   * appended to make the base URL. Used when no `baseUrl` variable is set.
   */
  readonly endpoint?: { readonly variables: readonly string[]; readonly path: string };
}

/** One provider kind: `ollama`, `openai`, `groq`, … */
export interface ProviderKind {
  /** Kind id; also the default prefix of the built-in provider of this kind. */
  readonly id: string;
  /** Human name for banners, docs and the console. */
  readonly displayName: string;
  /** Local servers work with zero configuration; cloud kinds are active only once a key is found. */
  readonly local: boolean;
  readonly defaults: {
    readonly baseUrl: string;
    /** Key sent when none is configured; local servers often expect any non-empty key. */
    readonly apiKey?: string;
  };
  readonly env: ProviderEnvironment;
  readonly auth: AuthStyle;
  /** The wire its chat endpoint speaks; absent means `openai` (pass-through). */
  readonly wire?: Wire;
  /** Endpoints the upstream serves; others are refused before any network call. */
  readonly endpoints: ReadonlySet<Endpoint>;
  /** Headers every request to this kind carries (besides auth), e.g. OpenRouter attribution. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * How `GET /v1/models` lists this kind's models: its OpenAI-style `/models` (default), or the
   * kind's native discovery format when the OpenAI-style list is refused (Anthropic's `/v1/models`
   * wants `x-api-key`, not a Bearer token).
   */
  readonly modelList?: "openai" | "native";
  /** Docs page for this kind, relative to the repository root. */
  readonly docs?: string;
  /** Where the upstream departs from OpenAI on parameters and answers (providers/parameter-rules.ts). */
  readonly parameters?: KindParameters;
  /**
   * A local kind outside SPEC's zero-configuration table (LocalAI, TGI, text-generation-webui): its
   * built-in provider exists only once its base URL variable is set, so `/v1/models` does not probe
   * ports nothing was asked to use.
   */
  readonly optIn?: boolean;
}

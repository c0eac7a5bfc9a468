/**
 * @module discovery/discovery-types
 * The shapes model discovery and connection tests take and return. The input is deliberately
 * small and plain, so a caller holding a freshly decrypted credential can build one without
 * resolving a whole provider first.
 */
import type { Timeouts } from "../config/resolve-providers.js";
import type { PoolRegistry } from "../upstream/pool-registry.js";
import type { OutboundPolicy } from "../security/outbound-policy.js";

/** What a model is for: the four services a credential can serve (SPEC §3). */
export type ModelType = "chat" | "embedding" | "tts" | "stt";

/** One model as a provider's own list endpoint describes it. */
export interface DiscoveredModel {
  /** The upstream's name for the model: what goes in `model` when calling it. */
  readonly id: string;
  readonly displayName?: string;
  readonly type: ModelType;
  readonly contextWindow?: number;
  /** USD per million input tokens, when the provider publishes prices (OpenRouter). */
  readonly inputPricePerMillion?: number;
  /** USD per million output tokens. */
  readonly outputPricePerMillion?: number;
  readonly ownedBy?: string;
}

/** Where and how to reach one provider's model list. */
export interface DiscoveryInput {
  /**
   * Provider kind id (`ollama`, `openrouter`, `anthropic`, `gemini`, `azure`, …). It picks the
   * list format and the auth header; any other id gets the OpenAI `GET {base}/models` format.
   */
  readonly kind: string;
  /** The base URL as configured, e.g. `http://127.0.0.1:11434/v1` or an Azure endpoint. */
  readonly baseUrl: string;
  /** The decrypted key, if any. It goes in a header only, never in a URL or a diagnosis. */
  readonly apiKey?: string | undefined;
  /** Extra headers (OpenRouter attribution, proxy auth). Their values never appear in diagnoses. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Connect, first-byte and idle limits; missing ones take the gateway defaults. */
  readonly timeouts?: Partial<Timeouts> | undefined;
  /** Pools to share with the gateway; without one, a private pool is opened and closed per call. */
  readonly pools?: PoolRegistry | undefined;
}

/** Per-call options. */
export interface DiscoveryOptions {
  /** Aborting rejects with the signal's reason; it is never reported as a diagnosis. */
  readonly signal?: AbortSignal | undefined;
  /** Deadline for the whole listing, every page included. */
  readonly timeoutMs?: number | undefined;
  /** The outbound policy for the private pool opened when the input brings no `pools`; mode `local` by default. */
  readonly outbound?: OutboundPolicy | undefined;
}

/** Stable outcome codes of a connection test; everything but `ok` is also a discovery failure. */
export type ConnectionTestCode =
  | "ok"
  | "refused"
  | "dns"
  | "tls"
  | "timeout"
  | "unauthorized"
  | "forbidden"
  | "not_found_path"
  | "model_loading"
  | "bad_response"
  | "server_error"
  | "unreachable"
  /** The outbound policy refused the address (security/outbound-policy.ts); nothing was sent. */
  | "outbound_forbidden";

/** The codes a failed discovery carries. */
export type DiscoveryFailureCode = Exclude<ConnectionTestCode, "ok">;

/** What a connection test found, in words a user can act on. */
export interface ConnectionTestResult {
  readonly ok: boolean;
  /** Request sent → first response headers; null when no answer came at all. */
  readonly latencyMs: number | null;
  /** HTTP status of the last answer, when there was one. */
  readonly status?: number;
  /** Models listed, on success. */
  readonly modelCount?: number;
  /** Plain-language finding; never contains the key or any header value. */
  readonly diagnosis: string;
  readonly code: ConnectionTestCode;
}

/**
 * @module upstream/upstream-target
 * An upstream endpoint ready to call: pool, path and headers worked out once when config loads,
 * so the hot path only looks one up.
 */
import type { Pool } from "undici";
import type { ProviderSettings, Timeouts } from "../config/resolve-providers.js";
import { anthropicHeaders, anthropicMessagesUrl } from "../providers/anthropic/anthropic-endpoint.js";
import { ENDPOINT_PATHS, SERVICE_FOR_ENDPOINT, type Endpoint, type Wire } from "../providers/types.js";
import type { PoolRegistry } from "./pool-registry.js";

/** Everything needed to send one request to one provider endpoint. */
export interface UpstreamTarget {
  /** Provider name (the model-id prefix). */
  readonly provider: string;
  readonly endpoint: Endpoint;
  /**
   * The wire this endpoint speaks (providers/types.ts). Only Anthropic's chat endpoint is
   * `anthropic-messages`; its model list stays OpenAI-style.
   */
  readonly wire: Wire;
  readonly pool: Pool;
  /** `host:port`, for error messages (never with credentials). */
  readonly host: string;
  /** Request path including the base URL's path and query. */
  readonly path: string;
  /** Auth and extra headers, plus `content-type: application/json`. Shared, never mutated. */
  readonly jsonHeaders: Readonly<Record<string, string>>;
  /** Auth and extra headers only, for multipart and GET requests. */
  readonly baseHeaders: Readonly<Record<string, string>>;
  readonly timeouts: Timeouts;
  /** Values that must be scrubbed from anything relayed to clients. */
  readonly secrets: readonly string[];
}

/** Builds the target for one provider endpoint. */
export function buildUpstreamTarget(provider: ProviderSettings, endpoint: Endpoint, pools: PoolRegistry): UpstreamTarget {
  const service = provider.services[SERVICE_FOR_ENDPOINT[endpoint]];
  const url = new URL(service.baseUrl.value);
  const apiKey = service.apiKey.value;
  const baseHeaders: Record<string, string> = { ...provider.headers };
  if (apiKey !== undefined && apiKey !== "") {
    if (provider.kind.auth === "bearer") baseHeaders["authorization"] = `Bearer ${apiKey}`;
    else if (provider.kind.auth === "api-key") baseHeaders["api-key"] = apiKey;
  }
  // Extra header values may be credentials too (X-Api-Key style headers): scrub them like the key.
  const secrets = [...(apiKey === undefined ? [] : [apiKey]), ...Object.values(provider.headers)].filter((value) => value.length >= 4);
  const wire: Wire = provider.wire === "anthropic-messages" && endpoint !== "chat" ? "openai" : provider.wire;
  if (wire === "anthropic-messages") {
    // Native Messages: `{root}/v1/messages`, `x-api-key` + `anthropic-version`, no Bearer header.
    const messages = new URL(anthropicMessagesUrl(service.baseUrl.value));
    const headers = { ...provider.headers, ...anthropicHeaders(apiKey) };
    return {
      provider: provider.name,
      endpoint,
      wire,
      pool: pools.get(messages.origin, provider.timeouts.connectMs),
      host: messages.host,
      path: messages.pathname,
      jsonHeaders: headers,
      baseHeaders: { ...provider.headers, ...(apiKey === undefined || apiKey === "" ? {} : { "x-api-key": apiKey }) },
      timeouts: provider.timeouts,
      secrets,
    };
  }
  return {
    provider: provider.name,
    endpoint,
    wire,
    pool: pools.get(url.origin, provider.timeouts.connectMs),
    host: url.host,
    path: `${url.pathname.replace(/\/+$/, "")}${ENDPOINT_PATHS[endpoint]}${url.search}`,
    jsonHeaders: { ...baseHeaders, "content-type": "application/json" },
    baseHeaders,
    timeouts: provider.timeouts,
    secrets,
  };
}

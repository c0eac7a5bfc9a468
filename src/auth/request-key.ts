/**
 * @module auth/request-key
 * The gateway key a `/v1` request was authenticated with, carried on the request object under a
 * symbol, and the per-model check the endpoints make once they know the model: the key's
 * allow-list (403) and its tokens-per-minute limit (429). Requests without a key pass untouched.
 */
import type { IncomingMessage } from "node:http";
import { GatewayError } from "../errors/gateway-error.js";
import type { InMemoryRateLimiter } from "../limits/in-memory-rate-limiter.js";
import type { ActiveGatewayKey } from "./gateway-key-index.js";

const GATEWAY_KEY = Symbol("switchyard.gateway-key");

/** What an authenticated request carries. */
export interface RequestKey {
  readonly key: ActiveGatewayKey;
  readonly limiter: InMemoryRateLimiter;
}

type TaggedRequest = IncomingMessage & { [GATEWAY_KEY]?: RequestKey };

/** Marks a request as authenticated with `key`. */
export function attachRequestKey(request: IncomingMessage, value: RequestKey): void {
  (request as TaggedRequest)[GATEWAY_KEY] = value;
}

/** The key a request was authenticated with, or undefined (no keys in use, or an in-process call). */
export function requestKey(request: IncomingMessage): RequestKey | undefined {
  return (request as TaggedRequest)[GATEWAY_KEY];
}

/** A 429 for a key's own limit, with `Retry-After` in whole seconds (and `retry-after-ms`, which the OpenAI SDKs read first). */
export function keyRateLimited(key: ActiveGatewayKey, what: "requests" | "tokens", retryAfterMs: number): GatewayError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1_000));
  const limit = what === "requests" ? `${key.limits.requestsPerMinute ?? 0} requests` : `${key.limits.tokensPerMinute ?? 0} tokens`;
  return new GatewayError("rate_limit_exceeded", `Rate limit reached for API key '${key.name}': ${limit} per minute. Retry in ${seconds} s.`, {
    headers: { "retry-after": String(seconds), "retry-after-ms": String(Math.ceil(retryAfterMs)) },
  });
}

/**
 * Checks the model a request asked for (after `default` is resolved) against its key: 403
 * `model_not_allowed` outside the allow-list, 429 when `estimatedTokens` (the endpoint's estimate
 * of prompt plus completion) exceed the key's tokens-per-minute. Does nothing without a key.
 */
export function authorizeModel(request: IncomingMessage, model: string, estimatedTokens = 0): void {
  const tagged = requestKey(request);
  if (tagged === undefined) return;
  const { key, limiter } = tagged;
  if (!key.allows(model)) throw new GatewayError("model_not_allowed", `This API key is not allowed to use model '${model}'.`, { param: "model" });
  const tokensPerMinute = key.limits.tokensPerMinute;
  if (tokensPerMinute === undefined) return;
  const decision = limiter.tryConsume(key.id, { requests: 0, tokens: estimatedTokens }, { tokensPerMinute }, Date.now());
  if (!decision.allowed) throw keyRateLimited(key, "tokens", decision.retryAfterMs);
}

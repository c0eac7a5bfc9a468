/**
 * @module limits/rate-limiter
 * The rate-limit interface the router sees (SPEC §5: requests and tokens per minute per deployment,
 * model and gateway key). Results may be promises so the scale-out Redis implementation fits the
 * same interface; the in-memory one answers synchronously and callers simply `await` either.
 */

/** What one request costs. `tokens` is an estimate up front (prompt + max_tokens), corrected later. */
export interface RateCost {
  readonly requests: number;
  readonly tokens: number;
}

/** Limits for one key; an absent limit is not enforced. Passed per call so a config reload applies at once. */
export interface RateLimits {
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
}

/** Allowed, or refused with the wait after which the same cost would pass (for `Retry-After`). */
export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

/** A value, or a promise of it. */
export type Awaitable<T> = T | Promise<T>;

/** Requests/minute and tokens/minute limits by key; `now` is injected (epoch ms) so tests control time. */
export interface RateLimiter {
  /** Consumes `cost` under `key` if every limit allows it; consumes nothing when refused. */
  tryConsume(key: string, cost: RateCost, limits: RateLimits, now: number): Awaitable<RateDecision>;
  /** What `tryConsume` would decide now, consuming nothing (route explain, failover checks). */
  peek(key: string, cost: RateCost, limits: RateLimits, now: number): Awaitable<RateDecision>;
  /**
   * Corrects the token count once the real usage is known: positive `delta` charges more, negative
   * gives back what the estimate over-charged. Keys without a token limit ignore it.
   */
  adjustTokens(key: string, delta: number, now: number): Awaitable<void>;
}

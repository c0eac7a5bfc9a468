/**
 * @module limits/in-memory-rate-limiter
 * The single-process {@link RateLimiter}: two token buckets per key (requests, tokens). Memory stays
 * bounded two ways: keys whose buckets have refilled completely are swept out (a full bucket is
 * indistinguishable from a fresh one, so nothing is lost), and past a key cap the least recently
 * used key is dropped (which errs on the side of letting traffic through, never of blocking it).
 */
import { RATE_LIMIT_MAX_KEYS, RATE_LIMIT_SWEEP_INTERVAL_MS, RATE_LIMIT_WINDOW_MS } from "../defaults.js";
import type { RateCost, RateDecision, RateLimiter, RateLimits } from "./rate-limiter.js";
import { createBucket, fullAt, refill, waitMs, type TokenBucket } from "./token-bucket.js";

interface KeyState {
  requests: TokenBucket | undefined;
  tokens: TokenBucket | undefined;
}

/** Options for {@link InMemoryRateLimiter}; defaults come from defaults.ts. */
export interface InMemoryRateLimiterOptions {
  readonly windowMs?: number;
  readonly maxKeys?: number;
  readonly sweepIntervalMs?: number;
}

const ALLOWED: RateDecision = { allowed: true };

/**
 * The limit to enforce: undefined when absent or Infinity (no limit); 0 for zero, negative or NaN,
 * which admits nothing — a typo must not silently lift a limit.
 */
function limitOf(value: number | undefined): number | undefined {
  if (value === undefined || value === Number.POSITIVE_INFINITY) return undefined;
  return value > 0 ? value : 0;
}

/** Token-bucket rate limits held in this process's memory. */
export class InMemoryRateLimiter implements RateLimiter {
  /** Insertion order doubles as recency order: every touch re-inserts the key. */
  readonly #keys = new Map<string, KeyState>();
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #sweepIntervalMs: number;
  #lastSweep: number | undefined;

  constructor(options: InMemoryRateLimiterOptions = {}) {
    this.#windowMs = options.windowMs ?? RATE_LIMIT_WINDOW_MS;
    this.#maxKeys = options.maxKeys ?? RATE_LIMIT_MAX_KEYS;
    this.#sweepIntervalMs = options.sweepIntervalMs ?? RATE_LIMIT_SWEEP_INTERVAL_MS;
  }

  /** Keys currently held (for tests and the health API). */
  get size(): number {
    return this.#keys.size;
  }

  tryConsume(key: string, cost: RateCost, limits: RateLimits, now: number): RateDecision {
    return this.#decide(key, cost, limits, now, true);
  }

  peek(key: string, cost: RateCost, limits: RateLimits, now: number): RateDecision {
    return this.#decide(key, cost, limits, now, false);
  }

  #decide(key: string, cost: RateCost, limits: RateLimits, now: number, consume: boolean): RateDecision {
    this.#sweep(now);
    const rpm = limitOf(limits.requestsPerMinute);
    const tpm = limitOf(limits.tokensPerMinute);
    // Nothing ever refills a zero limit; "try again in a window" is the most honest wait to report.
    if (rpm === 0 || tpm === 0) return { allowed: false, retryAfterMs: this.#windowMs };
    if (rpm === undefined && tpm === undefined) return ALLOWED;
    if (!consume && !this.#keys.has(key)) return ALLOWED;
    const state = this.#touch(key);
    const requests = rpm === undefined ? undefined : this.#bucket(state, "requests", rpm, now);
    const tokens = tpm === undefined ? undefined : this.#bucket(state, "tokens", tpm, now);
    const wait = Math.max(requests ? waitMs(requests, cost.requests, this.#windowMs) : 0, tokens ? waitMs(tokens, cost.tokens, this.#windowMs) : 0);
    if (wait > 0) return { allowed: false, retryAfterMs: wait };
    if (!consume) return ALLOWED;
    if (requests) requests.level -= cost.requests;
    if (tokens) tokens.level -= cost.tokens;
    return ALLOWED;
  }

  adjustTokens(key: string, delta: number, now: number): void {
    const state = this.#keys.get(key);
    const bucket = state?.tokens;
    if (bucket === undefined || !Number.isFinite(delta)) return;
    this.#touch(key);
    refill(bucket, bucket.limit, now, this.#windowMs);
    bucket.level = Math.min(bucket.limit, bucket.level - delta);
  }

  /** Returns the key's state, creating it, and marks it most recently used; drops the oldest past the cap. */
  #touch(key: string): KeyState {
    const existing = this.#keys.get(key);
    if (existing !== undefined) this.#keys.delete(key);
    const state = existing ?? { requests: undefined, tokens: undefined };
    this.#keys.set(key, state);
    if (this.#keys.size > this.#maxKeys) {
      const oldest = this.#keys.keys().next();
      if (oldest.done !== true) this.#keys.delete(oldest.value);
    }
    return state;
  }

  #bucket(state: KeyState, kind: "requests" | "tokens", limit: number, now: number): TokenBucket {
    const bucket = state[kind];
    if (bucket === undefined) return (state[kind] = createBucket(limit, now));
    refill(bucket, limit, now, this.#windowMs);
    return bucket;
  }

  /** At most once per interval, forgets keys whose buckets are full again. */
  #sweep(now: number): void {
    if (this.#lastSweep !== undefined && now - this.#lastSweep < this.#sweepIntervalMs) return;
    this.#lastSweep = now;
    for (const [key, state] of this.#keys) {
      const full = [state.requests, state.tokens].every((bucket) => bucket === undefined || fullAt(bucket, this.#windowMs) <= now);
      if (full) this.#keys.delete(key);
    }
  }
}

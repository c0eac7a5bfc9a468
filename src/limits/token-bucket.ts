/**
 * @module limits/token-bucket
 * One continuously refilling bucket: capacity = the per-minute limit, refill = limit per minute.
 * Chosen over a sliding-window log because it is O(1) in memory, gives an exact wait for
 * `Retry-After`, takes after-the-fact token corrections (refunds) naturally, and maps onto a single
 * Redis hash (or GCRA) later. OpenAI describes its own limits the same way (a burst of up to one
 * minute's limit, then a steady rate), so over any span of t ms at most limit × (1 + t / 60 s) pass.
 */

/** Bucket state; `level` may go negative (debt) after a large request or an upward correction. */
export interface TokenBucket {
  level: number;
  limit: number;
  updatedAt: number;
}

/** Relative floating-point slack, so waiting the time {@link waitMs} returns is always enough. */
const EPSILON = 1e-9;

/** A full bucket for `limit`. */
export function createBucket(limit: number, now: number): TokenBucket {
  return { level: limit, limit, updatedAt: now };
}

/** Brings the bucket to `now` under `limit` (a lowered limit also lowers what is banked). */
export function refill(bucket: TokenBucket, limit: number, now: number, windowMs: number): void {
  const elapsed = Math.max(0, now - bucket.updatedAt);
  bucket.level = Math.min(limit, bucket.level + (elapsed * limit) / windowMs);
  bucket.limit = limit;
  bucket.updatedAt = Math.max(now, bucket.updatedAt);
}

/**
 * Milliseconds until `cost` fits, 0 if it fits now. A cost above the whole limit only needs a full
 * bucket (and then leaves debt), so one oversized request is slowed, never refused for ever.
 */
export function waitMs(bucket: TokenBucket, cost: number, windowMs: number): number {
  const need = Math.min(cost, bucket.limit);
  if (bucket.level + EPSILON * Math.max(1, bucket.limit) >= need) return 0;
  // Shave float noise before rounding up, or 7500.000000001 ms would be reported as 7501.
  return Math.max(1, Math.ceil(((need - bucket.level) * windowMs) / bucket.limit - 1e-6));
}

/** When the bucket will be full again; a key whose buckets are all full can be forgotten. */
export function fullAt(bucket: TokenBucket, windowMs: number): number {
  return bucket.updatedAt + ((bucket.limit - bucket.level) * windowMs) / bucket.limit;
}

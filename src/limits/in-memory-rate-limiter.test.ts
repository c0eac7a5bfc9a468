/**
 * @module limits/in-memory-rate-limiter.test
 * Limits hold over any span, refusals carry an exact Retry-After, buckets refill, keys are
 * independent, token corrections apply, and idle or excess keys are dropped to bound memory.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InMemoryRateLimiter } from "./in-memory-rate-limiter.js";
import type { RateLimiter } from "./rate-limiter.js";

const MINUTE = 60_000;
const ONE_REQUEST = { requests: 1, tokens: 0 };

function drain(limiter: InMemoryRateLimiter, key: string, limit: number, now: number): number {
  let admitted = 0;
  while (limiter.tryConsume(key, ONE_REQUEST, { requestsPerMinute: limit }, now).allowed) admitted += 1;
  return admitted;
}

describe("InMemoryRateLimiter", () => {
  it("admits up to the requests-per-minute limit at once, then refuses", () => {
    const limiter = new InMemoryRateLimiter();
    expect(drain(limiter, "deployment:a", 10, 0)).toBe(10);
  });

  it("reports how long until the next request fits, and admits it exactly then", () => {
    const limiter = new InMemoryRateLimiter();
    drain(limiter, "k", 60, 0);
    const refused = limiter.tryConsume("k", ONE_REQUEST, { requestsPerMinute: 60 }, 0);
    expect(refused).toEqual({ allowed: false, retryAfterMs: 1_000 });
    expect(limiter.tryConsume("k", ONE_REQUEST, { requestsPerMinute: 60 }, 999).allowed).toBe(false);
    expect(limiter.tryConsume("k", ONE_REQUEST, { requestsPerMinute: 60 }, 1_000).allowed).toBe(true);
  });

  it("refills completely after a window", () => {
    const limiter = new InMemoryRateLimiter();
    drain(limiter, "k", 5, 0);
    expect(drain(limiter, "k", 5, MINUTE)).toBe(5);
  });

  it("limits tokens per minute and waits for enough tokens", () => {
    const limiter = new InMemoryRateLimiter();
    const limits = { tokensPerMinute: 6_000 };
    expect(limiter.tryConsume("k", { requests: 1, tokens: 5_000 }, limits, 0).allowed).toBe(true);
    expect(limiter.tryConsume("k", { requests: 1, tokens: 2_000 }, limits, 0)).toEqual({ allowed: false, retryAfterMs: 10_000 });
    expect(limiter.tryConsume("k", { requests: 1, tokens: 2_000 }, limits, 10_000).allowed).toBe(true);
  });

  it("consumes nothing from either limit when one refuses", () => {
    const limiter = new InMemoryRateLimiter();
    const limits = { requestsPerMinute: 2, tokensPerMinute: 100 };
    expect(limiter.tryConsume("k", { requests: 1, tokens: 100 }, limits, 0).allowed).toBe(true);
    expect(limiter.tryConsume("k", { requests: 1, tokens: 1 }, limits, 0).allowed).toBe(false);
    expect(limiter.tryConsume("k", { requests: 1, tokens: 0 }, { requestsPerMinute: 2 }, 0).allowed).toBe(true);
  });

  it("reports the longer wait when both limits refuse", () => {
    const limiter = new InMemoryRateLimiter();
    const limits = { requestsPerMinute: 1, tokensPerMinute: 600 };
    limiter.tryConsume("k", { requests: 1, tokens: 600 }, limits, 0);
    expect(limiter.tryConsume("k", { requests: 1, tokens: 300 }, limits, 0)).toEqual({ allowed: false, retryAfterMs: MINUTE });
  });

  it("keeps keys independent", () => {
    const limiter = new InMemoryRateLimiter();
    drain(limiter, "deployment:a", 3, 0);
    expect(drain(limiter, "deployment:b", 3, 0)).toBe(3);
  });

  it("charges and refunds tokens after the fact", () => {
    const limiter = new InMemoryRateLimiter();
    const limits = { tokensPerMinute: 1_000 };
    limiter.tryConsume("k", { requests: 1, tokens: 900 }, limits, 0);
    limiter.adjustTokens("k", -800, 0);
    expect(limiter.tryConsume("k", { requests: 1, tokens: 900 }, limits, 0).allowed).toBe(true);
    limiter.adjustTokens("k", 500, 0);
    expect(limiter.tryConsume("k", { requests: 1, tokens: 1 }, limits, 0)).toEqual({ allowed: false, retryAfterMs: 30_060 });
  });

  it("never refunds above a full bucket", () => {
    const limiter = new InMemoryRateLimiter();
    limiter.tryConsume("k", { requests: 1, tokens: 10 }, { tokensPerMinute: 100 }, 0);
    limiter.adjustTokens("k", -1_000, 0);
    expect(limiter.tryConsume("k", { requests: 1, tokens: 100 }, { tokensPerMinute: 100 }, 0).allowed).toBe(true);
    expect(limiter.tryConsume("k", { requests: 1, tokens: 1 }, { tokensPerMinute: 100 }, 0).allowed).toBe(false);
  });

  it("admits a request larger than the whole limit once the bucket is full, then makes others wait", () => {
    const limiter = new InMemoryRateLimiter();
    const limits = { tokensPerMinute: 1_000 };
    expect(limiter.tryConsume("k", { requests: 1, tokens: 3_000 }, limits, 0).allowed).toBe(true);
    expect(limiter.tryConsume("k", { requests: 1, tokens: 1 }, limits, 0)).toEqual({ allowed: false, retryAfterMs: 120_060 });
  });

  it("refuses everything under a zero limit and allows everything without limits", () => {
    const limiter = new InMemoryRateLimiter();
    expect(limiter.tryConsume("k", ONE_REQUEST, { requestsPerMinute: 0 }, 0)).toEqual({ allowed: false, retryAfterMs: MINUTE });
    expect(limiter.tryConsume("k", ONE_REQUEST, {}, 0)).toEqual({ allowed: true });
    expect(limiter.tryConsume("k", ONE_REQUEST, { requestsPerMinute: Number.POSITIVE_INFINITY }, 0)).toEqual({ allowed: true });
    expect(limiter.size).toBe(0);
  });

  it("applies a lowered limit at once", () => {
    const limiter = new InMemoryRateLimiter();
    limiter.tryConsume("k", ONE_REQUEST, { requestsPerMinute: 100 }, 0);
    expect(drain(limiter, "k", 5, 0)).toBe(5);
  });

  it("evicts keys whose buckets have refilled", () => {
    const limiter = new InMemoryRateLimiter({ sweepIntervalMs: 1_000 });
    limiter.tryConsume("idle", ONE_REQUEST, { requestsPerMinute: 60 }, 0);
    drain(limiter, "busy", 60, 0);
    expect(limiter.size).toBe(2);
    limiter.tryConsume("other", ONE_REQUEST, { requestsPerMinute: 60 }, 30_000);
    expect(limiter.size).toBe(2);
    limiter.tryConsume("other", ONE_REQUEST, { requestsPerMinute: 60 }, 90_000);
    expect(limiter.size).toBe(1);
  });

  it("drops the least recently used key beyond the key cap", () => {
    const limiter = new InMemoryRateLimiter({ maxKeys: 2 });
    drain(limiter, "a", 2, 0);
    drain(limiter, "b", 2, 0);
    limiter.tryConsume("a", ONE_REQUEST, { requestsPerMinute: 2 }, 1);
    drain(limiter, "c", 2, 1);
    expect(limiter.size).toBe(2);
    expect(limiter.tryConsume("b", ONE_REQUEST, { requestsPerMinute: 2 }, 1).allowed).toBe(true);
  });

  it("serves as a RateLimiter whose answers callers can await", async () => {
    const limiter: RateLimiter = new InMemoryRateLimiter();
    await expect(Promise.resolve(limiter.tryConsume("k", ONE_REQUEST, { requestsPerMinute: 1 }, 0))).resolves.toEqual({ allowed: true });
  });

  it("never admits more than the limit plus what refilled, over any stretch of time", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.tuple(fc.nat(5_000), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 300, size: "max" }),
        (limit, steps) => {
          const limiter = new InMemoryRateLimiter();
          const admitted: { at: number; requests: number }[] = [];
          let now = 0;
          for (const [gap, requests] of steps) {
            now += gap;
            if (limiter.tryConsume("k", { requests, tokens: 0 }, { requestsPerMinute: limit }, now).allowed) admitted.push({ at: now, requests });
          }
          // Worst excess of admitted requests over limit × (1 + span / window), over every span.
          let worst = Number.NEGATIVE_INFINITY;
          for (let first = 0; first < admitted.length; first += 1) {
            let total = 0;
            for (let last = first; last < admitted.length; last += 1) {
              const start = admitted[first] as { at: number };
              const end = admitted[last] as { at: number; requests: number };
              total += end.requests;
              worst = Math.max(worst, total - limit - (limit * (end.at - start.at)) / MINUTE);
            }
          }
          // A cost above the limit may pass on a full bucket, leaving at most that overshoot.
          expect(worst).toBeLessThanOrEqual(Math.max(0, 5 - limit) + 1e-9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("admits a refused request once its Retry-After has passed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.array(fc.integer({ min: 1, max: 3_000 }), { minLength: 1, maxLength: 30 }), (limit, costs) => {
        const limiter = new InMemoryRateLimiter();
        let now = 0;
        for (const tokens of costs) {
          const decision = limiter.tryConsume("k", { requests: 1, tokens }, { tokensPerMinute: limit }, now);
          if (!decision.allowed) {
            expect(limiter.tryConsume("k", { requests: 1, tokens }, { tokensPerMinute: limit }, now + decision.retryAfterMs - 1).allowed).toBe(false);
            now += decision.retryAfterMs;
            expect(limiter.tryConsume("k", { requests: 1, tokens }, { tokensPerMinute: limit }, now).allowed).toBe(true);
          }
        }
      }),
    );
  });
});

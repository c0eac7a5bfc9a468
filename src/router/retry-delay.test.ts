/**
 * @module router/retry-delay.test
 * Upstream hints are obeyed within [0, cap] in the order retry-after-ms, x-ms-retry-after-ms,
 * Retry-After (seconds or HTTP date); anything else falls back to full-jitter exponential backoff.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRetryAfterMs, retryDelayMs, type HeaderBag } from "./retry-delay.js";

const NOW = Date.parse("2025-06-01T12:00:00Z");
const BACKOFF = { baseMs: 500, maxMs: 8_000, capMs: 60_000 };

function delay(headers: HeaderBag, attempt = 1, random: () => number = () => 0.5): number {
  return retryDelayMs({ attempt, headers, now: NOW, random, ...BACKOFF });
}

describe("parseRetryAfterMs", () => {
  it("reads retry-after-ms before retry-after", () => {
    expect(parseRetryAfterMs({ "retry-after-ms": "1500", "retry-after": "9" }, NOW)).toBe(1_500);
  });

  it("reads Azure's x-ms-retry-after-ms", () => {
    expect(parseRetryAfterMs({ "x-ms-retry-after-ms": "250.5" }, NOW)).toBe(250.5);
  });

  it("reads Retry-After in seconds, fractions included", () => {
    expect(parseRetryAfterMs({ "retry-after": "2" }, NOW)).toBe(2_000);
    expect(parseRetryAfterMs({ "retry-after": "0.25" }, NOW)).toBe(250);
  });

  it("reads Retry-After as an HTTP date relative to the injected clock", () => {
    expect(parseRetryAfterMs({ "retry-after": "Sun, 01 Jun 2025 12:00:30 GMT" }, NOW)).toBe(30_000);
  });

  it("treats an HTTP date in the past as no wait", () => {
    expect(parseRetryAfterMs({ "retry-after": "Sun, 01 Jun 2025 11:59:00 GMT" }, NOW)).toBe(0);
  });

  it("ignores negative, empty and garbled values", () => {
    for (const value of ["-5", "", "soon", "5s", "NaN", "1e3"]) expect(parseRetryAfterMs({ "retry-after": value }, NOW)).toBeUndefined();
    expect(parseRetryAfterMs({ "retry-after-ms": "-1" }, NOW)).toBeUndefined();
  });

  it("uses the first of repeated headers", () => {
    expect(parseRetryAfterMs({ "retry-after": ["3", "7"] }, NOW)).toBe(3_000);
  });
});

describe("retryDelayMs", () => {
  it("waits exactly as long as Retry-After asks when within the cap", () => {
    expect(delay({ "retry-after": "20" })).toBe(20_000);
  });

  it("honours a Retry-After of zero instead of treating it as absent", () => {
    expect(delay({ "retry-after": "0" })).toBe(0);
  });

  it("honours a Retry-After exactly at the cap", () => {
    expect(delay({ "retry-after": "60" })).toBe(60_000);
  });

  it("ignores a Retry-After beyond the cap and backs off instead", () => {
    expect(delay({ "retry-after": "120" }, 1, () => 0.5)).toBe(250);
    expect(delay({ "retry-after-ms": "600000" }, 1, () => 0.5)).toBe(250);
  });

  it("backs off exponentially from the base, capped at the maximum", () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 40].map((attempt) => delay({}, attempt, () => 0.999_999_999));
    expect(ceilings).toEqual([499, 999, 1_999, 3_999, 7_999, 7_999, 7_999, 7_999]);
  });

  it("applies full jitter: any delay from zero up to the step", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, draw) => {
        const ms = delay({}, attempt, () => draw);
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThan(Math.min(8_000, 500 * 2 ** (attempt - 1)));
        expect(Number.isInteger(ms)).toBe(true);
      }),
    );
  });
});

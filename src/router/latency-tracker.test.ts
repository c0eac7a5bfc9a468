/**
 * @module router/latency-tracker.test
 * The average decays by wall time (half-life), not by sample count, and forgets stale deployments
 * so least-latency probes them again.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LatencyTracker } from "./latency-tracker.js";

const HALF_LIFE = 30_000;

describe("LatencyTracker", () => {
  it("reports nothing for an unmeasured deployment", () => {
    expect(new LatencyTracker().latencyMs("box/llama@vllm-1", 0)).toBeUndefined();
  });

  it("takes the first sample as the average", () => {
    const tracker = new LatencyTracker({ halfLifeMs: HALF_LIFE });
    tracker.recordLatency("a", 250, 1_000);
    expect(tracker.latencyMs("a", 1_000)).toBe(250);
  });

  it("weighs samples taken at the same moment equally", () => {
    const tracker = new LatencyTracker({ halfLifeMs: HALF_LIFE });
    tracker.recordLatency("a", 100, 0);
    tracker.recordLatency("a", 300, 0);
    expect(tracker.latencyMs("a", 0)).toBe(200);
  });

  it("halves the weight of a sample one half-life old", () => {
    const tracker = new LatencyTracker({ halfLifeMs: HALF_LIFE });
    tracker.recordLatency("a", 100, 0);
    tracker.recordLatency("a", 200, HALF_LIFE);
    expect(tracker.latencyMs("a", HALF_LIFE)).toBeCloseTo((100 * 0.5 + 200) / 1.5, 6);
  });

  it("follows a replica that slowed down within a few half-lives", () => {
    const tracker = new LatencyTracker({ halfLifeMs: HALF_LIFE, forgetAfterMs: 10 * HALF_LIFE });
    for (let second = 0; second < 60; second += 1) tracker.recordLatency("a", 100, second * 1_000);
    for (let second = 60; second < 180; second += 1) tracker.recordLatency("a", 1_000, second * 1_000);
    expect(tracker.latencyMs("a", 180_000)).toBeGreaterThan(900);
  });

  it("forgets a deployment with no sample for longer than the forget time", () => {
    const tracker = new LatencyTracker({ halfLifeMs: HALF_LIFE, forgetAfterMs: 60_000 });
    tracker.recordLatency("a", 5_000, 0);
    expect(tracker.latencyMs("a", 60_000)).toBe(5_000);
    expect(tracker.latencyMs("a", 60_001)).toBeUndefined();
    tracker.recordLatency("a", 80, 70_000);
    expect(tracker.latencyMs("a", 70_000)).toBe(80);
  });

  it("ignores negative and non-finite samples", () => {
    const tracker = new LatencyTracker();
    tracker.recordLatency("a", -1, 0);
    tracker.recordLatency("a", Number.NaN, 0);
    tracker.recordLatency("a", Number.POSITIVE_INFINITY, 0);
    expect(tracker.latencyMs("a", 0)).toBeUndefined();
  });

  it("drops a deployment on forget", () => {
    const tracker = new LatencyTracker();
    tracker.recordLatency("a", 10, 0);
    tracker.forget("a");
    expect(tracker.latencyMs("a", 0)).toBeUndefined();
  });

  it("keeps the average between the smallest and largest sample", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 60_000, noNaN: true }), fc.nat(10_000)), { minLength: 1, maxLength: 50 }), (samples) => {
        const tracker = new LatencyTracker({ halfLifeMs: HALF_LIFE, forgetAfterMs: Number.POSITIVE_INFINITY });
        let now = 0;
        for (const [ms, gap] of samples) tracker.recordLatency("a", ms, (now += gap));
        const values = samples.map(([ms]) => ms);
        const average = tracker.latencyMs("a", now) as number;
        expect(average).toBeGreaterThanOrEqual(Math.min(...values) - 1e-6);
        expect(average).toBeLessThanOrEqual(Math.max(...values) + 1e-6);
      }),
    );
  });
});

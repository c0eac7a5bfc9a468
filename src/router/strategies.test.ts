/**
 * @module router/strategies.test
 * Every strategy returns a permutation of its candidates; each orders them by its own rule, with
 * deterministic randomness and an explicit round-robin cursor.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Deployment, DeploymentStats } from "./deployment.js";
import { createRoundRobin, createStrategy, leastBusy, leastLatency, priority, weighted, type Strategy, type StrategyName } from "./strategies.js";

/** mulberry32: a seeded `() => number` in [0, 1), so the distribution checks are reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), state | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function deployment(id: string, fields: Partial<Omit<Deployment, "id">> = {}): Deployment {
  return { id, provider: id.split("/")[0] ?? id, upstreamModel: "llama", weight: 1, priority: 0, ...fields };
}

const NO_STATS = (): DeploymentStats => ({ inFlight: 0, latencyEwmaMs: undefined });

const deploymentsArbitrary = fc
  .array(fc.record({ weight: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 100, noNaN: true })), priority: fc.integer({ min: 0, max: 3 }) }), {
    maxLength: 8,
  })
  .map((rows) => rows.map((row, index) => deployment(`box/llama@vllm-${index}`, row)));

const statsArbitrary = fc.dictionary(
  fc.integer({ min: 0, max: 7 }).map((index) => `box/llama@vllm-${index}`),
  fc.record({ inFlight: fc.nat(20), latencyEwmaMs: fc.option(fc.double({ min: 0, max: 10_000, noNaN: true }), { nil: undefined }) }),
);

const NAMES: readonly StrategyName[] = ["priority", "weighted", "round-robin", "least-latency", "least-busy"];

describe("every strategy", () => {
  it.each(NAMES)("%s returns a permutation of its candidates", (name) => {
    const strategy = createStrategy(name);
    fc.assert(
      fc.property(deploymentsArbitrary, statsArbitrary, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (candidates, table, draw) => {
        const order = strategy(candidates, (id) => table[id] ?? NO_STATS(), () => draw);
        expect(order).toHaveLength(candidates.length);
        expect(new Set(order)).toEqual(new Set(candidates));
      }),
    );
  });

  it.each(NAMES)("%s does not modify the candidate list", (name) => {
    const candidates = Object.freeze([deployment("a/x", { priority: 2, weight: 1 }), deployment("b/x", { priority: 1, weight: 3 })]);
    expect(() => createStrategy(name)(candidates, NO_STATS, Math.random)).not.toThrow();
  });
});

describe("priority", () => {
  it("orders by ascending priority and keeps config order among equals", () => {
    fc.assert(
      fc.property(deploymentsArbitrary, (candidates) => {
        const order = priority(candidates, NO_STATS, Math.random);
        for (let index = 1; index < order.length; index += 1) {
          const previous = order[index - 1] as Deployment;
          const current = order[index] as Deployment;
          expect(previous.priority).toBeLessThanOrEqual(current.priority);
          if (previous.priority === current.priority) expect(candidates.indexOf(previous)).toBeLessThan(candidates.indexOf(current));
        }
      }),
    );
  });
});

describe("weighted", () => {
  const firstShares = (strategy: Strategy, candidates: readonly Deployment[], draws: number, seed: number): Map<string, number> => {
    const random = seededRandom(seed);
    const counts = new Map<string, number>();
    for (let draw = 0; draw < draws; draw += 1) {
      const first = strategy(candidates, NO_STATS, random)[0] as Deployment;
      counts.set(first.id, (counts.get(first.id) ?? 0) + 1);
    }
    return new Map([...counts].map(([id, count]) => [id, count / draws]));
  };

  it("picks the first deployment in proportion to its weight", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 5 }), fc.nat(), (weights, seed) => {
        fc.pre(weights.some((weight) => weight > 0));
        const candidates = weights.map((weight, index) => deployment(`p/m${index}`, { weight }));
        const total = weights.reduce((sum, weight) => sum + weight, 0);
        const shares = firstShares(weighted, candidates, 20_000, seed);
        for (const candidate of candidates) expect(Math.abs((shares.get(candidate.id) ?? 0) - candidate.weight / total)).toBeLessThan(0.02);
      }),
      { numRuns: 25 },
    );
  });

  it("never sends first traffic to a zero-weight deployment while another has weight", () => {
    const candidates = [deployment("cloud/fallback", { weight: 0 }), deployment("box/a", { weight: 1 }), deployment("box/b", { weight: 1 })];
    for (const draw of [0, 0.49, 0.5, 0.999999]) expect(weighted(candidates, NO_STATS, () => draw)[0]?.id).not.toBe("cloud/fallback");
  });

  it("orders the failover tail by descending weight", () => {
    const candidates = [deployment("a/m", { weight: 1 }), deployment("b/m", { weight: 5 }), deployment("c/m", { weight: 3 })];
    expect(weighted(candidates, NO_STATS, () => 0.999).map((item) => item.id)).toEqual(["a/m", "b/m", "c/m"]);
    expect(weighted(candidates, NO_STATS, () => 0).map((item) => item.id)).toEqual(["b/m", "c/m", "a/m"]);
  });

  it("draws uniformly when no deployment has weight", () => {
    const candidates = [deployment("a/m", { weight: 0 }), deployment("b/m", { weight: 0 })];
    const shares = firstShares(weighted, candidates, 10_000, 7);
    expect(shares.get("a/m")).toBeCloseTo(0.5, 1);
  });
});

describe("round-robin", () => {
  it("cycles through every candidate once per round, in config order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), (count, rounds) => {
        const candidates = Array.from({ length: count }, (_, index) => deployment(`p/m${index}`));
        const strategy = createRoundRobin();
        const firsts = Array.from({ length: count * rounds }, () => strategy(candidates, NO_STATS, Math.random)[0]);
        firsts.forEach((first, index) => expect(first).toBe(candidates[index % count]));
      }),
    );
  });

  it("continues after the starting candidate, wrapping round", () => {
    const candidates = [deployment("a/m"), deployment("b/m"), deployment("c/m")];
    const strategy = createRoundRobin();
    strategy(candidates, NO_STATS, Math.random);
    expect(strategy(candidates, NO_STATS, Math.random).map((item) => item.id)).toEqual(["b/m", "c/m", "a/m"]);
  });

  it("gives each model its own cursor", () => {
    const candidates = [deployment("a/m"), deployment("b/m")];
    const first = createStrategy("round-robin");
    first(candidates, NO_STATS, Math.random);
    expect(createStrategy("round-robin")(candidates, NO_STATS, Math.random)[0]?.id).toBe("a/m");
  });
});

describe("least-latency", () => {
  it("tries the lowest average first and an unmeasured deployment before any measured one", () => {
    const latency: Record<string, number | undefined> = { "a/m": 900, "b/m": 120, "c/m": undefined, "d/m": 400 };
    const candidates = Object.keys(latency).map((id) => deployment(id));
    const order = leastLatency(candidates, (id) => ({ inFlight: 0, latencyEwmaMs: latency[id] }), Math.random);
    expect(order.map((item) => item.id)).toEqual(["c/m", "b/m", "d/m", "a/m"]);
  });

  it("breaks ties by priority", () => {
    const candidates = [deployment("a/m", { priority: 2 }), deployment("b/m", { priority: 1 })];
    expect(leastLatency(candidates, () => ({ inFlight: 0, latencyEwmaMs: 100 }), Math.random)[0]?.id).toBe("b/m");
  });
});

describe("least-busy", () => {
  it("tries the deployment with the fewest calls in flight first, ties by priority", () => {
    const inFlight: Record<string, number> = { "a/m": 3, "b/m": 1, "c/m": 1 };
    const candidates = [deployment("a/m"), deployment("b/m", { priority: 5 }), deployment("c/m", { priority: 1 })];
    const order = leastBusy(candidates, (id) => ({ inFlight: inFlight[id] ?? 0, latencyEwmaMs: undefined }), Math.random);
    expect(order.map((item) => item.id)).toEqual(["c/m", "b/m", "a/m"]);
  });
});

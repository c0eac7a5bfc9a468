/**
 * @module router/strategies
 * Routing strategies as pure functions: given the candidate deployments, their stats and a random
 * source, return the order to try them in. Every strategy returns a permutation of its input, so
 * failover still reaches every deployment; skipping (open breakers, rate limits) happens afterwards.
 * Randomness and the round-robin cursor are explicit so tests are deterministic (STYLE.md §14).
 */
import type { Deployment, StatsLookup } from "./deployment.js";

/** Orders candidates for one request; `random` returns a number in [0, 1) like Math.random. */
export type Strategy = (candidates: readonly Deployment[], stats: StatsLookup, random: () => number) => Deployment[];

/** The strategy names config accepts (SPEC §5). */
export type StrategyName = "priority" | "weighted" | "round-robin" | "least-latency" | "least-busy";

function byPriority(left: Deployment, right: Deployment): number {
  return left.priority - right.priority;
}

/** Weight as a usable share: negative or non-finite weights take no traffic rather than poison the sum. */
function share(deployment: Deployment): number {
  return Number.isFinite(deployment.weight) && deployment.weight > 0 ? deployment.weight : 0;
}

/** Priority with failover (the default): ascending priority; equal priorities keep config order. */
export const priority: Strategy = (candidates) => [...candidates].sort(byPriority);

/**
 * Weighted random: the first deployment is drawn with probability proportional to its weight, the
 * rest follow by descending weight (then priority) as the failover order. One draw per request keeps
 * this as cheap as priority on the hot path. If no weight is positive the draw is uniform.
 */
export const weighted: Strategy = (candidates, _stats, random) => pickWeighted(byWeight(candidates), random);

/** Candidates by descending weight, then priority: the failover order after the drawn one. */
function byWeight(candidates: readonly Deployment[]): WeightOrder {
  const sorted = [...candidates].sort((left, right) => share(right) - share(left) || byPriority(left, right));
  return { sorted, total: sorted.reduce((sum, deployment) => sum + share(deployment), 0) };
}

interface WeightOrder {
  readonly sorted: readonly Deployment[];
  readonly total: number;
}

/** Draws the first deployment by weight from a prepared order; the rest keep their order. */
function pickWeighted({ sorted, total }: WeightOrder, random: () => number): Deployment[] {
  if (sorted.length < 2) return [...sorted];
  let index = 0;
  if (total > 0) {
    let point = random() * total;
    // Walk the weight-sorted list; zero-weight entries never absorb the point.
    while (index < sorted.length - 1 && point >= share(sorted[index] as Deployment)) {
      point -= share(sorted[index] as Deployment);
      index += 1;
    }
    // Float rounding may run past the last positive weight; step back onto one.
    while (index > 0 && share(sorted[index] as Deployment) === 0) index -= 1;
  } else {
    index = Math.min(Math.floor(random() * sorted.length), sorted.length - 1);
  }
  const order = new Array<Deployment>(sorted.length);
  order[0] = sorted[index] as Deployment;
  for (let from = 0, to = 1; from < sorted.length; from += 1) if (from !== index) order[to++] = sorted[from] as Deployment;
  return order;
}

/**
 * The weighted strategy for one route: candidate lists come from config and do not change between
 * requests, so their weight order is sorted once per list and each request pays only the draw.
 */
function createWeighted(): Strategy {
  const prepared = new WeakMap<readonly Deployment[], WeightOrder>();
  return (candidates, _stats, random) => {
    let order = prepared.get(candidates);
    if (order === undefined) {
      order = byWeight(candidates);
      prepared.set(candidates, order);
    }
    return pickWeighted(order, random);
  };
}

/**
 * Round-robin needs memory between requests, so it is a factory: each model or alias gets its own
 * cursor. Request n starts at candidate n mod length and continues in config order, wrapping round.
 */
export function createRoundRobin(): Strategy {
  let cursor = 0;
  return (candidates) => {
    const count = candidates.length;
    if (count === 0) return [];
    const start = cursor % count;
    // Stay a safe integer however long the process runs.
    cursor = (cursor + 1) % Number.MAX_SAFE_INTEGER;
    return [...candidates.slice(start), ...candidates.slice(0, start)];
  };
}

/**
 * Least latency: lowest decaying average first. An unmeasured deployment counts as fastest so a new
 * or forgotten replica gets probed instead of starved; ties go by priority, then config order.
 */
export const leastLatency: Strategy = (candidates, stats) => {
  const latency = new Map(candidates.map((deployment) => [deployment, stats(deployment.id).latencyEwmaMs ?? -1]));
  return [...candidates].sort((left, right) => (latency.get(left) ?? 0) - (latency.get(right) ?? 0) || byPriority(left, right));
};

/** Least busy: fewest calls in flight first, so a replica stuck on a long generation gets a rest. */
export const leastBusy: Strategy = (candidates, stats) => {
  const busy = new Map(candidates.map((deployment) => [deployment, stats(deployment.id).inFlight]));
  return [...candidates].sort((left, right) => (busy.get(left) ?? 0) - (busy.get(right) ?? 0) || byPriority(left, right));
};

/** A fresh strategy for one model or alias; round-robin gets its own cursor each call. */
export function createStrategy(name: StrategyName): Strategy {
  switch (name) {
    case "priority":
      return priority;
    case "weighted":
      return createWeighted();
    case "round-robin":
      return createRoundRobin();
    case "least-latency":
      return leastLatency;
    case "least-busy":
      return leastBusy;
  }
}

/**
 * @module router/latency-tracker
 * A time-decaying average latency per deployment for the least-latency strategy. Each sample's weight
 * halves every half-life, whatever the request rate, so a busy replica and a quiet one age alike; a
 * deployment with no recent sample is forgotten so it gets probed again rather than avoided forever.
 * The clock is passed in (`now`), never read, so tests control time.
 */
import { LATENCY_FORGET_AFTER_MS, LATENCY_HALF_LIFE_MS } from "../defaults.js";

interface Average {
  /** Decayed sum of samples and of their weights, both as of `updatedAt`. */
  weightedSum: number;
  weight: number;
  updatedAt: number;
}

/** Options for {@link LatencyTracker}. */
export interface LatencyTrackerOptions {
  readonly halfLifeMs?: number;
  readonly forgetAfterMs?: number;
}

/** Decaying latency averages by deployment id. Ids come from config, so the map stays small. */
export class LatencyTracker {
  readonly #averages = new Map<string, Average>();
  readonly #halfLifeMs: number;
  readonly #forgetAfterMs: number;

  constructor(options: LatencyTrackerOptions = {}) {
    this.#halfLifeMs = options.halfLifeMs ?? LATENCY_HALF_LIFE_MS;
    this.#forgetAfterMs = options.forgetAfterMs ?? LATENCY_FORGET_AFTER_MS;
  }

  /**
   * Adds one sample. Record time to first byte rather than total time: total time mostly measures
   * how many tokens were asked for, not how fast the replica is.
   */
  recordLatency(id: string, ms: number, now: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const average = this.#averages.get(id);
    if (average === undefined || now - average.updatedAt > this.#forgetAfterMs) {
      this.#averages.set(id, { weightedSum: ms, weight: 1, updatedAt: now });
      return;
    }
    // Samples arriving out of order (concurrent calls) are not decayed backwards.
    const decay = 0.5 ** (Math.max(0, now - average.updatedAt) / this.#halfLifeMs);
    average.weightedSum = average.weightedSum * decay + ms;
    average.weight = average.weight * decay + 1;
    average.updatedAt = Math.max(now, average.updatedAt);
  }

  /** The current average, or undefined when unmeasured or forgotten. */
  latencyMs(id: string, now: number): number | undefined {
    const average = this.#averages.get(id);
    if (average === undefined || now - average.updatedAt > this.#forgetAfterMs) return undefined;
    // Decay scales sum and weight alike, so the ratio needs no decay at read time.
    return average.weightedSum / average.weight;
  }

  /** Drops a deployment that left the config. */
  forget(id: string): void {
    this.#averages.delete(id);
  }
}

/**
 * @module router/deployment-health
 * What the gateway remembers about each deployment between requests: its circuit breaker, calls in
 * flight, decaying latency and the last error. Lives for the whole process, outside the per-config
 * state, so a config reload keeps breakers open and latencies known. Entries are keyed by deployment
 * id (`provider/upstream-model`), which comes from config and the store, so the map stays small.
 */
import { CircuitBreaker, type BreakerPermit, type BreakerState, type CircuitBreakerOptions } from "./circuit-breaker.js";
import type { DeploymentStats, StatsLookup } from "./deployment.js";
import { LatencyTracker } from "./latency-tracker.js";

/** The last failure seen on a deployment, for the health API and route explain. */
export interface LastError {
  readonly at: number;
  /** HTTP status the client would have seen (502/504 for network failures). */
  readonly status: number;
  readonly code: string;
  /** Plain-language message, already scrubbed of secrets. */
  readonly message: string;
}

/** Live facts about one deployment. */
export class DeploymentHealth {
  readonly id: string;
  readonly breaker: CircuitBreaker;
  inFlight = 0;
  requests = 0;
  failures = 0;
  lastError: LastError | undefined;
  lastSuccessAt: number | undefined;

  constructor(id: string, breakerOptions: CircuitBreakerOptions) {
    this.id = id;
    this.breaker = new CircuitBreaker(breakerOptions);
  }

  /** Books a failed call: counted, remembered as the last error, and reported to the breaker. */
  recordFailure(now: number, permit: BreakerPermit, error: Omit<LastError, "at">): void {
    this.failures += 1;
    this.lastError = { at: now, status: error.status, code: error.code, message: error.message };
    this.breaker.onFailure(now, permit);
  }

  /** Books a call that did not fail the deployment (an answer, or the client's own mistake). */
  recordSuccess(now: number, permit: BreakerPermit, answered: boolean): void {
    if (answered) this.lastSuccessAt = now;
    this.breaker.onSuccess(now, permit);
  }
}

/** One deployment as `GET /api/health/deployments` shows it. */
export interface DeploymentHealthView {
  readonly id: string;
  readonly breaker: BreakerState;
  readonly latencyMs: number | null;
  readonly inFlight: number;
  readonly requests: number;
  readonly failures: number;
  readonly lastError: (Omit<LastError, "at"> & { readonly at: string }) | null;
  readonly lastSuccessAt: string | null;
}

/** Every deployment's health, by id. */
export class HealthRegistry {
  readonly #entries = new Map<string, DeploymentHealth>();
  readonly latency: LatencyTracker;
  #breakerOptions: CircuitBreakerOptions;
  #breakerKey: string;

  constructor(breakerOptions: CircuitBreakerOptions = {}, latency = new LatencyTracker()) {
    this.#breakerOptions = breakerOptions;
    this.#breakerKey = JSON.stringify(breakerOptions);
    this.latency = latency;
  }

  /**
   * Applies breaker thresholds from a (re)loaded config. Unchanged thresholds keep every breaker's
   * state; changed ones start the breakers afresh, since old counts were judged by other rules.
   */
  configure(breakerOptions: CircuitBreakerOptions): void {
    const key = JSON.stringify(breakerOptions);
    if (key === this.#breakerKey) return;
    this.#breakerOptions = breakerOptions;
    this.#breakerKey = key;
    this.#entries.clear();
  }

  /** The entry for a deployment, created on first use. */
  get(id: string): DeploymentHealth {
    let entry = this.#entries.get(id);
    if (entry === undefined) {
      entry = new DeploymentHealth(id, this.#breakerOptions);
      this.#entries.set(id, entry);
    }
    return entry;
  }

  /**
   * Stats for the load-aware strategies, read at decision time. One lookup function serves every
   * request (the time is set before each use), so strategies that ignore stats cost nothing.
   */
  stats(now: number): StatsLookup {
    this.#statsNow = now;
    return this.#lookup;
  }

  #statsNow = 0;
  readonly #lookup: StatsLookup = (id: string): DeploymentStats => ({
    inFlight: this.#entries.get(id)?.inFlight ?? 0,
    latencyEwmaMs: this.latency.latencyMs(id, this.#statsNow),
  });

  /** A JSON-ready view of one deployment. */
  view(id: string, now: number): DeploymentHealthView {
    const entry = this.#entries.get(id);
    const latency = this.latency.latencyMs(id, now);
    const lastError = entry?.lastError;
    return {
      id,
      breaker: entry?.breaker.state(now) ?? { status: "closed", consecutiveFailures: 0, failureRate: 0 },
      latencyMs: latency === undefined ? null : Math.round(latency * 10) / 10,
      inFlight: entry?.inFlight ?? 0,
      requests: entry?.requests ?? 0,
      failures: entry?.failures ?? 0,
      lastError: lastError === undefined ? null : { ...lastError, at: new Date(lastError.at).toISOString() },
      lastSuccessAt: entry?.lastSuccessAt === undefined ? null : new Date(entry.lastSuccessAt).toISOString(),
    };
  }

  /** Ids of every deployment seen so far. */
  ids(): string[] {
    return [...this.#entries.keys()];
  }
}

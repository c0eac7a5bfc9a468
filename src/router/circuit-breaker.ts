/**
 * @module router/circuit-breaker
 * Per-deployment circuit breaker with an injected clock. Closed → open after N consecutive failures
 * or when more than R of the last M calls failed (once M' calls are known); open for a cool-down that
 * doubles after each failed probe (capped); then half-open, where exactly one probe passes and its
 * outcome decides. Callers take a permit and hand it back with the outcome: reports from calls that
 * began before a state change are ignored, so a long stream finishing late cannot close the breaker
 * or pass for the probe (classic breaker, security-and-reliability-notes §3.4).
 */
import {
  BREAKER_CONSECUTIVE_FAILURES,
  BREAKER_COOL_DOWN_MS,
  BREAKER_FAILURE_RATE,
  BREAKER_MAX_COOL_DOWN_MS,
  BREAKER_MIN_CALLS,
  BREAKER_PROBE_LEASE_MS,
  BREAKER_WINDOW_CALLS,
} from "../defaults.js";
import { OutcomeWindow } from "./outcome-window.js";

/** Thresholds; every field defaults to the BREAKER_* constant in defaults.ts. */
export interface CircuitBreakerOptions {
  readonly consecutiveFailures?: number | undefined;
  readonly windowCalls?: number | undefined;
  readonly failureRate?: number | undefined;
  readonly minCalls?: number | undefined;
  readonly coolDownMs?: number | undefined;
  readonly maxCoolDownMs?: number | undefined;
  readonly probeLeaseMs?: number | undefined;
}

/** What the health API shows for a deployment. */
export interface BreakerState {
  readonly status: "closed" | "open" | "half-open";
  /** When the cool-down ends; only while open. */
  readonly opensUntil?: number;
  readonly consecutiveFailures: number;
  /** Failures over the calls in the window, 0 to 1. */
  readonly failureRate: number;
}

/** Leave to make one call; pass it back to onSuccess/onFailure. */
export interface BreakerPermit {
  readonly generation: number;
  /** True for the single half-open probe. */
  readonly probe: boolean;
}

/** The breaker for one deployment. */
export class CircuitBreaker {
  readonly #settings: { readonly [K in keyof CircuitBreakerOptions]-?: number };
  readonly #window: OutcomeWindow;
  /** "open" covers half-open too: half-open is simply open with the cool-down over. */
  #phase: "closed" | "open" = "closed";
  /** Bumped on every transition and probe, so permits from before it are recognised as stale. */
  #generation = 0;
  #openUntil = 0;
  #openings = 0;
  #consecutiveFailures = 0;
  /** Lease end of the probe that is out, if any. */
  #probeUntil: number | undefined;
  /** Reused while closed, so the hot path allocates nothing per call. */
  #closedPermit: BreakerPermit = { generation: 0, probe: false };

  constructor(options: CircuitBreakerOptions = {}) {
    this.#settings = {
      consecutiveFailures: options.consecutiveFailures ?? BREAKER_CONSECUTIVE_FAILURES,
      windowCalls: options.windowCalls ?? BREAKER_WINDOW_CALLS,
      failureRate: options.failureRate ?? BREAKER_FAILURE_RATE,
      minCalls: options.minCalls ?? BREAKER_MIN_CALLS,
      coolDownMs: options.coolDownMs ?? BREAKER_COOL_DOWN_MS,
      maxCoolDownMs: options.maxCoolDownMs ?? BREAKER_MAX_COOL_DOWN_MS,
      probeLeaseMs: options.probeLeaseMs ?? BREAKER_PROBE_LEASE_MS,
    };
    this.#window = new OutcomeWindow(this.#settings.windowCalls);
  }

  /** Whether a call would be let through now, without taking the probe slot (for route explain and skipping). */
  canPass(now: number): boolean {
    if (this.#phase === "closed") return true;
    return now >= this.#openUntil && (this.#probeUntil === undefined || now >= this.#probeUntil);
  }

  /** Takes leave to call: always while closed, never during the cool-down, once per probe when half-open. */
  tryAcquire(now: number): BreakerPermit | undefined {
    if (this.#phase === "closed") return this.#closedPermit;
    if (!this.canPass(now)) return undefined;
    // A new generation also disowns a probe whose lease ran out, should it report after all.
    this.#generation += 1;
    this.#probeUntil = now + this.#settings.probeLeaseMs;
    return { generation: this.#generation, probe: true };
  }

  /** Reports a successful call; a probe's success closes the breaker with clean counters. */
  onSuccess(_now: number, permit: BreakerPermit): void {
    if (permit.generation !== this.#generation) return;
    if (this.#phase === "open") {
      this.#phase = "closed";
      this.#generation += 1;
      this.#closedPermit = { generation: this.#generation, probe: false };
      this.#openings = 0;
      this.#probeUntil = undefined;
      this.#window.clear();
    } else {
      this.#window.record(false);
    }
    this.#consecutiveFailures = 0;
  }

  /** Reports a failed call; may open the breaker, or re-open it with a longer cool-down after a probe. */
  onFailure(now: number, permit: BreakerPermit): void {
    if (permit.generation !== this.#generation) return;
    this.#consecutiveFailures += 1;
    if (this.#phase === "open") {
      this.#open(now);
      return;
    }
    this.#window.record(true);
    const { consecutiveFailures, minCalls, failureRate } = this.#settings;
    const rateExceeded = this.#window.count >= minCalls && this.#window.failureRate > failureRate;
    if (this.#consecutiveFailures >= consecutiveFailures || rateExceeded) this.#open(now);
  }

  /**
   * Hands a permit back without an outcome (the client left mid-call): a probe's slot frees at once
   * instead of waiting out its lease, and nothing is counted either way.
   */
  release(permit: BreakerPermit): void {
    if (permit.probe && permit.generation === this.#generation) this.#probeUntil = undefined;
  }

  /** A snapshot for `GET /api/health/deployments` and route explain. */
  state(now: number): BreakerState {
    const common = { consecutiveFailures: this.#consecutiveFailures, failureRate: this.#window.failureRate };
    if (this.#phase === "closed") return { status: "closed", ...common };
    if (now < this.#openUntil) return { status: "open", opensUntil: this.#openUntil, ...common };
    return { status: "half-open", ...common };
  }

  #open(now: number): void {
    const { coolDownMs, maxCoolDownMs } = this.#settings;
    this.#phase = "open";
    this.#generation += 1;
    this.#openings += 1;
    // Doubling per failed probe; the exponent is bounded so the arithmetic stays finite.
    this.#openUntil = now + Math.min(coolDownMs * 2 ** Math.min(this.#openings - 1, 30), maxCoolDownMs);
    this.#probeUntil = undefined;
  }
}

/**
 * @module router/circuit-breaker.test
 * The breaker opens on consecutive failures or on a failure rate, stays shut for its cool-down, lets
 * exactly one probe through when half-open, and ignores late reports from before a state change.
 * Random operation sequences check the invariants against every interleaving fast-check finds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CircuitBreaker, type BreakerPermit, type CircuitBreakerOptions } from "./circuit-breaker.js";

const OPTIONS: CircuitBreakerOptions = {
  consecutiveFailures: 3,
  windowCalls: 10,
  failureRate: 0.5,
  minCalls: 6,
  coolDownMs: 1_000,
  maxCoolDownMs: 5_000,
  probeLeaseMs: 30_000,
};

function acquire(breaker: CircuitBreaker, now: number): BreakerPermit {
  const permit = breaker.tryAcquire(now);
  if (permit === undefined) throw new Error(`breaker refused a call at ${now}`);
  return permit;
}

function failTimes(breaker: CircuitBreaker, count: number, now: number): void {
  for (let index = 0; index < count; index += 1) breaker.onFailure(now, acquire(breaker, now));
}

describe("CircuitBreaker", () => {
  it("starts closed and lets calls through", () => {
    const breaker = new CircuitBreaker(OPTIONS);
    expect(breaker.state(0)).toEqual({ status: "closed", consecutiveFailures: 0, failureRate: 0 });
    expect(breaker.canPass(0)).toBe(true);
    expect(breaker.tryAcquire(0)?.probe).toBe(false);
  });

  it("opens after N consecutive failures and refuses calls for the cool-down", () => {
    const breaker = new CircuitBreaker(OPTIONS);
    failTimes(breaker, 2, 0);
    expect(breaker.state(0).status).toBe("closed");
    failTimes(breaker, 1, 10);
    expect(breaker.state(10)).toEqual({ status: "open", opensUntil: 1_010, consecutiveFailures: 3, failureRate: 1 });
    expect(breaker.canPass(1_009)).toBe(false);
    expect(breaker.tryAcquire(1_009)).toBeUndefined();
  });

  it("resets the consecutive count on a success while closed", () => {
    const breaker = new CircuitBreaker(OPTIONS);
    failTimes(breaker, 2, 0);
    breaker.onSuccess(0, acquire(breaker, 0));
    failTimes(breaker, 2, 0);
    expect(breaker.state(0)).toMatchObject({ status: "closed", consecutiveFailures: 2 });
  });

  it("opens when more than the failure rate of the window failed, once enough calls are known", () => {
    const breaker = new CircuitBreaker(OPTIONS);
    // Alternating keeps the consecutive count below 3: only the rate rule can open it.
    for (let index = 0; index < 3; index += 1) {
      breaker.onFailure(0, acquire(breaker, 0));
      breaker.onSuccess(0, acquire(breaker, 0));
    }
    expect(breaker.state(0)).toMatchObject({ status: "closed", failureRate: 0.5 });
    failTimes(breaker, 1, 0);
    expect(breaker.state(0).status).toBe("open");
  });

  it("does not open on the rate rule below the minimum number of calls", () => {
    const breaker = new CircuitBreaker({ ...OPTIONS, consecutiveFailures: 100 });
    failTimes(breaker, 5, 0);
    expect(breaker.state(0)).toMatchObject({ status: "closed", failureRate: 1 });
  });

  it("turns half-open after the cool-down and lets exactly one probe through", () => {
    const breaker = new CircuitBreaker(OPTIONS);
    failTimes(breaker, 3, 0);
    expect(breaker.state(1_000).status).toBe("half-open");
    const probe = breaker.tryAcquire(1_000);
    expect(probe?.probe).toBe(true);
    expect(breaker.canPass(1_001)).toBe(false);
    expect(breaker.tryAcquire(1_001)).toBeUndefined();
  });

  it("closes with clean counters when the probe succeeds", () => {
    const breaker = new CircuitBreaker(OPTIONS);
    failTimes(breaker, 3, 0);
    breaker.onSuccess(1_500, acquire(breaker, 1_500));
    expect(breaker.state(1_500)).toEqual({ status: "closed", consecutiveFailures: 0, failureRate: 0 });
    expect(breaker.tryAcquire(1_500)?.probe).toBe(false);
  });

  it("re-opens with a doubled cool-down, up to the cap, when probes fail", () => {
    const breaker = new CircuitBreaker(OPTIONS);
    failTimes(breaker, 3, 0);
    const openings: number[] = [];
    let now = 0;
    for (let round = 0; round < 5; round += 1) {
      now = breaker.state(now).opensUntil ?? now;
      breaker.onFailure(now, acquire(breaker, now));
      openings.push((breaker.state(now).opensUntil ?? now) - now);
    }
    expect(openings).toEqual([2_000, 4_000, 5_000, 5_000, 5_000]);
  });

  it("starts again from the base cool-down after it closed", () => {
    const breaker = new CircuitBreaker(OPTIONS);
    failTimes(breaker, 3, 0);
    breaker.onFailure(1_000, acquire(breaker, 1_000));
    breaker.onSuccess(3_000, acquire(breaker, 3_000));
    failTimes(breaker, 3, 4_000);
    expect(breaker.state(4_000).opensUntil).toBe(5_000);
  });

  it("lets another probe through when the first one's lease ran out, and ignores the lost one", () => {
    const breaker = new CircuitBreaker(OPTIONS);
    failTimes(breaker, 3, 0);
    const lost = acquire(breaker, 1_000);
    expect(breaker.tryAcquire(30_999)).toBeUndefined();
    const second = acquire(breaker, 31_000);
    breaker.onFailure(31_001, lost);
    expect(breaker.state(31_001).status).toBe("half-open");
    breaker.onSuccess(31_002, second);
    expect(breaker.state(31_002).status).toBe("closed");
  });

  it("ignores late reports from calls that began before the breaker opened", () => {
    const breaker = new CircuitBreaker(OPTIONS);
    const early = acquire(breaker, 0);
    failTimes(breaker, 3, 0);
    breaker.onSuccess(1_000, early);
    expect(breaker.state(1_000).status).toBe("half-open");
    const probe = acquire(breaker, 1_000);
    breaker.onSuccess(1_100, probe);
    breaker.onFailure(1_200, early);
    expect(breaker.state(1_200)).toMatchObject({ status: "closed", consecutiveFailures: 0 });
  });
});

type Operation = { kind: "acquire" } | { kind: "report"; pick: number; failed: boolean } | { kind: "advance"; ms: number };

const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  fc.constant({ kind: "acquire" as const }),
  fc.record({ kind: fc.constant("report" as const), pick: fc.nat(), failed: fc.boolean() }),
  fc.record({ kind: fc.constant("advance" as const), ms: fc.oneof(fc.integer({ min: 0, max: 1_500 }), fc.integer({ min: 0, max: 40_000 })) }),
);

describe("CircuitBreaker invariants over random call sequences", () => {
  it("never has two probes out at once, never passes an open breaker, and resets on a closed success", () => {
    fc.assert(
      fc.property(fc.array(operationArbitrary, { maxLength: 200, size: "max" }), (operations) => {
        const breaker = new CircuitBreaker(OPTIONS);
        const outstanding: { permit: BreakerPermit; at: number; period: number }[] = [];
        // Counts entries into and out of "closed": a closed-period permit only counts within its own period.
        let period = 0;
        let wasClosed = true;
        const observe = (): void => {
          const closed = breaker.state(now).status === "closed";
          if (closed !== wasClosed) period += 1;
          wasClosed = closed;
        };
        let now = 0;
        for (const operation of operations) {
          if (operation.kind === "advance") {
            now += operation.ms;
          } else if (operation.kind === "acquire") {
            const before = breaker.state(now);
            const canPass = breaker.canPass(now);
            const permit = breaker.tryAcquire(now);
            expect(permit !== undefined).toBe(canPass);
            if (before.status === "open") expect(permit).toBeUndefined();
            if (permit?.probe === true) {
              const live = outstanding.filter((entry) => entry.permit.probe && now - entry.at < (OPTIONS.probeLeaseMs as number));
              expect(live).toEqual([]);
            }
            if (permit !== undefined) outstanding.push({ permit, at: now, period });
          } else if (outstanding.length > 0) {
            const [entry] = outstanding.splice(operation.pick % outstanding.length, 1);
            const { permit, period: issuedIn } = entry as (typeof outstanding)[number];
            const before = breaker.state(now);
            if (operation.failed) {
              breaker.onFailure(now, permit);
              const after = breaker.state(now);
              if (after.status === "open" && before.status !== "open") expect(after.opensUntil).toBeGreaterThanOrEqual(now + (OPTIONS.coolDownMs as number));
            } else {
              breaker.onSuccess(now, permit);
              if (before.status === "closed" && issuedIn === period) expect(breaker.state(now).consecutiveFailures).toBe(0);
            }
            observe();
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("CircuitBreaker.release", () => {
  it("frees the half-open probe slot at once when the probe's caller left without an outcome", () => {
    const breaker = new CircuitBreaker({ consecutiveFailures: 1, coolDownMs: 100, probeLeaseMs: 60_000 });
    breaker.onFailure(0, breaker.tryAcquire(0) as NonNullable<ReturnType<CircuitBreaker["tryAcquire"]>>);
    const probe = breaker.tryAcquire(100);
    expect(probe?.probe).toBe(true);
    expect(breaker.tryAcquire(101)).toBeUndefined();
    breaker.release(probe as NonNullable<typeof probe>);
    expect(breaker.tryAcquire(102)?.probe).toBe(true);
  });

  it("counts nothing: a released closed-state permit leaves the counters alone", () => {
    const breaker = new CircuitBreaker({ consecutiveFailures: 2 });
    breaker.onFailure(0, breaker.tryAcquire(0) as NonNullable<ReturnType<CircuitBreaker["tryAcquire"]>>);
    breaker.release(breaker.tryAcquire(1) as NonNullable<ReturnType<CircuitBreaker["tryAcquire"]>>);
    expect(breaker.state(2)).toMatchObject({ status: "closed", consecutiveFailures: 1 });
  });
});


/**
 * @module router/retry-policy.test
 * What happens after each kind of attempt: retry-worthy answers are retried (or failed over at once
 * when another deployment is healthy), other 4xx come straight back, nothing is retried after stream
 * bytes reached the client, and the attempt and time budgets are respected.
 */
import { describe, expect, it } from "vitest";
import { GatewayError } from "../errors/gateway-error.js";
import type { ForwardResult } from "../upstream/forward.js";
import { decideNext, isRetryable, type AttemptOutcome, type NextStepInput } from "./retry-policy.js";
import type { HeaderBag } from "./retry-delay.js";

/** Compile-time proof that forward()'s results can be handed to the policy as they are. */
export function acceptsForwardResult(result: ForwardResult): AttemptOutcome {
  return result;
}

function upstreamError(status: number, headers: HeaderBag = {}, error: { message?: string; type?: string; code?: string | null } = {}): AttemptOutcome {
  return {
    outcome: "upstream-error",
    status,
    headers,
    body: { error: { message: error.message ?? `HTTP ${status}`, type: error.type ?? "invalid_request_error", code: error.code ?? null } },
  };
}

function failed(code: "upstream_unreachable" | "upstream_timeout" | "upstream_bad_response" | "shutting_down", started = false): AttemptOutcome {
  return { outcome: "failed", error: new GatewayError(code, "failed"), started };
}

const BASE: NextStepInput = {
  result: upstreamError(503),
  attempt: 1,
  elapsedMs: 0,
  budget: { maxAttempts: 3, totalMs: 120_000 },
  otherHealthyDeployment: false,
  streamStarted: false,
  now: Date.parse("2025-06-01T12:00:00Z"),
  random: () => 0.5,
  backoff: { baseMs: 500, maxMs: 8_000, capMs: 60_000 },
};

function next(overrides: Partial<NextStepInput>): ReturnType<typeof decideNext> {
  return decideNext({ ...BASE, ...overrides });
}

describe("isRetryable", () => {
  it.each([408, 409, 429, 500, 502, 503, 504, 529])("retries HTTP %i", (status) => {
    expect(isRetryable(upstreamError(status), false)).toBe(true);
  });

  it.each([400, 401, 403, 404, 413, 422])("does not retry a %i", (status) => {
    expect(isRetryable(upstreamError(status), false)).toBe(false);
  });

  it("retries connection failures and timeouts", () => {
    for (const code of ["upstream_unreachable", "upstream_timeout", "upstream_bad_response"] as const) expect(isRetryable(failed(code), false)).toBe(true);
  });

  it("does not retry when the gateway is shutting down", () => {
    expect(isRetryable(failed("shutting_down"), false)).toBe(false);
  });

  it("retries an upstream that says its model is loading, whatever the status", () => {
    expect(isRetryable(upstreamError(503, {}, { message: "Loading model", type: "unavailable_error" }), false)).toBe(true);
    expect(isRetryable(upstreamError(400, {}, { message: "Model is currently loading" }), false)).toBe(true);
    expect(isRetryable(upstreamError(409, {}, { code: "model_loading" }), false)).toBe(true);
    expect(isRetryable(upstreamError(400, {}, { message: "error loading image from URL" }), false)).toBe(false);
  });

  it("never retries once stream bytes reached the client", () => {
    expect(isRetryable(failed("upstream_timeout", true), true)).toBe(false);
    expect(isRetryable(upstreamError(503), true)).toBe(false);
  });

  it("follows the upstream's x-should-retry header", () => {
    expect(isRetryable(upstreamError(400, { "x-should-retry": "true" }), false)).toBe(true);
    expect(isRetryable(upstreamError(503, { "x-should-retry": "false" }), false)).toBe(false);
  });

  it("does not retry a delivered answer or a client that left", () => {
    expect(isRetryable({ outcome: "delivered" }, false)).toBe(false);
    expect(isRetryable({ outcome: "aborted", started: false }, false)).toBe(false);
  });
});

describe("decideNext", () => {
  it("returns a delivered answer", () => {
    expect(next({ result: { outcome: "delivered" } })).toEqual({ action: "return" });
  });

  it("retries 429 after the Retry-After delay", () => {
    expect(next({ result: upstreamError(429, { "retry-after": "7" }) })).toEqual({ action: "retry-after", delayMs: 7_000 });
  });

  it("retries a 503 after a jittered backoff when no hint is given", () => {
    expect(next({ result: upstreamError(503), attempt: 2 })).toEqual({ action: "retry-after", delayMs: 500 });
  });

  it("retries a refused connection after a backoff", () => {
    expect(next({ result: failed("upstream_unreachable") })).toEqual({ action: "retry-after", delayMs: 250 });
  });

  it("does not retry a 400", () => {
    expect(next({ result: upstreamError(400) })).toEqual({ action: "return" });
    expect(next({ result: upstreamError(400), otherHealthyDeployment: true })).toEqual({ action: "return" });
  });

  it("fails over at once when another deployment is healthy", () => {
    expect(next({ result: upstreamError(429, { "retry-after": "30" }), otherHealthyDeployment: true })).toEqual({ action: "failover" });
    expect(next({ result: failed("upstream_timeout"), otherHealthyDeployment: true })).toEqual({ action: "failover" });
  });

  it("fails over from a redirect or an exhausted quota but never retries the same deployment", () => {
    const redirect = upstreamError(502, {}, { code: "upstream_redirect", type: "server_error" });
    const quota = upstreamError(429, { "retry-after": "1" }, { code: "insufficient_quota" });
    expect(next({ result: redirect, otherHealthyDeployment: true })).toEqual({ action: "failover" });
    expect(next({ result: redirect })).toEqual({ action: "return" });
    expect(next({ result: quota, otherHealthyDeployment: true })).toEqual({ action: "failover" });
  });

  it("returns once the attempt budget is spent", () => {
    expect(next({ attempt: 3 })).toEqual({ action: "return" });
    expect(next({ attempt: 3, otherHealthyDeployment: true })).toEqual({ action: "return" });
  });

  it("returns once the time budget is spent", () => {
    expect(next({ elapsedMs: 120_000, otherHealthyDeployment: true })).toEqual({ action: "return" });
  });

  it("does not sleep past the time budget", () => {
    expect(next({ result: upstreamError(429, { "retry-after": "30" }), elapsedMs: 95_000 })).toEqual({ action: "return" });
    expect(next({ result: upstreamError(429, { "retry-after": "30" }), elapsedMs: 89_000 })).toEqual({ action: "retry-after", delayMs: 30_000 });
  });

  it("does not fail over once stream bytes reached the client", () => {
    expect(next({ result: failed("upstream_timeout", true), streamStarted: true, otherHealthyDeployment: true })).toEqual({ action: "return" });
    const redirect = upstreamError(502, {}, { code: "upstream_redirect" });
    expect(next({ result: redirect, streamStarted: true, otherHealthyDeployment: true })).toEqual({ action: "return" });
  });

  it("retries a stream that failed before any byte reached the client", () => {
    expect(next({ result: failed("upstream_timeout", true), streamStarted: false, otherHealthyDeployment: true })).toEqual({ action: "failover" });
  });

  it("returns when the client left", () => {
    expect(next({ result: { outcome: "aborted", started: false }, otherHealthyDeployment: true })).toEqual({ action: "return" });
  });
});

describe("outbound policy refusals", () => {
  const refused = { outcome: "failed", error: { code: "upstream_forbidden" }, started: false } as const;
  const base = { attempt: 1, elapsedMs: 0, budget: { maxAttempts: 3, totalMs: 60_000 }, streamStarted: false, now: 0, random: () => 0.5 };

  it("fails over to another deployment but never retries the refused one", () => {
    expect(isRetryable(refused, false)).toBe(false);
    expect(decideNext({ ...base, result: refused, otherHealthyDeployment: true })).toEqual({ action: "failover" });
    expect(decideNext({ ...base, result: refused, otherHealthyDeployment: false })).toEqual({ action: "return" });
  });
});


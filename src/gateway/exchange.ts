/**
 * @module gateway/exchange
 * The attempt loop: the one place a request is retried or failed over (SPEC §5). It walks the plan's
 * deployments in strategy order, skips those whose breaker is open or whose rate limit is reached,
 * forwards, books the outcome on the deployment's breaker and latency, and asks the retry policy
 * what next: return, fail over at once, or sleep and retry the same deployment. Failover is allowed
 * until the first byte reaches the client, never after. `forward()` underneath never retries.
 *
 * Where the answer goes is the host's business (an HTTP response, or the library's stream): the host
 * must send nothing to its client before the sink's first write, which is what lets an upstream that
 * failed after its headers but before any body still be failed over.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import type { RequestAdaptation } from "../compat/adaptation.js";
import { GatewayError, isGatewayError } from "../errors/gateway-error.js";
import { toOpenAIErrorBody, type OpenAIErrorBody } from "../errors/openai-error-body.js";
import type { RateDecision, RateLimiter } from "../limits/rate-limiter.js";
import type { Endpoint } from "../providers/types.js";
import { abortableSleep } from "../router/abortable-sleep.js";
import type { BreakerPermit } from "../router/circuit-breaker.js";
import type { HealthRegistry } from "../router/deployment-health.js";
import { decideNext, isRetryable, type AttemptOutcome } from "../router/retry-policy.js";
import { UpstreamAbort } from "../upstream/abort-reason.js";
import { truncatedStreamError } from "../upstream/classify-failure.js";
import { forward, type AbortGate, type ForwardResult, type ResponseSink, type UpstreamCall } from "../upstream/forward.js";
import type { Route } from "./model-router.js";
import { orderCandidates, type Candidate, type Plan } from "./route-planner.js";

/** Retry and backoff settings, resolved from config. */
export interface RetrySettings {
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
  readonly capMs: number;
}

/** What every exchange of a gateway shares. */
export interface ExchangeRuntime {
  readonly health: HealthRegistry;
  readonly limiter: RateLimiter;
  readonly retry: RetrySettings;
  readonly gate: AbortGate | undefined;
  readonly random: () => number;
}

/** The request, able to produce its body and headers for any deployment. */
export interface ExchangeRequest {
  readonly endpoint: Endpoint;
  readonly method: "GET" | "POST";
  readonly plan: Plan;
  /** The body for one deployment (its model name in place). */
  body(route: Route): string | Buffer | Readable | null;
  headers(route: Route): Readonly<Record<string, string>>;
  /** False when the body can be sent only once (a streamed upload): no retry, no failover. */
  readonly repeatable: boolean;
  /** Tokens charged to tokens-per-minute limits before the call (an estimate). */
  readonly estimatedTokens: number;
  /**
   * What the gateway changed in the body of the latest attempt (parameter rules, compat/) and what
   * its answer needs; read by the host when that attempt answers or the exchange fails.
   */
  adaptation?(): RequestAdaptation | undefined;
}

/** A sink that can say, once ended, that the body was not a good answer after all. */
export interface HostSink extends ResponseSink {
  /**
   * Set by `end()` when an event stream ended before a single byte reached the client: nothing was
   * sent, and the attempt counts as a failure that may still be failed over.
   */
  readonly emptyStream?: boolean;
  /** Set by `end()` when a stream that reached the client was cut off or carried an in-band error. */
  readonly brokenStream?: boolean;
  /**
   * Why an empty or broken answer failed, when the sink knows better than "the stream ended early"
   * (a translated answer that did not parse, an in-band error before the first byte).
   */
  readonly failure?: GatewayError | undefined;
  /** Ends a stream that reached the client with an error event (or destroys a plain body). */
  abortWithError(error: GatewayError): void;
}

/** The final answer when no attempt produced one. */
export interface FailedAnswer {
  readonly status: number;
  readonly body: OpenAIErrorBody;
  readonly headers: OutgoingHttpHeaders;
  /** The upstream's own response headers, when an upstream produced the error. */
  readonly upstreamHeaders: IncomingHttpHeaders | undefined;
  /** The gateway's own error, when the answer is not an upstream's error status. */
  readonly error?: GatewayError;
}

/** Where the answer goes. */
export interface ExchangeHost {
  /** A 2xx answer's headers arrived; nothing may reach the client before the sink's first write. */
  open(status: number, headers: IncomingHttpHeaders, route: Route, attempts: number): HostSink;
  /** True once any byte of the answer reached the client: no failover after this. */
  readonly committed: boolean;
  /** No attempt succeeded and nothing was sent: answer with this error. */
  fail(answer: FailedAnswer): void;
  /** The client went away: stop quietly. */
  aborted(): void;
}

/** How the exchange ended, for callers that care. */
export type ExchangeOutcome = "delivered" | "failed" | "aborted";

const CLIENT_GONE = new UpstreamAbort("client-disconnected");

/** Statuses that say the deployment (not the request) is at fault, for its breaker. */
function isDeploymentFailure(result: ForwardResult & { outcome: "upstream-error" }): boolean {
  const status = result.status;
  if (status === 401 || status === 403 || status === 404) return true;
  return isRetryable(result as AttemptOutcome, false);
}

/** Header value of an attempt count; small counts are the rule, so their strings are shared. */
const COUNT_STRINGS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
export function attemptsHeader(attempts: number): string {
  return COUNT_STRINGS[attempts] ?? String(attempts);
}

/** One request's walk through its plan. */
export class Exchange {
  readonly #runtime: ExchangeRuntime;
  readonly #request: ExchangeRequest;
  readonly #host: ExchangeHost;
  readonly #startedAt = Date.now();
  #attempts = 0;
  #call: UpstreamCall | undefined;
  #sink: HostSink | undefined;
  #gone = false;
  #sleep: AbortController | undefined;

  constructor(runtime: ExchangeRuntime, request: ExchangeRequest, host: ExchangeHost) {
    this.#runtime = runtime;
    this.#request = request;
    this.#host = host;
  }

  /** The client left: abort the call under way and any sleep; no further attempt starts. */
  abort(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#call?.abort(CLIENT_GONE);
    this.#sleep?.abort(CLIENT_GONE);
  }

  /** Runs the loop to the end; never rejects for upstream trouble (the host is told instead). */
  async run(): Promise<ExchangeOutcome> {
    const { plan } = this.#request;
    const { health, limiter, random } = this.#runtime;
    const cost = { requests: 1, tokens: this.#request.estimatedTokens };
    let now = this.#startedAt;
    if (plan.limits !== undefined) {
      const decision = await limiter.tryConsume(plan.limitKey, cost, plan.limits, now);
      if (!decision.allowed) return this.#rateLimited(decision.retryAfterMs, plan.name);
    }
    const order = orderCandidates(plan, health, now, random);
    let index = 0;
    let smallestWait: number | undefined;
    let lastFailure: { candidate: Candidate; result: ForwardResult } | undefined;
    for (;;) {
      if (this.#gone) return this.#end("aborted");
      let candidate: Candidate | undefined;
      let permit: BreakerPermit | undefined;
      for (; index < order.length; index += 1) {
        const next = order[index] as Candidate;
        if (!next.health.breaker.canPass(now)) continue;
        if (next.limits !== undefined) {
          const decision: RateDecision = await limiter.tryConsume(next.limitKey, cost, next.limits, now);
          if (!decision.allowed) {
            smallestWait = smallestWait === undefined ? decision.retryAfterMs : Math.min(smallestWait, decision.retryAfterMs);
            continue;
          }
        }
        // Taken last, so a deployment skipped for its rate limit never holds the half-open probe slot.
        permit = next.health.breaker.tryAcquire(now);
        if (permit === undefined) continue;
        candidate = next;
        break;
      }
      if (candidate === undefined || permit === undefined) {
        if (lastFailure !== undefined) return this.#failWith(lastFailure.candidate, lastFailure.result);
        if (smallestWait !== undefined) return this.#rateLimited(smallestWait, plan.name);
        return this.#allOpen(order, now);
      }

      const result = await this.#attempt(candidate, permit);
      now = Date.now();
      const sink = this.#sink;
      this.#sink = undefined;
      if (result.outcome === "aborted") return this.#end("aborted");
      if (result.outcome === "delivered" && sink?.emptyStream !== true) return this.#end(sink?.brokenStream === true ? "failed" : "delivered");
      const failure: ForwardResult =
        result.outcome === "delivered" ? { outcome: "failed", started: false, error: sinkFailure(sink, candidate.route) } : result;
      lastFailure = { candidate, result: failure };
      if (this.#host.committed) {
        // Bytes already reached the client: end its stream with an error event, never a clean finish.
        if (failure.outcome === "failed") this.#endCommitted(sink, failure.error);
        return this.#end("failed");
      }
      if (!this.#request.repeatable) return this.#failWith(candidate, failure);
      const step = decideNext({
        result: failure as AttemptOutcome,
        attempt: this.#attempts,
        elapsedMs: now - this.#startedAt,
        budget: { maxAttempts: this.#runtime.retry.maxAttempts, totalMs: plan.totalMs },
        otherHealthyDeployment: this.#otherHealthy(order, index + 1, now),
        streamStarted: false,
        now,
        random,
        backoff: { baseMs: this.#runtime.retry.baseMs, maxMs: this.#runtime.retry.maxMs, capMs: this.#runtime.retry.capMs },
      });
      if (step.action === "return") return this.#failWith(candidate, failure);
      if (step.action === "failover") {
        index += 1;
        continue;
      }
      this.#sleep = new AbortController();
      try {
        await abortableSleep(step.delayMs, this.#sleep.signal);
      } catch {
        return this.#end("aborted");
      } finally {
        this.#sleep = undefined;
      }
      now = Date.now();
      // Same deployment again (index unchanged); its breaker and limits are checked afresh.
    }
  }

  /** One call to one deployment, with its bookkeeping. */
  #attempt(candidate: Candidate, permit: BreakerPermit): Promise<ForwardResult> {
    const health = candidate.health;
    const route = candidate.route;
    const startedAt = Date.now();
    this.#attempts += 1;
    const attempts = this.#attempts;
    let body: ReturnType<ExchangeRequest["body"]>;
    try {
      body = this.#request.body(route);
    } catch (error) {
      // This deployment's wire cannot express the request (a translation refused it): its answer, never sent.
      if (!isGatewayError(error)) throw error;
      health.breaker.release(permit);
      return Promise.resolve({ outcome: "upstream-error", status: error.status, headers: {}, body: toOpenAIErrorBody(error) });
    }
    health.inFlight += 1;
    health.requests += 1;
    const call = forward(
      { target: route.target, method: this.#request.method, headers: this.#request.headers(route), body },
      (status, headers) => {
        const now = Date.now();
        // Time to first byte measures the replica; total time mostly measures the answer's length.
        this.#runtime.health.latency.recordLatency(candidate.id, now - startedAt, now);
        const sink = this.#host.open(status, headers, route, attempts);
        this.#sink = sink;
        return sink;
      },
      this.#runtime.gate,
    );
    this.#call = call;
    if (this.#gone) call.abort(CLIENT_GONE);
    return call.result.then((result) => {
      this.#call = undefined;
      health.inFlight -= 1;
      this.#book(candidate, permit, result);
      return result;
    });
  }

  /** Reports the outcome to the deployment's breaker and remembers the last error. */
  #book(candidate: Candidate, permit: BreakerPermit, result: ForwardResult): void {
    const health = candidate.health;
    const now = Date.now();
    switch (result.outcome) {
      case "aborted":
        health.breaker.release(permit);
        return;
      case "delivered": {
        const sink = this.#sink;
        if (sink?.emptyStream === true || sink?.brokenStream === true) health.recordFailure(now, permit, sinkFailure(sink, candidate.route));
        else health.recordSuccess(now, permit, true);
        return;
      }
      case "upstream-error": {
        const { message, code } = result.body.error;
        if (isDeploymentFailure(result)) health.recordFailure(now, permit, { status: result.status, code: code ?? "upstream_error", message });
        // The client's own mistake (400, 413, 422…): a client sending bad requests must not open a breaker.
        else health.recordSuccess(now, permit, false);
        return;
      }
      case "failed":
        health.recordFailure(now, permit, result.error);
        return;
    }
  }

  /** Whether an untried deployment after `from` would pass its breaker and rate limit now. */
  #otherHealthy(order: readonly Candidate[], from: number, now: number): boolean {
    const cost = { requests: 1, tokens: this.#request.estimatedTokens };
    for (let index = from; index < order.length; index += 1) {
      const candidate = order[index] as Candidate;
      if (!candidate.health.breaker.canPass(now)) continue;
      if (candidate.limits !== undefined) {
        const decision = this.#runtime.limiter.peek(candidate.limitKey, cost, candidate.limits, now);
        // A limiter answering asynchronously (Redis) is not waited on here: assume it has room.
        if (!(decision instanceof Promise) && !decision.allowed) continue;
      }
      return true;
    }
    return false;
  }

  #endCommitted(sink: HostSink | undefined, error: GatewayError): void {
    sink?.abortWithError(error);
  }

  #end(outcome: ExchangeOutcome): ExchangeOutcome {
    if (outcome === "aborted") this.#host.aborted();
    return outcome;
  }

  #headers(deployment: string): OutgoingHttpHeaders {
    return { "x-switchyard-deployment": deployment, "x-switchyard-attempts": attemptsHeader(this.#attempts) };
  }

  #failWith(candidate: Candidate, result: ForwardResult): ExchangeOutcome {
    const headers = this.#headers(candidate.route.deployment);
    if (result.outcome === "upstream-error") {
      this.#host.fail({ status: result.status, body: result.body, headers, upstreamHeaders: result.headers });
    } else if (result.outcome === "failed") {
      this.#host.fail({ status: result.error.status, body: toOpenAIErrorBody(result.error), headers: { ...headers, ...result.error.headers }, upstreamHeaders: undefined, error: result.error });
    }
    return "failed";
  }

  #rateLimited(waitMs: number, name: string): ExchangeOutcome {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    return this.#refuse(new GatewayError("deployment_rate_limited", `Every deployment of '${name}' is at its rate limit; retry in ${seconds} s.`), seconds);
  }

  #allOpen(order: readonly Candidate[], now: number): ExchangeOutcome {
    let soonest: number | undefined;
    for (const candidate of order) {
      const until = candidate.health.breaker.state(now).opensUntil;
      if (until !== undefined) soonest = soonest === undefined ? until : Math.min(soonest, until);
    }
    const seconds = Math.max(1, Math.ceil(((soonest ?? now) - now) / 1000));
    const names = order.map((candidate) => candidate.id).join(", ");
    const error = new GatewayError(
      "no_healthy_deployment",
      `No deployment of '${this.#request.plan.name}' is available: every circuit breaker is open after repeated failures (${names}). Retry in ${seconds} s.`,
    );
    return this.#refuse(error, seconds);
  }

  /** Switchyard's own refusal (limits, breakers), with the seconds after which to retry. */
  #refuse(error: GatewayError, retryAfterSeconds: number): ExchangeOutcome {
    this.#host.fail({
      status: error.status,
      body: toOpenAIErrorBody(error),
      headers: { "retry-after": String(retryAfterSeconds), "x-switchyard-attempts": attemptsHeader(this.#attempts) },
      upstreamHeaders: undefined,
      error,
    });
    return "failed";
  }
}

/** Why a delivered body was not a good answer: the sink's own reason, else a cut-off stream. */
function sinkFailure(sink: HostSink | undefined, route: Route): GatewayError {
  return sink?.failure ?? truncatedStreamError(route.target);
}

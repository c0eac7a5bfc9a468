/**
 * @module router/retry-policy
 * The one place that decides what happens after an attempt (STYLE.md §13): return the answer, fail
 * over to another deployment at once, or sleep and retry the same one. Retries cover connection
 * failures, 408, 409, 429, 5xx and "model loading" answers; other 4xx go back to the client at once,
 * and nothing is retried once stream bytes reached the client. Pure: no clock, no I/O.
 */
import { retryDelayMs, type HeaderBag } from "./retry-delay.js";

/** The parts of a ForwardResult (upstream/forward.ts) the policy reads; in-band stream errors fit too. */
export type AttemptOutcome =
  | { readonly outcome: "delivered" }
  | {
      readonly outcome: "upstream-error";
      readonly status: number;
      readonly headers: HeaderBag;
      readonly body: { readonly error: { readonly message: string; readonly type: string; readonly code: string | null } };
    }
  | { readonly outcome: "failed"; readonly error: { readonly code: string }; readonly started: boolean }
  | { readonly outcome: "aborted"; readonly started: boolean };

/** llama.cpp "Loading model", TGI "Model is currently loading", LocalAI/llama-swap `model_loading`. */
const LOADING = /\bloading model\b|\bmodel (?:is )?(?:still |currently )?loading\b|\bmodel_loading\b/i;

function saysLoading(error: { readonly message: string; readonly type: string; readonly code: string | null }): boolean {
  return LOADING.test(error.message) || error.type === "model_loading" || error.code === "model_loading";
}

/**
 * Answers that this deployment will keep giving but another may not: a redirect (wrong base URL,
 * relayed by forward() as a 502), an exhausted quota (a 429 no wait will fix) and an address the
 * outbound policy refuses. Worth a failover,
 * never a retry on the same deployment.
 */
function isDeploymentFault(result: AttemptOutcome): boolean {
  // The outbound policy refused this deployment's address: every retry would be refused too.
  if (result.outcome === "failed") return result.error.code === "upstream_forbidden";
  if (result.outcome !== "upstream-error") return false;
  const { code } = result.body.error;
  return code === "upstream_redirect" || code === "insufficient_quota";
}

/**
 * Whether the same request may be sent again. Connection errors and timeouts (`failed`) are retried,
 * except a shutdown. An upstream's `x-should-retry: true|false` wins, as in the official SDKs.
 */
export function isRetryable(result: AttemptOutcome, streamStarted: boolean): boolean {
  // After the first byte reached the client a second answer cannot be spliced in.
  if (streamStarted) return false;
  switch (result.outcome) {
    case "delivered":
    case "aborted":
      return false;
    case "failed":
      return result.error.code !== "shutting_down" && result.error.code !== "upstream_forbidden";
    case "upstream-error": {
      const advice = result.headers["x-should-retry"];
      if (advice === "true" || advice === "false") return advice === "true";
      if (isDeploymentFault(result)) return false;
      const { status } = result;
      return status === 408 || status === 409 || status === 429 || status >= 500 || saysLoading(result.body.error);
    }
  }
}

/** Per-request limits across all deployments; ROUTER_MAX_ATTEMPTS is the usual `maxAttempts`. */
export interface RetryBudget {
  /** Attempts in all, first call and failovers included. */
  readonly maxAttempts: number;
  /** Wall time for the whole request, retries and sleeps included. */
  readonly totalMs: number;
}

/** Everything {@link decideNext} looks at. */
export interface NextStepInput {
  readonly result: AttemptOutcome;
  /** Attempts made so far, the one that produced `result` included. */
  readonly attempt: number;
  readonly elapsedMs: number;
  readonly budget: RetryBudget;
  /** Another deployment is left untried whose breaker and rate limit would let it pass. */
  readonly otherHealthyDeployment: boolean;
  /** True once any byte of the answer reached the client. */
  readonly streamStarted: boolean;
  readonly now: number;
  readonly random: () => number;
  /** Backoff overrides, see retry-delay.ts. */
  readonly backoff?: { readonly baseMs?: number; readonly maxMs?: number; readonly capMs?: number };
}

/** What the attempt loop does next. */
export type NextStep = { readonly action: "return" } | { readonly action: "failover" } | { readonly action: "retry-after"; readonly delayMs: number };

const RETURN: NextStep = { action: "return" };
const FAILOVER: NextStep = { action: "failover" };
const NO_HEADERS: HeaderBag = {};

/**
 * Return, fail over, or retry after a delay. Failing over beats sleeping: a healthy replica answers
 * now, while the failed one said it needs time. A retry whose sleep would outlast the time budget is
 * not attempted, so a client is not held only to get the same error later.
 */
export function decideNext(input: NextStepInput): NextStep {
  const { result, attempt, elapsedMs, streamStarted } = input;
  const { maxAttempts, totalMs } = input.budget;
  const retryable = isRetryable(result, streamStarted);
  const failoverOnly = !streamStarted && isDeploymentFault(result);
  if (!retryable && !failoverOnly) return RETURN;
  if (attempt >= maxAttempts || elapsedMs >= totalMs) return RETURN;
  if (input.otherHealthyDeployment) return FAILOVER;
  if (failoverOnly) return RETURN;
  const headers = result.outcome === "upstream-error" ? result.headers : NO_HEADERS;
  const delayMs = retryDelayMs({ attempt, headers, now: input.now, random: input.random, ...input.backoff });
  return elapsedMs + delayMs >= totalMs ? RETURN : { action: "retry-after", delayMs };
}

/**
 * @module router/retry-delay
 * How long to wait before retrying the same deployment: the upstream's own hint (`retry-after-ms`,
 * Azure's `x-ms-retry-after-ms`, then `Retry-After` as seconds or an HTTP date) when it lies within
 * [0, cap], otherwise exponential backoff with full jitter. Modelled on openai-node's
 * `calculateDefaultRetryTimeoutMillis`, but a hint of 0 is honoured (openai-node treats 0 as absent)
 * and the HTTP-date form is read against an injected clock (Portkey ignores it).
 */
import { RETRY_AFTER_CAP_MS, RETRY_BASE_DELAY_MS, RETRY_MAX_DELAY_MS } from "../defaults.js";

/** Response headers as Node delivers them (lower-case names; repeated headers as arrays). */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

const DECIMAL = /^\s*\d+(?:\.\d+)?\s*$/;

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return typeof value === "string" ? value : value?.[0];
}

/**
 * The delay the upstream asked for, in ms, uncapped (the breaker may use a long one as its cool-down),
 * or undefined when absent or unreadable. A date in the past means "now" (RFC 9110 §10.2.3).
 */
export function parseRetryAfterMs(headers: HeaderBag, now: number): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = header(headers, name);
    if (value !== undefined && DECIMAL.test(value)) return Number(value);
  }
  const value = header(headers, "retry-after");
  if (value === undefined) return undefined;
  if (DECIMAL.test(value)) return Number(value) * 1000;
  // An HTTP date always names a weekday and month; this keeps "-5" or "" from parsing as a year.
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Inputs of {@link retryDelayMs}; the three limits default to the RETRY_* constants. */
export interface RetryDelayInput {
  /** 1-based number of the attempt that just failed; the first retry waits at most `baseMs`. */
  readonly attempt: number;
  readonly headers: HeaderBag;
  /** Epoch ms, for the HTTP-date form of `Retry-After`. */
  readonly now: number;
  /** [0, 1), like Math.random; injected so tests are deterministic. */
  readonly random: () => number;
  readonly baseMs?: number;
  /** Ceiling of the backoff step. */
  readonly maxMs?: number;
  /** Longest upstream hint that is obeyed; longer ones fall back to backoff. */
  readonly capMs?: number;
}

/** Milliseconds to sleep before retrying the same deployment. */
export function retryDelayMs(input: RetryDelayInput): number {
  const { attempt, headers, now, random } = input;
  const { baseMs = RETRY_BASE_DELAY_MS, maxMs = RETRY_MAX_DELAY_MS, capMs = RETRY_AFTER_CAP_MS } = input;
  const hint = parseRetryAfterMs(headers, now);
  if (hint !== undefined && hint <= capMs) return Math.ceil(hint);
  // Full jitter (AWS "Exponential Backoff and Jitter"): spreads retries from many clients the most.
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.floor(random() * ceiling);
}

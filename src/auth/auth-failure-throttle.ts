/**
 * @module auth/auth-failure-throttle
 * Slows admin-key guessing: past a number of failed attempts per client address per minute,
 * further attempts are refused with 429 before the key is even checked. Successful attempts cost
 * nothing, so a person who mistypes once and a script using the right key never notice it.
 */
import { ADMIN_AUTH_FAILURES_PER_MINUTE, RATE_LIMIT_MAX_KEYS } from "../defaults.js";

const WINDOW_MS = 60_000;

interface Window {
  startedAt: number;
  failures: number;
}

/** Failed attempts per client address in fixed one-minute windows. */
export class AuthFailureThrottle {
  readonly #windows = new Map<string, Window>();
  readonly #limit: number;
  readonly #maxClients: number;

  constructor(options: { limit?: number; maxClients?: number } = {}) {
    this.#limit = options.limit ?? ADMIN_AUTH_FAILURES_PER_MINUTE;
    this.#maxClients = options.maxClients ?? RATE_LIMIT_MAX_KEYS;
  }

  /** Milliseconds until `client` may try again, or 0 when it may try now. */
  blockedFor(client: string, now: number): number {
    const window = this.#windows.get(client);
    if (window === undefined) return 0;
    const endsAt = window.startedAt + WINDOW_MS;
    if (endsAt <= now) {
      this.#windows.delete(client);
      return 0;
    }
    return window.failures >= this.#limit ? endsAt - now : 0;
  }

  /** Counts one failed attempt. */
  recordFailure(client: string, now: number): void {
    const window = this.#windows.get(client);
    if (window !== undefined && window.startedAt + WINDOW_MS > now) {
      window.failures += 1;
      return;
    }
    this.#windows.delete(client);
    this.#windows.set(client, { startedAt: now, failures: 1 });
    // Bounded memory: the oldest window goes first, which only ever lets an attempt through.
    if (this.#windows.size > this.#maxClients) {
      const oldest = this.#windows.keys().next();
      if (oldest.done !== true) this.#windows.delete(oldest.value);
    }
  }
}

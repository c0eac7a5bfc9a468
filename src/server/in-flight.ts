/**
 * @module server/in-flight
 * Counts requests under way so shutdown can wait for them, and acts as the gate that tells calls
 * still running after the grace period to stop. A count and a flag, not a registry of calls: a
 * long-lived set holding every request made request objects outlive young-generation GC under load.
 */
import type { AbortGate } from "../upstream/forward.js";

/** Requests under way, and the shutdown switch they check. */
export class InFlightRequests implements AbortGate {
  #count = 0;
  #closed = false;
  #idle: (() => void) | undefined;

  /** True once shutdown has given up waiting: calls end with an error at their next chunk. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Counts a request in; pair every call with exactly one `done()`. */
  add(): void {
    this.#count += 1;
  }

  /** Counts a request out. */
  done(): void {
    this.#count -= 1;
    if (this.#count === 0) this.#idle?.();
  }

  get size(): number {
    return this.#count;
  }

  /** Resolves once nothing is in flight, or after `timeoutMs`; returns whether it drained. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.#count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#idle = undefined;
        resolve(false);
      }, timeoutMs);
      this.#idle = () => {
        clearTimeout(timer);
        this.#idle = undefined;
        resolve(true);
      };
    });
  }

  /** Tells every call still running to stop at its next chunk; stalled ones end when sockets close. */
  abortAll(): void {
    this.#closed = true;
  }
}

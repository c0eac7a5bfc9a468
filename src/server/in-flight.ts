/**
 * @module server/in-flight
 * Tracks requests under way so shutdown can wait for them and then abort the stragglers.
 */
import { UpstreamAbort } from "../upstream/abort-reason.js";
import type { UpstreamCall } from "../upstream/forward.js";

/** The set of in-flight requests, each with the call that aborts its upstream call. */
export class InFlightRequests {
  readonly #calls = new Set<UpstreamCall>();
  #idle: (() => void) | undefined;

  /** Registers a request; call the returned function when it has finished. */
  add(call: UpstreamCall): () => void {
    this.#calls.add(call);
    return () => {
      this.#calls.delete(call);
      if (this.#calls.size === 0) this.#idle?.();
    };
  }

  get size(): number {
    return this.#calls.size;
  }

  /** Resolves once nothing is in flight, or after `timeoutMs`; returns whether it drained. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.#calls.size === 0) return Promise.resolve(true);
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

  /** Aborts every request still in flight. */
  abortAll(): void {
    for (const call of this.#calls) call.abort(new UpstreamAbort("shutdown"));
  }
}

/**
 * @module server/in-flight
 * Tracks requests under way so shutdown can wait for them and then abort the stragglers.
 */
import { UpstreamAbort } from "../upstream/abort-reason.js";

/** The set of in-flight requests, each with the controller that aborts its upstream call. */
export class InFlightRequests {
  readonly #controllers = new Set<AbortController>();
  #idle: (() => void) | undefined;

  /** Registers a request; call the returned function when it has finished. */
  add(controller: AbortController): () => void {
    this.#controllers.add(controller);
    return () => {
      this.#controllers.delete(controller);
      if (this.#controllers.size === 0) this.#idle?.();
    };
  }

  get size(): number {
    return this.#controllers.size;
  }

  /** Resolves once nothing is in flight, or after `timeoutMs`; returns whether it drained. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.#controllers.size === 0) return Promise.resolve(true);
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
    for (const controller of this.#controllers) controller.abort(new UpstreamAbort("shutdown"));
  }
}

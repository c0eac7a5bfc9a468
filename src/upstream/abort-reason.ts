/**
 * @module upstream/abort-reason
 * Why an upstream call was aborted, carried as the AbortSignal's reason so the failure can be
 * reported precisely (a client that left gets nothing; a total timeout gets a 504).
 */

/** The causes of an abort the gateway itself decides. */
export type AbortCause = "client-disconnected" | "total-timeout" | "shutdown";

/** The reason passed to `AbortController.abort()`. */
export class UpstreamAbort extends Error {
  readonly kind: AbortCause;

  constructor(cause: AbortCause) {
    super(`upstream call aborted: ${cause}`);
    this.name = "UpstreamAbort";
    this.kind = cause;
  }
}

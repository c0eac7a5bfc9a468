/**
 * @module discovery/discovery-error
 * The one error discovery throws: a stable code plus a plain-language diagnosis as its message.
 */
import type { DiscoveryFailureCode } from "./discovery-types.js";

/** A listing that failed, with what went wrong in words a user can act on. */
export class DiscoveryError extends Error {
  readonly code: DiscoveryFailureCode;
  /** The upstream's HTTP status, when it answered at all. */
  readonly status: number | undefined;

  constructor(code: DiscoveryFailureCode, diagnosis: string, options: { status?: number | undefined; cause?: unknown } = {}) {
    super(diagnosis, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DiscoveryError";
    this.code = code;
    this.status = options.status;
  }
}

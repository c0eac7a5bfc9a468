/**
 * @module errors/gateway-error
 * The one error class the gateway throws. Its `code` selects status and type from the catalogue.
 */
import { ERROR_CATALOGUE, type ErrorCode, type OpenAIErrorType } from "./error-catalogue.js";

/** Options for {@link GatewayError}. */
export interface GatewayErrorOptions {
  /** The request parameter at fault, reported to clients as `param`. */
  readonly param?: string;
  /** Extra response headers (for example `Allow` on 405, `Retry-After` on 429). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Overrides the catalogue status; used when relaying an upstream's status. */
  readonly status?: number;
  /** Overrides the catalogue type; used when relaying an upstream's error type. */
  readonly type?: string;
  /** Overrides the code reported to clients (an upstream's own code); `code` still selects the entry. */
  readonly clientCode?: string | null;
  readonly cause?: unknown;
}

/** An error with a stable code, rendered to clients as an OpenAI error body. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: OpenAIErrorType | string;
  readonly param: string | null;
  readonly clientCode: string | null;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GatewayError";
    this.code = code;
    this.status = options.status ?? ERROR_CATALOGUE[code].status;
    this.type = options.type ?? ERROR_CATALOGUE[code].type;
    this.param = options.param ?? null;
    this.clientCode = options.clientCode === undefined ? code : options.clientCode;
    this.headers = options.headers;
  }
}

/** True for a {@link GatewayError}. */
export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}

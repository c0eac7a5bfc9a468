/**
 * @module util/error-code
 * Reading the errno / undici code of a failure, for every place that explains network errors.
 */

/** The errno or undici code of an error, looking through `cause` chains (undici wraps socket errors). */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** OpenSSL and Node certificate codes; `ERR_SSL_WRONG_VERSION_NUMBER` is https:// spoken to a plain-HTTP port. */
export const TLS_ERROR_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL_)/;

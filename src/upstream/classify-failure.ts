/**
 * @module upstream/classify-failure
 * Maps a failed upstream call (undici and socket error codes) to a GatewayError whose message names
 * the provider and host and says what happened in plain words. Keys never appear: messages are
 * built from the target, not from the error text.
 */
import { GatewayError } from "../errors/gateway-error.js";
import { OUTBOUND_FORBIDDEN_CODE } from "../security/outbound-policy.js";
import { errorCode, TLS_ERROR_CODE } from "../util/error-code.js";
import { UpstreamAbort } from "./abort-reason.js";
import type { UpstreamTarget } from "./upstream-target.js";

/** Describes a failed upstream call as a 502/504 GatewayError. */
export function classifyUpstreamFailure(error: unknown, target: UpstreamTarget): GatewayError {
  if (error instanceof GatewayError) return error;
  const where = `upstream provider '${target.provider}' at ${target.host}`;
  if (error instanceof UpstreamAbort && error.kind === "total-timeout") return totalTimeout(where, target, error);
  if (error instanceof UpstreamAbort && error.kind === "shutdown") {
    return new GatewayError("shutting_down", `Switchyard is shutting down; the call to ${where} was aborted.`, { cause: error });
  }
  const code = errorCode(error);
  switch (code) {
    // Clients learn only that the policy refused; the address and the reason go to the log.
    case OUTBOUND_FORBIDDEN_CODE:
      return new GatewayError("upstream_forbidden", `The upstream address for provider '${target.provider}' is not allowed by the outbound policy.`, { cause: error });
    case "UND_ERR_CONNECT_TIMEOUT":
      return new GatewayError("upstream_timeout", `Timed out connecting to ${where} after ${target.timeouts.connectMs} ms.`, { cause: error });
    // The first-byte and idle timers are capped at the total deadline; name the one that fired.
    case "UND_ERR_HEADERS_TIMEOUT":
      if (target.timeouts.totalMs <= target.timeouts.firstByteMs) return totalTimeout(where, target, error);
      return new GatewayError("upstream_timeout", `Timed out: ${where} sent no response within ${target.timeouts.firstByteMs} ms.`, { cause: error });
    case "UND_ERR_BODY_TIMEOUT":
      if (target.timeouts.totalMs <= target.timeouts.idleMs) return totalTimeout(where, target, error);
      return new GatewayError("upstream_timeout", `Timed out: ${where} went silent for ${target.timeouts.idleMs} ms mid-response.`, { cause: error });
    case "ECONNREFUSED":
      return new GatewayError("upstream_unreachable", `Cannot reach ${where}: connection refused (is the server running?).`, { cause: error });
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new GatewayError("upstream_unreachable", `Cannot reach ${where}: the host name does not resolve.`, { cause: error });
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return new GatewayError("upstream_unreachable", `Cannot reach ${where}: no route to host.`, { cause: error });
    case "ECONNRESET":
    case "EPIPE":
    case "UND_ERR_SOCKET":
    case "UND_ERR_CLOSED":
      return new GatewayError("upstream_unreachable", `Connection to ${where} was closed unexpectedly.`, { cause: error });
    default:
      break;
  }
  if (code !== undefined && TLS_ERROR_CODE.test(code)) {
    return new GatewayError("upstream_unreachable", `TLS error talking to ${where} (${code}).`, { cause: error });
  }
  if (code !== undefined && code.startsWith("HPE_")) {
    return new GatewayError("upstream_bad_response", `${capitalize(where)} sent a response that is not valid HTTP.`, { cause: error });
  }
  return new GatewayError("upstream_unreachable", `Call to ${where} failed${code ? ` (${code})` : ""}.`, { cause: error });
}

/** A chat or completions stream that ended without a finish reason or `[DONE]`: the answer was cut off. */
export function truncatedStreamError(target: UpstreamTarget): GatewayError {
  return new GatewayError(
    "upstream_stream_truncated",
    `Upstream provider '${target.provider}' at ${target.host} ended the stream before the answer finished (no finish_reason and no [DONE]).`,
  );
}

function totalTimeout(where: string, target: UpstreamTarget, cause: unknown): GatewayError {
  return new GatewayError("upstream_timeout", `Timed out: ${where} did not finish within ${target.timeouts.totalMs} ms.`, { cause });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

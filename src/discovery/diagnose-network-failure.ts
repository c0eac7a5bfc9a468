/**
 * @module discovery/diagnose-network-failure
 * Turns a failed connection (no HTTP answer at all) into a code and a sentence a user can act on.
 * Messages are built from the URL and the error code only, never from the error's text, which
 * could in principle echo request details.
 */
import { DiscoveryError } from "./discovery-error.js";
import { errorCode, TLS_ERROR_CODE } from "../util/error-code.js";
import { hostAndPort } from "./base-url.js";
import { describeRefusal, findOutboundRefusal, OUTBOUND_FORBIDDEN_CODE } from "../security/outbound-policy.js";

export { errorCode };

/** What is known about the attempt besides the error itself. */
export interface NetworkFailureContext {
  /** The URL that was being requested. */
  readonly url: URL;
  readonly connectTimeoutMs: number;
  /** The listing's overall deadline, and whether it is what cut the attempt short. */
  readonly deadlineMs: number;
  readonly deadlineExpired: boolean;
}

function tlsAdvice(code: string): string {
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST/.test(code)) {
    return "the server does not seem to speak TLS there; if it serves plain HTTP, use http:// instead of https://";
  }
  if (/SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY/.test(code)) return "its certificate is not signed by a trusted authority (self-signed?)";
  if (/CERT_HAS_EXPIRED/.test(code)) return "its certificate has expired";
  if (/ALTNAME|HOSTNAME_MISMATCH/.test(code)) return "its certificate is for a different host name";
  return "check that the server's certificate is valid and that this port serves HTTPS";
}

/** The policy's own explanation (built from the refusal's fields, never from request data). */
function refusalReason(error: unknown): string {
  const refusal = findOutboundRefusal(error);
  return refusal === undefined ? "the outbound policy refuses this address." : describeRefusal(refusal);
}

/** Diagnoses a request that got no HTTP answer. */
export function diagnoseNetworkFailure(error: unknown, context: NetworkFailureContext): DiscoveryError {
  const where = hostAndPort(context.url);
  const fail = (code: DiscoveryError["code"], diagnosis: string) => new DiscoveryError(code, diagnosis, { cause: error });
  if (context.deadlineExpired) {
    return fail("timeout", `No complete answer from ${where} within ${context.deadlineMs} ms. The server may be overloaded or still starting up.`);
  }
  const code = errorCode(error);
  switch (code) {
    case OUTBOUND_FORBIDDEN_CODE:
      return fail("outbound_forbidden", `Switchyard did not connect to ${where}: ${refusalReason(error)}`);
    case "ECONNREFUSED":
      return fail("refused", `Nothing is listening at ${where} — is the server running, and is the port right?`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
    case "EAI_FAIL":
      return fail(
        "dns",
        `The host name '${context.url.hostname}' does not resolve. Check the spelling; from inside Docker, the machine running Docker is usually host.docker.internal.`,
      );
    case "UND_ERR_CONNECT_TIMEOUT":
    case "ETIMEDOUT":
      return fail("timeout", `Could not connect to ${where} within ${context.connectTimeoutMs} ms. The address may be wrong, or a firewall drops the connection.`);
    case "UND_ERR_HEADERS_TIMEOUT":
      return fail("timeout", `${where} accepted the connection but sent no answer in time. The server may be busy or still starting up.`);
    case "UND_ERR_BODY_TIMEOUT":
      return fail("timeout", `${where} stopped sending its answer halfway through.`);
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EHOSTDOWN":
      return fail("unreachable", `There is no route to ${where}. Check the address and this machine's network (VPN, Docker network).`);
    case "ECONNRESET":
    case "EPIPE":
    case "UND_ERR_SOCKET":
    case "UND_ERR_CLOSED":
      return fail("unreachable", `${where} closed the connection without answering. A proxy or firewall may be cutting it, or the port serves something else.`);
    default:
      break;
  }
  if (code !== undefined && TLS_ERROR_CODE.test(code)) {
    return fail("tls", `The TLS handshake with ${where} failed (${code}): ${tlsAdvice(code)}.`);
  }
  if (code !== undefined && code.startsWith("HPE_")) {
    return fail("bad_response", `${where} answered with something that is not HTTP. The port may belong to another kind of server.`);
  }
  return fail("unreachable", `Could not reach ${where}${code === undefined ? "" : ` (${code})`}.`);
}

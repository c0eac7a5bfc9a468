/**
 * @module errors/error-catalogue
 * The single table of stable error codes: each code's HTTP status and OpenAI error `type`.
 * Clients (the official SDKs) map the status to an exception class; keep statuses exact.
 */

/** OpenAI error `type` values the SDKs and client code recognise. */
export type OpenAIErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "rate_limit_error"
  | "server_error"
  | "api_error";

interface CatalogueEntry {
  readonly status: number;
  readonly type: OpenAIErrorType;
}

/** Every error code Switchyard itself produces. */
export const ERROR_CATALOGUE = {
  invalid_json: { status: 400, type: "invalid_request_error" },
  invalid_request: { status: 400, type: "invalid_request_error" },
  json_too_deep: { status: 400, type: "invalid_request_error" },
  missing_model: { status: 400, type: "invalid_request_error" },
  unsupported_endpoint: { status: 400, type: "invalid_request_error" },
  /** Strict parameter mode: no deployment can take a parameter the request sent (compat/). */
  unsupported_parameter: { status: 400, type: "invalid_request_error" },
  model_not_found: { status: 404, type: "invalid_request_error" },
  route_not_found: { status: 404, type: "not_found_error" },
  method_not_allowed: { status: 405, type: "invalid_request_error" },
  body_too_large: { status: 413, type: "invalid_request_error" },
  url_too_long: { status: 414, type: "invalid_request_error" },
  unsupported_media_type: { status: 415, type: "invalid_request_error" },
  headers_too_large: { status: 431, type: "invalid_request_error" },
  request_timeout: { status: 408, type: "invalid_request_error" },
  /** An admin action named a base URL the outbound policy refuses (security/outbound-policy.ts). */
  forbidden_base_url: { status: 400, type: "invalid_request_error" },
  upstream_error: { status: 502, type: "server_error" },
  upstream_unreachable: { status: 502, type: "server_error" },
  upstream_bad_response: { status: 502, type: "server_error" },
  upstream_redirect: { status: 502, type: "server_error" },
  /** The outbound policy refused the upstream's address; the message never says which address. */
  upstream_forbidden: { status: 502, type: "server_error" },
  upstream_stream_truncated: { status: 502, type: "server_error" },
  upstream_timeout: { status: 504, type: "server_error" },
  /** Every deployment of the model is at its configured rate limit (Switchyard's own limits). */
  deployment_rate_limited: { status: 429, type: "rate_limit_error" },
  /** Every deployment of the model is set aside by its circuit breaker. */
  no_healthy_deployment: { status: 503, type: "server_error" },
  shutting_down: { status: 503, type: "server_error" },
  not_found: { status: 404, type: "not_found_error" },
  conflict: { status: 409, type: "invalid_request_error" },
  already_exists: { status: 409, type: "invalid_request_error" },
  encryption_key_invalid: { status: 503, type: "server_error" },
  encryption_key_missing: { status: 503, type: "server_error" },
  secret_tampered: { status: 503, type: "server_error" },
  store_unavailable: { status: 503, type: "server_error" },
  internal_error: { status: 500, type: "server_error" },
  // Inbound access (docs/security.md): gateway keys on /v1, the admin key on /api.
  invalid_api_key: { status: 401, type: "authentication_error" },
  invalid_admin_key: { status: 401, type: "authentication_error" },
  model_not_allowed: { status: 403, type: "permission_error" },
  forbidden_origin: { status: 403, type: "permission_error" },
  forbidden_host: { status: 403, type: "permission_error" },
  /** The gateway key's own rpm/tpm limit (OpenAI's code for the same situation). */
  rate_limit_exceeded: { status: 429, type: "rate_limit_error" },
  too_many_auth_failures: { status: 429, type: "rate_limit_error" },
  admin_key_required: { status: 500, type: "server_error" },
} as const satisfies Record<string, CatalogueEntry>;

/** A stable, documented error code. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** The OpenAI `type` that matches an HTTP status, for errors relayed from upstreams. */
export function errorTypeForStatus(status: number): OpenAIErrorType {
  switch (status) {
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 429:
      return "rate_limit_error";
    default:
      return status >= 500 ? "server_error" : "invalid_request_error";
  }
}

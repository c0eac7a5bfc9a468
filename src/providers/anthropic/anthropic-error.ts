/**
 * @module providers/anthropic/anthropic-error
 * Anthropic error bodies (`{"type":"error","error":{type,message},"request_id"}`), from an error
 * response or an in-band `error` event, → the OpenAI error body, keeping the status, and the one
 * decision whether the call may be retried. Messages are redacted: nothing quoted from the
 * upstream reaches a client with a key in it.
 * @see https://platform.claude.com/docs/en/api/errors
 */
import { MAX_UPSTREAM_ERROR_MESSAGE_CHARS } from "../../defaults.js";
import { errorTypeForStatus } from "../../errors/error-catalogue.js";
import { normalizeUpstreamError, readNativeErrorBody, type NativeErrorInput } from "../../errors/normalize-upstream-error.js";
import type { OpenAIErrorBody } from "../../errors/openai-error-body.js";
import { redactSecrets } from "../../secrets/redact-secrets.js";
import { isRecord } from "../../util/is-record.js";

/**
 * Each documented `error.type` with the HTTP status Anthropic pairs it with. An in-band stream
 * error arrives after a 200, so its status is taken from here ("overloaded_error … would normally
 * correspond to an HTTP 529 in a non-streaming context").
 */
export const ANTHROPIC_ERROR_STATUS: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  conflict_error: 409,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** Error types that describe a passing condition on Anthropic's side, whatever the status. */
const TRANSIENT_TYPES = new Set(["rate_limit_error", "api_error", "timeout_error", "overloaded_error"]);

/**
 * Whether a call that failed this way may be sent again: 408, 409, 429 and every 5xx (529
 * "overloaded" included), or a transient error type. The router's own rules still apply on top
 * (no retry once stream bytes reached the client).
 */
export function isRetryableAnthropicError(status: number, errorType?: string | null): boolean {
  if (errorType !== undefined && errorType !== null && TRANSIENT_TYPES.has(errorType)) return true;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** A converted Anthropic error. */
export interface AnthropicUpstreamError {
  readonly status: number;
  readonly body: OpenAIErrorBody;
  readonly retryable: boolean;
}

/** What {@link convertAnthropicError} needs from a failed response. */
export type AnthropicErrorInput = NativeErrorInput;

function clip(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > MAX_UPSTREAM_ERROR_MESSAGE_CHARS ? `${trimmed.slice(0, MAX_UPSTREAM_ERROR_MESSAGE_CHARS)}…` : trimmed;
}

/** The message as text: Anthropic documents a string, but an object must not become "[object Object]". */
function messageOf(raw: unknown, errorType: string | undefined): string {
  if (typeof raw === "string" && raw.trim() !== "") return raw;
  if (raw !== undefined && raw !== null && typeof raw !== "string") return JSON.stringify(raw);
  return `Anthropic reported ${errorType ?? "an error"} without a message.`;
}

/**
 * An exhausted budget will not recover by waiting, so it gets OpenAI's `insufficient_quota` code,
 * which the router treats as "fail over, do not retry" (router/retry-policy.ts).
 */
function isQuotaError(errorType: string | undefined, error: Record<string, unknown>): boolean {
  const details = error["details"];
  return errorType === "billing_error" || (isRecord(details) && details["error_code"] === "enforced_spend_limit_reached");
}

/**
 * Builds the OpenAI body for an Anthropic `error` object. `status` is the HTTP status, or
 * undefined for an in-band stream error (then taken from the error type).
 */
export function convertAnthropicErrorObject(error: unknown, requestId: unknown, status: number | undefined, secrets: readonly string[]): AnthropicUpstreamError {
  const record = isRecord(error) ? error : {};
  const errorType = typeof record["type"] === "string" && record["type"] !== "" ? record["type"] : undefined;
  const effectiveStatus = status ?? (errorType === undefined ? undefined : ANTHROPIC_ERROR_STATUS[errorType]) ?? 500;
  let message = messageOf(record["message"], errorType);
  // The request id is what Anthropic support asks for; it is not a secret.
  if (typeof requestId === "string" && requestId !== "") message += ` (Anthropic request id ${requestId})`;
  const quota = isQuotaError(errorType, record);
  return {
    status: effectiveStatus,
    body: {
      error: {
        message: clip(redactSecrets(message, secrets)),
        type: errorTypeForStatus(effectiveStatus),
        param: null,
        code: quota ? "insufficient_quota" : errorType === undefined ? null : clip(redactSecrets(errorType, secrets)),
      },
    },
    retryable: !quota && isRetryableAnthropicError(effectiveStatus, errorType),
  };
}

/**
 * Converts an Anthropic error response. Bodies in Anthropic's shape are read field by field;
 * anything else (Cloudflare's 413 page, an empty body, a proxy's JSON) goes through the generic
 * normaliser, so no shape crashes the gateway.
 */
export function convertAnthropicError(input: AnthropicErrorInput): AnthropicUpstreamError {
  const { buffer, json } = readNativeErrorBody(input);
  if (isRecord(json) && isRecord(json["error"]) && (json["type"] === "error" || json["request_id"] !== undefined)) {
    return convertAnthropicErrorObject(json["error"], json["request_id"], input.status, input.secrets);
  }
  const body = normalizeUpstreamError({ status: input.status, contentType: input.contentType, body: buffer, provider: "anthropic", secrets: input.secrets });
  return { status: input.status, body, retryable: isRetryableAnthropicError(input.status) };
}

/**
 * @module providers/azure/azure-content-filter
 * Azure OpenAI's content filter, made legible. A filtered prompt is a 400 whose body is OpenAI-like
 * but says only "The response was filtered due to the prompt triggering Azure OpenAI's content
 * management policy"; which category fired is buried in `innererror.content_filter_result`
 * (`inner_error.content_filter_results` in some versions). The OpenAI error built here names the
 * categories. A filtered completion (`finish_reason: "content_filter"`) is already a valid OpenAI
 * answer and is left as it is; {@link describeFilteredCompletion} says what fired, for a header or
 * the log.
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/concepts/content-filter
 */
import { MAX_UPSTREAM_ERROR_MESSAGE_CHARS } from "../../defaults.js";
import { normalizeUpstreamError, readNativeErrorBody, type NativeErrorInput } from "../../errors/normalize-upstream-error.js";
import type { OpenAIErrorBody } from "../../errors/openai-error-body.js";
import { redactSecrets } from "../../secrets/redact-secrets.js";
import { isRecord } from "../../util/is-record.js";

/**
 * The categories marked `filtered: true` in a content-filter result object, with their severity
 * when Azure gives one: `{"violence":{"filtered":true,"severity":"medium"},"jailbreak":{"filtered":true,"detected":true}}`
 * → `["violence (medium)", "jailbreak"]`.
 */
export function filteredCategories(results: unknown): string[] {
  if (!isRecord(results)) return [];
  const categories: string[] = [];
  for (const [name, value] of Object.entries(results)) {
    if (!isRecord(value) || value["filtered"] !== true) continue;
    const severity = value["severity"];
    categories.push(typeof severity === "string" && severity !== "" ? `${name} (${severity})` : name);
  }
  return categories;
}

function innerResults(error: Record<string, unknown>): unknown {
  const inner = isRecord(error["innererror"]) ? error["innererror"] : error["inner_error"];
  if (!isRecord(inner)) return undefined;
  return inner["content_filter_result"] ?? inner["content_filter_results"];
}

/** True for an Azure error object that reports the content filter. */
export function isContentFilterError(error: unknown): error is Record<string, unknown> {
  return isRecord(error) && error["code"] === "content_filter";
}

/**
 * The OpenAI error body for an Azure content-filter error object. Category names are quoted from
 * the upstream, so the message goes through the redaction function like any upstream text.
 */
export function contentFilterErrorBody(error: Record<string, unknown>, secrets: readonly string[] = []): OpenAIErrorBody {
  const categories = filteredCategories(innerResults(error));
  const which = categories.length > 0 ? ` (${categories.join(", ")})` : "";
  const message = `Azure OpenAI's content filter blocked the prompt${which}. Rephrase the prompt, or change the content filter configuration of the Azure deployment.`;
  return {
    error: {
      message: redactSecrets(message, secrets).slice(0, MAX_UPSTREAM_ERROR_MESSAGE_CHARS),
      type: "invalid_request_error",
      param: typeof error["param"] === "string" ? error["param"] : null,
      code: "content_filter",
    },
  };
}

/** A converted Azure error. */
export interface AzureUpstreamError {
  readonly status: number;
  readonly body: OpenAIErrorBody;
  /** The content filter refused the prompt: retrying the same prompt cannot help. */
  readonly contentFilter: boolean;
}

/** What {@link convertAzureError} needs from a failed response. */
export type AzureErrorInput = NativeErrorInput;

/**
 * Converts an Azure OpenAI error response, keeping the status. Content-filter errors get a message
 * naming the categories; every other shape (`{"error":{"code":"DeploymentNotFound","message"}}`,
 * HTML, nothing) goes through the generic normaliser.
 */
export function convertAzureError(input: AzureErrorInput): AzureUpstreamError {
  const { buffer, json } = readNativeErrorBody(input);
  if (isRecord(json) && isContentFilterError(json["error"])) {
    return { status: input.status, body: contentFilterErrorBody(json["error"], input.secrets), contentFilter: true };
  }
  const body = normalizeUpstreamError({ status: input.status, contentType: input.contentType, body: buffer, provider: "azure", secrets: input.secrets });
  return { status: input.status, body, contentFilter: false };
}

/**
 * For a completion Azure cut short (`finish_reason: "content_filter"`), the categories that fired
 * (`"violence (high)"`), or undefined when nothing was filtered. Reads a response body or one
 * stream chunk.
 */
export function describeFilteredCompletion(json: unknown): string | undefined {
  if (!isRecord(json) || !Array.isArray(json["choices"])) return undefined;
  const categories = new Set<string>();
  for (const choice of json["choices"]) {
    if (!isRecord(choice) || choice["finish_reason"] !== "content_filter") continue;
    for (const category of filteredCategories(choice["content_filter_results"])) categories.add(category);
    if (categories.size === 0) categories.add("unspecified category");
  }
  return categories.size === 0 ? undefined : [...categories].join(", ");
}

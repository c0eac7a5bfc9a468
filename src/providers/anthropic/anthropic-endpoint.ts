/**
 * @module providers/anthropic/anthropic-endpoint
 * Where and how a native Messages call goes: `{root}/v1/messages` with `x-api-key` and the
 * required `anthropic-version` header (a Bearer header is refused there, wire-quirks.md §9a).
 * Both are meant to be built once when the config loads (STYLE.md §9).
 * @see https://platform.claude.com/docs/en/api/overview
 */
import { joinPath, rootBefore } from "../../discovery/base-url.js";
import { ANTHROPIC_VERSION } from "../../discovery/list-anthropic-models.js";

export { ANTHROPIC_VERSION };

/**
 * The Messages endpoint for a base URL given with or without `/v1`
 * (`https://api.anthropic.com[/v1]` → `https://api.anthropic.com/v1/messages`). A proxy prefix in
 * front of `/v1` is kept; a query string is dropped.
 */
export function anthropicMessagesUrl(baseUrl: string): string {
  return joinPath(rootBefore(baseUrl, /^v1$/), "/v1/messages").toString();
}

/** Request headers for the Messages API. No key (a keyless proxy) means no `x-api-key` header. */
export function anthropicHeaders(apiKey: string | undefined): Record<string, string> {
  return {
    "content-type": "application/json",
    "anthropic-version": ANTHROPIC_VERSION,
    ...(apiKey === undefined || apiKey === "" ? {} : { "x-api-key": apiKey }),
  };
}

/**
 * @module discovery/base-url
 * URL arithmetic for discovery: where a kind's native list lives relative to the configured base
 * URL, how to show a URL without leaking anything, and which base-URL mistakes to point out.
 */

/**
 * A URL fit for a message: no user-info and no query string, since either may hold a secret
 * (`https://user:pass@…`, Gemini's `?key=`).
 */
export function displayUrl(url: URL | string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, "");
}

/** `host:port`, with the scheme's default port spelled out, as users see it in server logs. */
export function hostAndPort(url: URL): string {
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return `${url.hostname}:${port}`;
}

/**
 * The base URL with its path cut before the first segment matching `segment`, e.g. Ollama's
 * `http://host:11434/v1` → `http://host:11434` for `/api/tags`, or Gemini's
 * `…/v1beta/openai` → the origin for its native `/v1beta/models`. A reverse-proxy prefix in front
 * of that segment (`https://proxy/ollama/v1`) is kept. The query string is dropped.
 */
export function rootBefore(baseUrl: string, segment: RegExp): URL {
  const url = new URL(baseUrl);
  const parts = url.pathname.split("/").filter((part) => part !== "");
  const index = parts.findIndex((part) => segment.test(part));
  const kept = index === -1 ? parts : parts.slice(0, index);
  url.pathname = kept.length === 0 ? "/" : `/${kept.join("/")}`;
  url.search = "";
  url.hash = "";
  return url;
}

/** `root` + `path`, joined with exactly one slash. */
export function joinPath(root: URL, path: string): URL {
  const url = new URL(root);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${path}`;
  return url;
}

/** Endpoint suffixes users paste into the base URL field by mistake. */
const ENDPOINT_SUFFIX = /\/(chat\/completions|completions|embeddings|models|audio\/speech|audio\/transcriptions)$/;

/** A path segment naming an API version: `v1`, `v1beta`, `v2`. */
const VERSION_SEGMENT = /\/v\d+[a-z0-9]*(\/|$)/i;

/**
 * The likely fix for a base URL whose model list was not found, as a sentence, or undefined when
 * the URL looks right. Covers the mistakes users make with OpenAI-compatible servers: a missing
 * `/v1` (`http://localhost:1234`), a doubled one (`…/v1/v1`, when a client also appends it), and a
 * full endpoint pasted as the base.
 */
export function suggestBaseUrlFix(baseUrl: string): string | undefined {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, "");
  const shown = displayUrl(url);
  if (/\/v1\/v1(\/|$)/.test(path)) {
    const fixed = displayUrl(`${url.origin}${path.replace(/\/v1\/v1(?=\/|$)/, "/v1")}`);
    return `The base URL repeats /v1 (${shown}); try ${fixed}.`;
  }
  const suffix = ENDPOINT_SUFFIX.exec(path);
  if (suffix !== null) {
    const fixed = displayUrl(`${url.origin}${path.slice(0, suffix.index)}`);
    return `The base URL should stop before /${suffix[1] ?? ""}; try ${fixed}.`;
  }
  if (!VERSION_SEGMENT.test(path)) return `The base URL has no /v1; try ${shown}/v1.`;
  return undefined;
}

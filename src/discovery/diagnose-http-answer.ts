/**
 * @module discovery/diagnose-http-answer
 * Explains an HTTP answer that is not a usable model list: error statuses, HTML pages, and 200s
 * without a list. Shapes come from shared/reference/wire-quirks.md: llama.cpp's 503
 * `{"error":{"code":503,"message":"Loading model"}}`, LM Studio's 200 to unknown paths, Ollama's
 * empty 403 from its Host-header guard, TGI's empty 401, vLLM's `{"error":"Unauthorized"}`.
 */
import { MAX_QUOTED_MESSAGE_CHARS } from "./discovery-limits.js";
import { DiscoveryError } from "./discovery-error.js";
import { displayUrl, hostAndPort, suggestBaseUrlFix } from "./base-url.js";
import { redactSecrets } from "../secrets/redact-secrets.js";
import { checkOutboundUrl } from "../security/check-outbound-url.js";
import { DEFAULT_OUTBOUND_POLICY } from "../security/outbound-policy.js";
import { isRecord } from "../util/is-record.js";

/** An answer as received: status, a bounded prefix of the body, and the headers diagnoses use. */
export interface HttpAnswer {
  readonly status: number;
  readonly contentType?: string | undefined;
  readonly body: Buffer;
  readonly retryAfter?: string | undefined;
  readonly location?: string | undefined;
}

/** What the diagnosis may refer to. */
export interface AnswerContext {
  /** The URL requested. */
  readonly url: URL;
  /** The base URL as configured, for "try …/v1" advice. */
  readonly baseUrl: string;
  /** Whether base-URL path advice applies (OpenAI-style lists, whose path the user typed). */
  readonly pathHints: boolean;
  readonly hasKey: boolean;
  /** The key and every header value: redacted from anything quoted. */
  readonly secrets: readonly string[];
}



/** `JSON.parse`, or undefined. DeepSeek pads bodies with blank lines, which JSON.parse accepts. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether the body is an HTML page rather than an API answer. */
export function looksLikeHtml(text: string): boolean {
  const start = text.trimStart().slice(0, 15).toLowerCase();
  return start.startsWith("<!doctype") || start.startsWith("<html") || start.startsWith("<head") || start.startsWith("<body");
}

function htmlTitle(text: string): string | undefined {
  return /<title[^>]*>([^<]{1,200})<\/title>/i.exec(text)?.[1]?.trim() || undefined;
}

/**
 * The message in the JSON error shapes real servers send: OpenAI/llama.cpp/vLLM `error.message`,
 * Ollama/TGI/vLLM-401 `error` as a string, Gemini's one-element array, Anthropic's
 * `{type:"error",error:{message}}`, FastAPI's `detail`, old vLLM's flat `message`.
 */
function jsonMessage(json: unknown): string | undefined {
  const root = Array.isArray(json) ? json[0] : json;
  if (!isRecord(root)) return undefined;
  const inner = root["error"];
  if (typeof inner === "string") return inner;
  if (isRecord(inner) && typeof inner["message"] === "string") return inner["message"];
  if (typeof root["message"] === "string") return root["message"];
  if (typeof root["detail"] === "string") return root["detail"];
  return undefined;
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > MAX_QUOTED_MESSAGE_CHARS ? `${line.slice(0, MAX_QUOTED_MESSAGE_CHARS)}…` : line;
}

/** What the upstream itself said, ready to append: `: "Loading model"`, ` (an HTML page titled "…")`, or "". */
function upstreamSays(answer: HttpAnswer, secrets: readonly string[]): string {
  const text = answer.body.toString("utf8");
  if (text.trim() === "") return "";
  if (looksLikeHtml(text)) {
    const title = htmlTitle(text);
    return title === undefined ? " (an HTML page)" : ` (an HTML page titled "${clip(redactSecrets(title, secrets))}")`;
  }
  const json = parseJson(text);
  const message = json === undefined ? (answer.contentType?.includes("json") ? undefined : text) : jsonMessage(json);
  return message === undefined || message.trim() === "" ? "" : `: "${clip(redactSecrets(message, secrets))}"`;
}

function pathFix(context: AnswerContext): string | undefined {
  return context.pathHints ? suggestBaseUrlFix(context.baseUrl) : undefined;
}

/** Where a redirect points, or "refused" when no policy would ever allow it (metadata, link-local, other schemes). */
function redirectTarget(answer: HttpAnswer, url: URL): string | undefined {
  if (answer.location === undefined) return undefined;
  try {
    const target = new URL(answer.location, url);
    return checkOutboundUrl(target, DEFAULT_OUTBOUND_POLICY).ok ? displayUrl(target) : "refused";
  } catch {
    return undefined;
  }
}

/** Diagnoses an answer with a status other than 2xx. */
export function diagnoseHttpAnswer(answer: HttpAnswer, context: AnswerContext): DiscoveryError {
  const { status } = answer;
  const where = hostAndPort(context.url);
  const shown = displayUrl(context.url);
  const says = upstreamSays(answer, context.secrets);
  const fail = (code: DiscoveryError["code"], diagnosis: string) => new DiscoveryError(code, diagnosis, { status });
  if (status === 401) {
    return context.hasKey
      ? fail("unauthorized", `${where} rejected the API key (HTTP 401). Check that the key is correct, still active, and meant for this provider.`)
      : fail("unauthorized", `${where} wants an API key (HTTP 401), but this credential has none.`);
  }
  if (status === 403) {
    // Ollama's allowedHostsMiddleware answers an empty 403 when the Host header is not local (wire-quirks.md §2).
    const ollamaHint =
      answer.body.length === 0
        ? " An empty 403 is also how Ollama refuses a Host header that is not local: behind a reverse proxy, make it send Host: localhost, or start Ollama with OLLAMA_HOST=0.0.0.0."
        : "";
    return fail("forbidden", `${where} refused access (HTTP 403)${says}. The key may lack permission for this endpoint, or an allow-list or firewall blocks this machine.${ollamaHint}`);
  }
  if (status === 404) {
    const fix = pathFix(context);
    return fail("not_found_path", `No model list at ${shown} (HTTP 404). ${fix ?? "Check the base URL."}`);
  }
  if (status === 503) {
    const retry = answer.retryAfter === undefined ? "" : ` (it asks to retry after ${answer.retryAfter} s)`;
    return fail("model_loading", `${where} is up but not ready (HTTP 503)${says}. It is most likely still loading a model or starting up; try again shortly${retry}.`);
  }
  if (status === 429) return fail("server_error", `${where} is rate-limiting requests (HTTP 429)${says}. Try again shortly.`);
  if (status >= 300 && status < 400) {
    const target = redirectTarget(answer, context.url);
    // Redirects are never followed; one towards a refused address is not worth suggesting either.
    if (target === "refused") return fail("bad_response", `${shown} redirects (HTTP ${status}) to an address the outbound policy refuses. Redirects are not followed; check the base URL.`);
    return fail(
      "bad_response",
      target === undefined ? `${shown} answered with a redirect (HTTP ${status}). Use the address it redirects to as the base URL.` : `${shown} redirects (HTTP ${status}) to ${target}. Use that address as the base URL.`,
    );
  }
  if (status >= 500) {
    // 502 and 504 come from a proxy that could not get an answer from the server behind it.
    const proxy = status === 502 || status === 504 ? " A proxy in front of the model server could not get an answer from it." : " The server reported an internal failure; its logs will say more.";
    return fail("server_error", `${where} answered HTTP ${status}${says}.${proxy}`);
  }
  const fix = pathFix(context);
  return fail("bad_response", `${where} answered HTTP ${status} to GET ${shown}${says}.${fix === undefined ? "" : ` ${fix}`}`);
}

/** Diagnoses a 2xx answer that is not the expected model list. */
export function diagnoseNotAList(answer: HttpAnswer, context: AnswerContext): DiscoveryError {
  const { status } = answer;
  const where = hostAndPort(context.url);
  const shown = displayUrl(context.url);
  const fix = pathFix(context);
  const advice = fix === undefined ? "" : ` ${fix}`;
  const fail = (code: DiscoveryError["code"], diagnosis: string) => new DiscoveryError(code, diagnosis, { status });
  const text = answer.body.toString("utf8");
  if (looksLikeHtml(text)) {
    const title = htmlTitle(text);
    return fail(
      "bad_response",
      `${shown} answered with an HTML page${title === undefined ? "" : ` ("${clip(redactSecrets(title, context.secrets))}")`} instead of a JSON model list: the base URL points at a web page (a web UI or a login page?), not at the API.${advice}`,
    );
  }
  const json = parseJson(text);
  if (json === undefined) return fail("bad_response", `${shown} answered with something that is not JSON, so it is not a model list.${advice}`);
  const message = jsonMessage(json);
  // LM Studio answers HTTP 200 `{"error":"Unexpected endpoint or method. (GET /x)"}` to paths it does not serve.
  const unexpectedEndpoint = message !== undefined && /unexpected endpoint/i.test(message);
  if (fix !== undefined || unexpectedEndpoint) {
    return fail(
      "not_found_path",
      `${where} answered HTTP ${status} but without a model list; some servers (LM Studio, for one) answer that way for paths they do not serve, so the base URL is probably wrong.${fix === undefined ? "" : ` ${fix}`}`,
    );
  }
  const says = message === undefined ? "" : `: "${clip(redactSecrets(message, context.secrets))}"`;
  return fail("bad_response", `${shown} answered HTTP ${status} but not with a model list${says}. The base URL may point at the wrong path or the wrong server.`);
}

/**
 * @module errors/normalize-upstream-error
 * Turns whatever an upstream sent with an error status — OpenAI JSON, another JSON shape, plain
 * text, an HTML page or nothing — into an OpenAI error body, keeping the upstream's status.
 * Shapes seen on real servers are listed in shared/reference/wire-quirks.md §0.
 */
import { MAX_UPSTREAM_ERROR_MESSAGE_CHARS } from "../defaults.js";
import { redactSecrets } from "../secrets/redact-secrets.js";
import { errorTypeForStatus } from "./error-catalogue.js";
import type { OpenAIErrorBody } from "./openai-error-body.js";
import { isRecord, type JsonRecord } from "../util/is-record.js";

/** What the gateway knows about a failed upstream response. */
export interface UpstreamErrorInput {
  readonly status: number;
  readonly contentType: string | undefined;
  /** At most MAX_UPSTREAM_ERROR_BODY_BYTES of the body. */
  readonly body: Buffer;
  /** Provider name, used in messages when the upstream gave none. */
  readonly provider: string;
  /** Values that must never reach a client (the provider's own key). */
  readonly secrets: readonly string[];
}

/** What a native wire's error converter (Anthropic, Azure) needs: the body may also be text. */
export interface NativeErrorInput {
  readonly status: number;
  readonly contentType?: string | undefined;
  /** At most MAX_UPSTREAM_ERROR_BODY_BYTES of the body. */
  readonly body: Buffer | string;
  /** Values that must never reach a client (the provider's key). */
  readonly secrets: readonly string[];
}

/** A native error body as bytes (for the generic normaliser) and as parsed JSON (undefined when it is not JSON). */
export function readNativeErrorBody(input: NativeErrorInput): { readonly buffer: Buffer; readonly json: unknown } {
  const buffer = typeof input.body === "string" ? Buffer.from(input.body) : input.body;
  try {
    return { buffer, json: JSON.parse(buffer.toString("utf8")) as unknown };
  } catch {
    return { buffer, json: undefined };
  }
}

/** Renders an error message that may be a string, an object (Mistral 422) or an array (FastAPI `detail`). */
function messageText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    // FastAPI validation errors: [{loc: [...], msg, type}]
    const parts = value.map((item) => (isRecord(item) && typeof item["msg"] === "string" ? describeDetail(item) : JSON.stringify(item)));
    return parts.join("; ");
  }
  if (isRecord(value)) {
    if (typeof value["message"] === "string") return value["message"];
    if (value["detail"] !== undefined) return messageText(value["detail"]);
    return JSON.stringify(value);
  }
  return String(value);
}

function describeDetail(item: JsonRecord): string {
  const location = Array.isArray(item["loc"]) ? item["loc"].join(".") : undefined;
  return location ? `${location}: ${String(item["msg"])}` : String(item["msg"]);
}

function stringOrNull(value: unknown): string | null {
  if (typeof value === "string" && value.length > 0) return value;
  // llama.cpp and LocalAI send the HTTP status as a numeric `code`; OpenRouter too.
  if (typeof value === "number") return String(value);
  return null;
}

interface ParsedError {
  message: string | undefined;
  type: string | null;
  param: string | null;
  code: string | null;
}

/** Reads the error fields out of the JSON shapes real servers use. */
function parseJsonError(json: unknown): ParsedError | undefined {
  // Gemini's OpenAI endpoint wraps the error in a one-element array.
  const root = Array.isArray(json) && json.length > 0 ? json[0] : json;
  if (!isRecord(root)) return undefined;
  const inner = root["error"];
  if (isRecord(inner)) {
    return {
      message: messageText(inner["message"]) ?? messageText(inner),
      type: typeof inner["type"] === "string" && inner["type"] !== "" ? inner["type"] : stringOrNull(inner["status"]),
      param: typeof inner["param"] === "string" ? inner["param"] : null,
      code: stringOrNull(inner["code"]),
    };
  }
  if (typeof inner === "string") {
    // Ollama native, TGI ({"error","error_type"}), vLLM's 401 ({"error":"Unauthorized"}).
    return { message: inner, type: stringOrNull(root["error_type"]), param: null, code: null };
  }
  const message = messageText(root["message"]) ?? messageText(root["detail"]);
  if (message === undefined) return undefined;
  // vLLM (old) and Mistral: flat {"object":"error","message",...}; FastAPI: {"detail": ...}.
  return {
    message,
    type: typeof root["type"] === "string" ? root["type"] : null,
    param: typeof root["param"] === "string" ? root["param"] : null,
    code: stringOrNull(root["code"]),
  };
}

const HTML_TITLE = /<title[^>]*>([^<]{1,200})<\/title>/i;

function looksLikeHtml(text: string): boolean {
  const start = text.trimStart().slice(0, 15).toLowerCase();
  return start.startsWith("<!doctype") || start.startsWith("<html") || start.startsWith("<");
}

function clip(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > MAX_UPSTREAM_ERROR_MESSAGE_CHARS ? `${trimmed.slice(0, MAX_UPSTREAM_ERROR_MESSAGE_CHARS)}…` : trimmed;
}


/** Normalises an upstream error response to an OpenAI error body (the status is kept by the caller). */
export function normalizeUpstreamError(input: UpstreamErrorInput): OpenAIErrorBody {
  const text = input.body.toString("utf8");
  const fallbackType = errorTypeForStatus(input.status);
  let parsed: ParsedError | undefined;
  if (text.trim().length > 0) {
    try {
      parsed = parseJsonError(JSON.parse(text));
    } catch {
      parsed = undefined;
    }
  }
  let message: string;
  if (parsed?.message !== undefined && parsed.message.trim() !== "") {
    message = parsed.message;
  } else if (text.trim().length === 0) {
    message = `Upstream provider '${input.provider}' answered HTTP ${input.status} with an empty body.`;
  } else if (looksLikeHtml(text)) {
    const title = HTML_TITLE.exec(text)?.[1]?.trim();
    message = `Upstream provider '${input.provider}' answered HTTP ${input.status} with an HTML page${title ? ` ("${title}")` : ""}.`;
  } else if (parsed === undefined && isJsonContentType(input.contentType) === false) {
    message = text;
  } else {
    message = `Upstream provider '${input.provider}' answered HTTP ${input.status}: ${text}`;
  }
  return {
    error: {
      // Redact before clipping, so no part of a key straddling the cut survives.
      message: clip(redactSecrets(message, input.secrets)),
      // The other fields are quoted from the upstream too, and an echo can land in any of them.
      type: parsed?.type == null ? fallbackType : clip(redactSecrets(parsed.type, input.secrets)),
      param: parsed?.param == null ? null : clip(redactSecrets(parsed.param, input.secrets)),
      code: parsed?.code == null ? null : clip(redactSecrets(parsed.code, input.secrets)),
    },
  };
}

function isJsonContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.includes("json");
}

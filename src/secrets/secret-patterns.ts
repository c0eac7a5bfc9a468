/**
 * @module secrets/secret-patterns
 * The one list of what counts as a secret by its shape or its place, whatever the value: header
 * names, field names, query parameters and provider key prefixes. Logs (pino redact paths and the
 * value scrubber), error bodies and future metrics all take it from here.
 */

/** What a redacted value is replaced with, everywhere. */
export const REDACTED = "[redacted]";

/** Header names (lower case) whose values are credentials. */
export const SECRET_HEADER_NAMES: readonly string[] = [
  "authorization",
  "proxy-authorization",
  "x-api-key",
  "api-key",
  "x-goog-api-key",
  "cookie",
  "set-cookie",
];

/**
 * Object keys (lower case) whose values are replaced whole in log lines: the headers above plus the
 * field names Switchyard and its config use for keys.
 */
export const SECRET_FIELD_NAMES: ReadonlySet<string> = new Set([...SECRET_HEADER_NAMES, "apikey", "api_key", "service_keys", "servicekeys", "password", "secret"]);

/** Query parameters that carry keys (Gemini's `?key=`, Azure SAS `?sig=`, generic tokens). */
export const SECRET_QUERY_PARAMETERS: readonly string[] = ["key", "api_key", "api-key", "apikey", "access_token", "token", "sig", "signature", "password"];

/**
 * Prefixes of provider keys, so a key Switchyard never stored (a client's, an upstream's echo of
 * another) is still caught: OpenAI `sk-`/`sk-proj-`, Anthropic `sk-ant-`, Switchyard gateway keys
 * `sk-sy-` (and generated admin keys `sy-admin-`), OpenRouter `sk-or-`, Groq `gsk_`, xAI `xai-`, Google `AIza`, Hugging Face `hf_`,
 * Perplexity `pplx-`, NVIDIA `nvapi-`, Replicate `r8_`, Cerebras `csk-`, Fireworks `fw_`.
 */
export const KEY_PREFIXES: readonly string[] = ["sk-", "sk_", "gsk_", "xai-", "AIza", "hf_", "pplx-", "nvapi-", "r8_", "csk-", "fw_", "sy-admin-"];

/**
 * Characters after a prefix before a token counts as a key. Real keys carry 20 to 160; 16 keeps
 * words like `sk-learn` or `hf_transfer` out.
 */
const MIN_KEY_BODY_CHARS = 16;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
}

// Not preceded by a letter or digit, so `task-…` or `risk-…` never match `sk-`.
const KEY_PATTERN = new RegExp(`(?<![A-Za-z0-9])(?:${KEY_PREFIXES.map(escape).join("|")})[A-Za-z0-9_\\-]{${MIN_KEY_BODY_CHARS},}`, "g");

// `Bearer <token>` / `Basic <token>` anywhere in free text (an upstream quoting our Authorization).
// "Basic" only capitalised: the lower-case word is ordinary English.
const AUTH_SCHEME_PATTERN = /\b(Bearer|bearer|BEARER|Basic)(\s+)[A-Za-z0-9._~+/=-]{8,}/g;

// `x-api-key: value`, `"api-key":"value"`, `authorization=Bearer value` in free text or JSON.
const HEADER_VALUE_PATTERN = new RegExp(`\\b(${SECRET_HEADER_NAMES.map(escape).join("|")})(["']?\\s*[:=]\\s*["']?)(?:(?:Bearer|Basic)\\s+)?[^\\s"',;&<>]+`, "gi");

// `?key=…` / `&api_key=…` in URLs quoted anywhere.
const QUERY_PATTERN = new RegExp(`([?&;](?:${SECRET_QUERY_PARAMETERS.map(escape).join("|")})=)[^&#\\s"'<>]*`, "gi");

// `scheme://user:password@host`: the user-info part of any URL. Both parts are bounded, so text an
// upstream crafted (a long dotted run before `://`, no `@` after) cannot make the scan quadratic.
const USER_INFO_PATTERN = /\b([a-z][a-z0-9+.-]{0,31}:\/\/)[^/\s@"'<>]{1,512}@/gi;

/** A quick filter: text without any of these characters or words cannot match a pattern. */
const MAYBE_SECRET = /[=@:]|sk[-_]|gsk_|xai-|AIza|hf_|pplx-|nvapi-|r8_|csk-|fw_|sy-admin-|bearer|basic/i;

/**
 * Replaces every value that looks like a secret by its shape or place: provider key prefixes,
 * `Bearer`/`Basic` credentials, secret header values, secret query parameters and URL user-info.
 */
export function scrubSecretPatterns(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text;
  return text
    .replace(USER_INFO_PATTERN, `$1${REDACTED}@`)
    .replace(HEADER_VALUE_PATTERN, `$1$2${REDACTED}`)
    .replace(AUTH_SCHEME_PATTERN, `$1$2${REDACTED}`)
    .replace(QUERY_PATTERN, `$1${REDACTED}`)
    .replace(KEY_PATTERN, REDACTED);
}

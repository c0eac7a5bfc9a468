/**
 * @module secrets/safe-url
 * A URL fit for a message or a log line: no user-info and no query string or fragment, since any of
 * them may hold a secret (`https://user:pass@…`, Gemini's `?key=`, a SAS `&sig=`). Works on text
 * that does not parse as a URL too, because that is exactly what error messages quote.
 */
import { redactSecrets } from "./redact-secrets.js";

/** `scheme://host[:port]/path` of `raw`, with anything secret-looking removed. */
export function safeUrl(raw: string): string {
  let shown: string;
  try {
    const url = new URL(raw);
    shown = `${url.protocol}//${url.host}${url.pathname === "/" && !raw.endsWith("/") ? "" : url.pathname}`;
  } catch {
    // Not a URL: cut the same parts by hand.
    shown = raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, "$1").replace(/[?#].*$/s, "");
  }
  return redactSecrets(shown);
}

/**
 * @module secrets/redact-secrets
 * Last line of defence for anything quoted from an upstream (error messages, diagnoses): it may
 * echo the key it was sent — some proxies quote the whole Authorization header in their error page.
 * This is the single redaction function: error bodies, diagnoses and the logger all call it, so
 * stored values and the shapes in secret-patterns.ts are removed the same way everywhere.
 */
import { REDACTED, scrubSecretPatterns } from "./secret-patterns.js";

/** Secrets shorter than this cannot be replaced without mangling ordinary words. */
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of each stored secret with `[redacted]`, then every value that looks
 * like a key by its shape or place (key prefixes, `Bearer …`, secret headers and query parameters,
 * URL user-info).
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let result = text;
  if (secrets.length > 0) {
    // Longest first, so a key that contains another secret is removed whole.
    for (const secret of [...secrets].sort((first, second) => second.length - first.length)) {
      if (secret.length >= MIN_SECRET_LENGTH && result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
  }
  return scrubSecretPatterns(result);
}

/**
 * @module secrets/redact-secrets
 * Last line of defence for anything quoted from an upstream (error messages, diagnoses): it may
 * echo the key it was sent — some proxies quote the whole Authorization header in their error page.
 */

/** Secrets shorter than this cannot be replaced without mangling ordinary words. */
const MIN_SECRET_LENGTH = 4;

/** Replaces every occurrence of each secret with `[redacted]`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  // Longest first, so a key that contains another secret is removed whole.
  for (const secret of [...secrets].sort((first, second) => second.length - first.length)) {
    if (secret.length >= MIN_SECRET_LENGTH) result = result.split(secret).join("[redacted]");
  }
  return result;
}

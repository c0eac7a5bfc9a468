/**
 * @module security/check-outbound-url
 * The static half of the outbound policy: a URL is parsed once (WHATWG, the parser undici uses),
 * must be http(s) without credentials, and its host is judged before any connection — IP literals
 * by their address, known names (metadata, localhost) by name. Other names are judged when a
 * connection resolves them (outbound-connector.ts).
 */
import { classifyAddress } from "./classify-address.js";
import { classifyHostName } from "./host-names.js";
import { allowsLocal, scopeAllowed, type OutboundPolicy, type OutboundRefusal } from "./outbound-policy.js";

/** The outcome of {@link checkOutboundUrl}. */
export type OutboundUrlCheck = { readonly ok: true; readonly url: URL } | { readonly ok: false; readonly refusal: OutboundRefusal };

/**
 * Judges a host (as undici will connect to it: brackets allowed) for connections of `origin`.
 * Undefined when it is allowed or must be resolved first.
 */
export function checkHost(host: string, policy: OutboundPolicy, origin: string): OutboundRefusal | undefined {
  const address = classifyAddress(host);
  const known = address ?? classifyHostName(host);
  if (known === undefined || scopeAllowed(known.scope, allowsLocal(policy, origin))) return undefined;
  const embedded = address?.embedded;
  const base = { reason: "host", host, category: known.category, scope: known.scope, mode: policy.mode } as const;
  return embedded === undefined ? base : { ...base, embedded };
}

/**
 * Checks a base URL before it is stored or used. Credentials in the URL are refused rather than
 * stripped: undici would drop them silently, and a user who typed them expects them to be sent.
 */
export function checkOutboundUrl(raw: string | URL, policy: OutboundPolicy): OutboundUrlCheck {
  let url: URL;
  try {
    url = typeof raw === "string" ? new URL(raw) : raw;
  } catch {
    return { ok: false, refusal: { reason: "invalid-url" } };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, refusal: { reason: "scheme", scheme: url.protocol } };
  if (url.username !== "" || url.password !== "") return { ok: false, refusal: { reason: "credentials" } };
  const refusal = checkHost(url.hostname, policy, url.origin);
  return refusal === undefined ? { ok: true, url } : { ok: false, refusal };
}

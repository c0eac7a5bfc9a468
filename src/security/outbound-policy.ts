/**
 * @module security/outbound-policy
 * The outbound URL policy (SSRF guard): its two modes, the admin allow-list of exact origins, and
 * the refusal it raises. Which addresses fall in which scope is in address-ranges.ts.
 */
import type { SwitchyardConfig } from "../config/config-schema.js";
import { ConfigError } from "../config/load-config-file.js";
import type { Environment } from "../config/resolve-providers.js";
import { CATEGORY_LABEL, type AddressCategory, type AddressScope } from "./address-ranges.js";

/** `local`: loopback and private networks allowed (the default). `strict`: public addresses only, plus allow-listed origins. */
export type OutboundMode = "local" | "strict";

/** The outbound policy in force. */
export interface OutboundPolicy {
  readonly mode: OutboundMode;
  /** Exact origins (`http://10.0.0.5:8000`) allowed to reach local-scope addresses in mode `strict`. */
  readonly allowOrigins: ReadonlySet<string>;
}

/** The variable that sets the mode; it wins over `security.outbound.mode`, as `SWITCHYARD_HOST` wins over `server.host`. */
export const OUTBOUND_MODE_ENV = "SWITCHYARD_OUTBOUND_MODE";

/** Mode `local`, nothing allow-listed. */
export const DEFAULT_OUTBOUND_POLICY: OutboundPolicy = { mode: "local", allowOrigins: new Set() };

/**
 * The origin (`scheme://host[:port]`, normalised by the WHATWG parser) that `value` names exactly,
 * or undefined when it is not an http(s) origin or carries a path, query, fragment or credentials.
 */
export function parseExactOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "" || url.pathname !== "/") return undefined;
  if (value.includes("?") || value.includes("#")) return undefined;
  return url.origin;
}

/** The policy a config and environment ask for. Throws ConfigError for an unknown mode in the environment. */
export function outboundPolicyFrom(config: SwitchyardConfig, env: Environment): OutboundPolicy {
  const fromEnv = env[OUTBOUND_MODE_ENV]?.trim().toLowerCase();
  if (fromEnv !== undefined && fromEnv !== "" && fromEnv !== "local" && fromEnv !== "strict") {
    throw new ConfigError("environment", [`${OUTBOUND_MODE_ENV}: must be 'local' or 'strict', got '${fromEnv}'`]);
  }
  const outbound = config.security?.outbound;
  const mode: OutboundMode = fromEnv === "local" || fromEnv === "strict" ? fromEnv : (outbound?.mode ?? "local");
  const origins = (outbound?.allowOrigins ?? []).map((origin) => parseExactOrigin(origin)).filter((origin) => origin !== undefined);
  if (mode === "local" && origins.length === 0) return DEFAULT_OUTBOUND_POLICY;
  return { mode, allowOrigins: new Set(origins) };
}

/** Whether connections for `origin` may reach local-scope addresses (loopback, private, CGNAT, ULA). */
export function allowsLocal(policy: OutboundPolicy, origin: string): boolean {
  return policy.mode === "local" || policy.allowOrigins.has(origin);
}

/** Whether an address of `scope` is allowed, given {@link allowsLocal}. */
export function scopeAllowed(scope: AddressScope, allowLocal: boolean): boolean {
  return scope === "public" || (scope === "local" && allowLocal);
}

/** Why a URL or a connection was refused. */
export type OutboundRefusal =
  | { readonly reason: "invalid-url" }
  | { readonly reason: "scheme"; readonly scheme: string }
  | { readonly reason: "credentials" }
  /** The host itself (an IP literal or a known name) is refused. */
  | { readonly reason: "host"; readonly host: string; readonly category: AddressCategory; readonly scope: AddressScope; readonly mode: OutboundMode; readonly embedded?: string }
  /** A DNS answer for the host is refused. */
  | {
      readonly reason: "resolved";
      readonly host: string;
      readonly address: string;
      readonly category: AddressCategory;
      readonly scope: AddressScope;
      readonly mode: OutboundMode;
      readonly embedded?: string;
    }
  /** DNS answered something that is not an IP address (only an injected resolver can). */
  | { readonly reason: "bad-answer"; readonly host: string };

/** A connection the outbound policy refused; undici hands it to the request that needed the connection. */
export class OutboundForbiddenError extends Error {
  /** Stable code, read by the failure classifiers. */
  readonly code = "ERR_OUTBOUND_FORBIDDEN";
  readonly refusal: OutboundRefusal;

  constructor(refusal: OutboundRefusal) {
    super(describeRefusal(refusal));
    this.name = "OutboundForbiddenError";
    this.refusal = refusal;
  }
}

/** The stable code of {@link OutboundForbiddenError}. */
export const OUTBOUND_FORBIDDEN_CODE = "ERR_OUTBOUND_FORBIDDEN";

/** The policy refusal behind an error, looking through `cause` chains (callers may wrap it). */
export function findOutboundRefusal(error: unknown): OutboundRefusal | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    if (current instanceof OutboundForbiddenError) return current.refusal;
    current = current.cause;
  }
  return undefined;
}

function why(category: AddressCategory, scope: AddressScope, mode: OutboundMode, embedded: string | undefined): string {
  const carried = embedded === undefined ? "" : ` (it carries ${embedded})`;
  if (scope === "forbidden") return `${CATEGORY_LABEL[category]}${carried}, which Switchyard never connects to`;
  return `${CATEGORY_LABEL[category]}${carried}; the ${mode} outbound policy allows those only for origins listed in security.outbound.allowOrigins`;
}

/**
 * A plain-language reason, for admins (API errors, logs). It names the host and address, so it is
 * never sent to inference clients, who get a fixed message instead.
 */
export function describeRefusal(refusal: OutboundRefusal): string {
  switch (refusal.reason) {
    case "invalid-url":
      return "The URL cannot be parsed.";
    case "scheme":
      return `Only http:// and https:// URLs are allowed, not ${refusal.scheme}//.`;
    case "credentials":
      return "The URL contains a user name or password; put the key in api_key (or a header) instead.";
    case "host":
      return `${refusal.host} is ${why(refusal.category, refusal.scope, refusal.mode, refusal.embedded)}.`;
    case "resolved":
      return `${refusal.host} resolves to ${refusal.address}, ${why(refusal.category, refusal.scope, refusal.mode, refusal.embedded)}.`;
    case "bad-answer":
      return `${refusal.host} resolved to something that is not an IP address.`;
  }
}

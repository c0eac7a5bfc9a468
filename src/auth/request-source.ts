/**
 * @module auth/request-source
 * Where a request claims to come from and to go to. Two defences for the admin API (and `/v1` while
 * it is open): the `Host` header must name this server, so a web page cannot reach a local gateway
 * through a hostname it controls (DNS rebinding); and a browser request from another site
 * (`Sec-Fetch-Site: cross-site`, or an `Origin` other than the `Host`) is refused (CSRF).
 */
import type { IncomingHttpHeaders } from "node:http";
import { isIP } from "node:net";
import { isLoopbackHost } from "./loopback.js";

/** A parsed `Host` header: lower-case name (IPv6 in brackets) and port when given. */
export interface ParsedHost {
  readonly hostname: string;
  readonly port: number | undefined;
}

/** Which names the server answers to beyond the address a connection arrived on. */
export interface HostRules {
  /** `name` (any port) or `name:port`, lower-case: `server.allowedHosts` and `SWITCHYARD_ALLOWED_HOSTS`. */
  readonly allowed: ReadonlySet<string>;
  /** Host names given to `listen` (`--host gateway.lan`), accepted with the listening port. */
  readonly boundNames: ReadonlySet<string>;
}

/** The local end of a connection. */
export interface LocalEndpoint {
  readonly address: string | undefined;
  readonly port: number | undefined;
  readonly tls: boolean;
}

/** Names every loopback connection may use. */
const LOOPBACK_NAMES: readonly string[] = ["localhost", "127.0.0.1", "[::1]"];

/** Parses `name`, `name:port`, `[v6]` or `[v6]:port`; undefined for anything else. */
export function parseHostHeader(value: string): ParsedHost | undefined {
  const text = value.trim().toLowerCase();
  let hostname: string;
  let portText: string | undefined;
  if (text.startsWith("[")) {
    const end = text.indexOf("]");
    if (end < 0) return undefined;
    hostname = text.slice(0, end + 1);
    const rest = text.slice(end + 1);
    if (rest !== "" && !rest.startsWith(":")) return undefined;
    portText = rest === "" ? undefined : rest.slice(1);
  } else {
    const colon = text.lastIndexOf(":");
    hostname = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? undefined : text.slice(colon + 1);
    if (hostname.includes(":")) return undefined;
  }
  // `localhost.` is the same DNS name as `localhost`.
  if (hostname.endsWith(".")) hostname = hostname.slice(0, -1);
  if (hostname === "" || /[\s/@?#\\]/.test(hostname)) return undefined;
  if (portText === undefined) return { hostname, port: undefined };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65_535) return undefined;
  return { hostname, port: Number(portText) };
}

/** Allowed-host entries from config and environment, normalised; malformed entries are returned separately. */
export function parseAllowedHosts(entries: readonly string[]): { allowed: Set<string>; invalid: string[] } {
  const allowed = new Set<string>();
  const invalid: string[] = [];
  for (const entry of entries) {
    if (entry.trim() === "") continue;
    const parsed = parseHostHeader(entry);
    if (parsed === undefined) invalid.push(entry);
    else allowed.add(parsed.port === undefined ? parsed.hostname : `${parsed.hostname}:${parsed.port}`);
  }
  return { allowed, invalid };
}

/** The literal names of the local address a connection arrived on (plus the loopback names on loopback). */
function addressNames(address: string): readonly string[] {
  const mapped = address.toLowerCase().startsWith("::ffff:") ? address.slice("::ffff:".length) : undefined;
  const bare = mapped !== undefined && isIP(mapped) === 4 ? mapped : address.toLowerCase();
  const literal = isIP(bare) === 6 ? `[${bare}]` : bare;
  return isLoopbackHost(bare) ? [literal, ...LOOPBACK_NAMES] : [literal];
}

/**
 * True when `Host` names this server: an allowed name (with its port, if the entry has one); or, on
 * the port the connection arrived on, a name given to `listen`, the literal local address, or —
 * for a loopback connection — `localhost`, `127.0.0.1` or `[::1]`.
 */
export function isAllowedHost(hostHeader: string | undefined, local: LocalEndpoint, rules: HostRules): boolean {
  if (hostHeader === undefined) return false;
  const parsed = parseHostHeader(hostHeader);
  if (parsed === undefined) return false;
  const { hostname, port } = parsed;
  if (rules.allowed.has(hostname) || (port !== undefined && rules.allowed.has(`${hostname}:${port}`))) return true;
  const effectivePort = port ?? (local.tls ? 443 : 80);
  if (local.port !== undefined && effectivePort !== local.port) return false;
  if (rules.boundNames.has(hostname)) return true;
  return local.address !== undefined && addressNames(local.address).includes(hostname);
}

/**
 * Why a request looks cross-site, or undefined when it does not: `Sec-Fetch-Site: cross-site`, an
 * opaque (`null`) or malformed `Origin`, or an `Origin` whose host and port differ from `Host`.
 * Requests without these headers (curl, SDKs, scripts) are not browser requests and pass.
 */
export function crossSiteReason(headers: IncomingHttpHeaders): string | undefined {
  if (headers["sec-fetch-site"] === "cross-site") return "it was sent by a page on another site";
  const origin = headers.origin;
  if (origin === undefined) return undefined;
  if (origin === "null") return "its Origin is opaque ('null')";
  let originUrl: URL;
  try {
    originUrl = new URL(origin);
  } catch {
    return "its Origin header is malformed";
  }
  const host = headers.host;
  if (host === undefined) return "it has an Origin but no Host header";
  let hostAsUrl: URL;
  try {
    // Parsed with the origin's scheme, so `https://x` and `Host: x:443` compare equal.
    hostAsUrl = new URL(`${originUrl.protocol}//${host}`);
  } catch {
    return "its Host header is malformed";
  }
  return hostAsUrl.host === originUrl.host ? undefined : "its Origin is a different site than its Host";
}

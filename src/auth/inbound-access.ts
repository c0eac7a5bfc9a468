/**
 * @module auth/inbound-access
 * Who may use this gateway (SPEC §6, docs/security.md): the admin key and console sessions for
 * `/api`, gateway keys for `/v1`, and the Host/Origin checks against DNS rebinding and cross-site
 * requests. One instance per gateway; the request handler asks it before dispatching.
 */
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import type { Environment } from "../config/resolve-providers.js";
import { GatewayError } from "../errors/gateway-error.js";
import { InMemoryRateLimiter } from "../limits/in-memory-rate-limiter.js";
import type { Logger } from "../observability/logger.js";
import type { Store } from "../store/store-types.js";
import { ADMIN_KEY_ENV, ADMIN_KEY_HASH_META_KEY, adminKeyFromEnv, adminKeyFromHash, type AdminKey } from "./admin-key.js";
import { AdminSessions, readSessionCookie } from "./admin-sessions.js";
import { AuthFailureThrottle } from "./auth-failure-throttle.js";
import { GatewayKeyIndex } from "./gateway-key-index.js";
import { isLoopbackHost } from "./loopback.js";
import { attachRequestKey, keyRateLimited } from "./request-key.js";
import { crossSiteReason, isAllowedHost, parseAllowedHosts, type HostRules } from "./request-source.js";
import { loadKeyHasher } from "./stored-key-hasher.js";

/** The last `Host` accepted on a connection, and under which allowed-host list. */
const ACCEPTED_HOST = Symbol("switchyard.acceptedHost");
type SocketWithHost = Socket & { [ACCEPTED_HOST]?: { readonly host: string; readonly allowed: ReadonlySet<string> } };

/** Extra host names the server answers to, comma-separated (added to `server.allowedHosts`). */
export const ALLOWED_HOSTS_ENV = "SWITCHYARD_ALLOWED_HOSTS";

/** Options for {@link InboundAccess.create}. */
export interface InboundAccessOptions {
  readonly env: Environment;
  /** Holds gateway keys and a generated admin key; without one only `SWITCHYARD_ADMIN_KEY` exists. */
  readonly store: Store | undefined;
  /** `server.allowedHosts` of the current config (re-read on every reload). */
  readonly allowedHosts: () => readonly string[];
  readonly logger: Logger;
}

/** `Authorization: Bearer <token>` → the token. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/** True when the request reached us over TLS, or a proxy says it did (only ever used to add `Secure`). */
export function cameOverTls(request: IncomingMessage): boolean {
  return (request.socket as Partial<TLSSocket>).encrypted === true || request.headers["x-forwarded-proto"] === "https";
}

function shown(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
}

/** Inbound access control for one gateway. */
export class InboundAccess {
  /** Console sessions of this process. */
  readonly sessions = new AdminSessions();
  readonly #options: InboundAccessOptions;
  readonly #envAdminKey: AdminKey | undefined;
  readonly #throttle = new AuthFailureThrottle();
  readonly #limiter = new InMemoryRateLimiter();
  readonly #index = new GatewayKeyIndex();
  #storedAdminKey: AdminKey | undefined;
  #storedAdminHash: string | undefined;
  #allowedHosts: ReadonlySet<string> = new Set();
  readonly #boundNames = new Set<string>();
  /** Set once the gateway listens beyond loopback: `/v1` then always needs a key. */
  #exposed = false;

  private constructor(options: InboundAccessOptions, envAdminKey: AdminKey | undefined) {
    this.#options = options;
    this.#envAdminKey = envAdminKey;
  }

  /** Reads the admin key and gateway keys. Throws GatewayError for a `SWITCHYARD_ADMIN_KEY` that is too short. */
  static async create(options: InboundAccessOptions): Promise<InboundAccess> {
    const access = new InboundAccess(options, adminKeyFromEnv(options.env));
    await access.reload();
    return access;
  }

  /** Re-reads what may have changed: gateway keys, a generated admin key, allowed hosts. */
  async reload(): Promise<void> {
    const hosts = parseAllowedHosts([...this.#options.allowedHosts(), ...(this.#options.env[ALLOWED_HOSTS_ENV] ?? "").split(",")]);
    if (hosts.invalid.length > 0) this.#options.logger.warn({ invalid: hosts.invalid }, "ignoring allowed hosts that are not host names");
    this.#allowedHosts = hosts.allowed;
    const store = this.#options.store;
    if (store === undefined) return;
    const [hasher, records, adminHash] = await Promise.all([loadKeyHasher(store), store.listGatewayKeys(), store.getMeta(ADMIN_KEY_HASH_META_KEY)]);
    this.#index.replace(hasher, records);
    if (adminHash !== this.#storedAdminHash) {
      // A replaced or removed admin key ends every session opened with the old one.
      if (this.#envAdminKey === undefined && this.#storedAdminHash !== undefined) this.sessions.clear();
      this.#storedAdminHash = adminHash;
      this.#storedAdminKey = adminKeyFromHash(hasher, adminHash);
    }
  }

  /** The admin key in force: the environment's, else a generated one, else none. */
  get adminKey(): AdminKey | undefined {
    return this.#envAdminKey ?? this.#storedAdminKey;
  }

  /**
   * Whether the admin API needs authentication: an admin key is set, or the server listens beyond
   * loopback (where an admin key removed while it runs locks `/api` rather than opening it).
   */
  get authRequired(): boolean {
    return this.adminKey !== undefined || this.#exposed;
  }

  /** Whether `/v1` requests need a gateway key: some live key exists, or the server listens beyond loopback. */
  get keysRequired(): boolean {
    return this.#exposed || this.#index.size > 0;
  }

  /** Refuses (GatewayError `admin_key_required`) to listen beyond loopback without an admin key. */
  assertCanListen(host: string): void {
    if (isLoopbackHost(host) || this.adminKey !== undefined) return;
    throw new GatewayError(
      "admin_key_required",
      `Refusing to listen on ${host} without an admin key: set ${ADMIN_KEY_ENV} (at least 32 random characters) or run 'switchyard admin-key create', or listen on 127.0.0.1.`,
    );
  }

  /** Records a successful listen: its host name is accepted in `Host`, and a non-loopback bind requires gateway keys. */
  noteListening(host: string): void {
    if (!isLoopbackHost(host)) this.#exposed = true;
    const name = host.toLowerCase();
    // Names only: addresses are matched against the connection's own local address.
    if (!/^[\d.]+$/.test(name) && !name.includes(":")) this.#boundNames.add(name);
  }

  /**
   * Authenticates a `/v1` request. With no keys required, only the Host check runs (a page must not
   * reach an open local gateway by DNS rebinding). Otherwise the Bearer key must be live, unexpired
   * and within its requests-per-minute; the key is then attached to the request.
   */
  authenticateClient(request: IncomingMessage): void {
    if (!this.keysRequired) {
      this.#assertHost(request);
      return;
    }
    const presented = bearerToken(request.headers.authorization);
    if (presented === undefined) {
      throw new GatewayError("invalid_api_key", "Missing API key: this gateway requires a gateway key (sk-sy-…), sent in the Authorization header as a Bearer token.");
    }
    const key = this.#index.find(presented);
    // Revoked, unknown and malformed keys get the same answer; the key itself is never echoed.
    if (key === undefined) throw new GatewayError("invalid_api_key", "Incorrect API key provided. Use a gateway key ('sk-sy-…') created with 'switchyard keys create' or the admin API.");
    const now = Date.now();
    if (key.expiresAt !== undefined && key.expiresAt <= now) throw new GatewayError("invalid_api_key", `The API key '${key.name}' has expired. Create a new key.`);
    // Requests are counted here; tokens once the endpoint knows the request (authorizeModel).
    const requestsPerMinute = key.limits.requestsPerMinute;
    if (requestsPerMinute !== undefined) {
      const decision = this.#limiter.tryConsume(key.id, { requests: 1, tokens: 0 }, { requestsPerMinute }, now);
      if (!decision.allowed) throw keyRateLimited(key, "requests", decision.retryAfterMs);
    }
    attachRequestKey(request, { key, limiter: this.#limiter });
  }

  /**
   * Refuses (403) cross-site browser requests and requests whose `Host` does not name this server.
   * For `/api/*` and for console pages that carry the session.
   */
  checkAdminSource(request: IncomingMessage): void {
    const reason = crossSiteReason(request.headers);
    if (reason !== undefined) {
      throw new GatewayError("forbidden_origin", `Refused because ${reason}: the admin API answers only the console on its own address and clients that are not browsers.`);
    }
    this.#assertHost(request);
  }

  /** Whether the request may use the admin API: no admin key is set, or a live session or the right Bearer key comes with it. */
  isAdmin(request: IncomingMessage): boolean {
    try {
      this.requireAdmin(request);
      return true;
    } catch {
      return false;
    }
  }

  /** Throws 401 `invalid_admin_key` (or 429 after repeated failures) unless {@link isAdmin}. */
  requireAdmin(request: IncomingMessage): void {
    if (this.adminKey === undefined) {
      if (!this.#exposed) return;
      throw new GatewayError("invalid_admin_key", `The admin key was removed while this server listens beyond loopback; set ${ADMIN_KEY_ENV} or run 'switchyard admin-key create', then restart.`);
    }
    const session = readSessionCookie(request.headers.cookie);
    if (session !== undefined && this.sessions.isValid(session)) return;
    const presented = bearerToken(request.headers.authorization);
    if (presented === undefined) {
      const why = session === undefined ? "" : " Your console session has expired; log in again, or";
      throw new GatewayError("invalid_admin_key", `The admin API requires the admin key.${why} Send it in the Authorization header as a Bearer token, or log in to the console.`);
    }
    this.verifyAdminKey(request, presented);
  }

  /** Checks a presented admin key, counting failures per client address; throws 401 or 429. */
  verifyAdminKey(request: IncomingMessage, candidate: string): void {
    const adminKey = this.adminKey;
    if (adminKey === undefined) throw new GatewayError("invalid_request", "This gateway has no admin key, so there is nothing to log in to.");
    const client = request.socket.remoteAddress ?? "unknown";
    const now = Date.now();
    const waitMs = this.#throttle.blockedFor(client, now);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1_000);
      throw new GatewayError("too_many_auth_failures", `Too many wrong admin keys from this address; try again in ${seconds} s.`, { headers: { "retry-after": String(seconds) } });
    }
    if (adminKey.verify(candidate)) return;
    this.#throttle.recordFailure(client, now);
    this.#options.logger.warn({ client }, "wrong admin key presented");
    throw new GatewayError("invalid_admin_key", "Wrong admin key.");
  }

  #assertHost(request: IncomingMessage): void {
    const host = request.headers.host;
    // Keep-alive connections send the same Host on every request: the accepted one is remembered on
    // the socket (parsing it and reading the local address cost ~1 % of a proxied chat request).
    // Allowed hosts are replaced as a whole on reload, so a stale entry never matches; bound names only grow.
    const socket = request.socket as SocketWithHost;
    const cached = socket[ACCEPTED_HOST];
    if (cached !== undefined && cached.host === host && cached.allowed === this.#allowedHosts) return;
    const local = { address: socket.localAddress, port: socket.localPort, tls: (socket as Partial<TLSSocket>).encrypted === true };
    if (host !== undefined && isAllowedHost(host, local, this.#rules())) {
      socket[ACCEPTED_HOST] = { host, allowed: this.#allowedHosts };
      return;
    }
    throw new GatewayError(
      "forbidden_host",
      `Refused a request for host '${host === undefined ? "" : shown(host)}': this server answers to its own address${local.address !== undefined && isLoopbackHost(local.address) ? " (localhost, 127.0.0.1, [::1])" : ""}. Add other names to server.allowedHosts or ${ALLOWED_HOSTS_ENV}.`,
    );
  }

  #rules(): HostRules {
    return { allowed: this.#allowedHosts, boundNames: this.#boundNames };
  }
}

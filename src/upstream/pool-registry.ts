/**
 * @module upstream/pool-registry
 * One keep-alive undici `Pool` per upstream origin, created when config loads and shared by every
 * provider that points at that origin. undici does not retry by itself here: the router owns retries.
 * Every pool connects through the outbound policy's connector (security/outbound-connector.ts).
 */
import type { Pool as UndiciPool } from "undici";
import { Pool } from "./undici-runtime.js";
import { UPSTREAM_KEEP_ALIVE_TIMEOUT_MS, UPSTREAM_POOL_CONNECTIONS } from "../defaults.js";
import type { Logger } from "../observability/logger.js";
import { buildOutboundConnector, type Resolver } from "../security/outbound-connector.js";
import { allowsLocal, DEFAULT_OUTBOUND_POLICY, describeRefusal, type OutboundPolicy, type OutboundRefusal } from "../security/outbound-policy.js";

/** Options for {@link PoolRegistry}. */
export interface PoolRegistryOptions {
  /** The outbound policy new pools connect under; mode `local` by default. */
  readonly policy?: OutboundPolicy | undefined;
  /** DNS for the policy's lookup; the system resolver by default (tests inject their own). */
  readonly resolver?: Resolver | undefined;
  /** Where refused connections are logged (origin, host, address and category; never a key). */
  readonly logger?: Logger | undefined;
}

/** Pools by origin, connect timeout and policy. */
export class PoolRegistry {
  readonly #pools = new Map<string, UndiciPool>();
  readonly #resolver: Resolver | undefined;
  readonly #logger: Logger | undefined;
  #policy: OutboundPolicy;

  constructor(options: PoolRegistryOptions = {}) {
    this.#policy = options.policy ?? DEFAULT_OUTBOUND_POLICY;
    this.#resolver = options.resolver;
    this.#logger = options.logger;
  }

  /** The outbound policy new pools get. */
  get policy(): OutboundPolicy {
    return this.#policy;
  }

  /**
   * Changes the policy for pools handed out from now on (a config reload). Pools are keyed by what
   * the policy allows their origin, so a pool vetted under a looser policy is never reused under a
   * stricter one; older pools stay open for the requests of the state that still holds them.
   */
  setPolicy(policy: OutboundPolicy): void {
    this.#policy = policy;
  }

  /** The pool for an origin (`http://host:port`), created on first use. */
  get(origin: string, connectTimeoutMs: number): UndiciPool {
    const policy = this.#policy;
    const key = `${origin} ${connectTimeoutMs} ${policy.mode} ${allowsLocal(policy, origin) ? "local" : "public"}`;
    let pool = this.#pools.get(key);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: UPSTREAM_POOL_CONNECTIONS,
        connect: buildOutboundConnector({
          origin,
          policy,
          timeoutMs: connectTimeoutMs,
          ...(this.#resolver === undefined ? {} : { resolver: this.#resolver }),
          onRefused: (refusal, refusedOrigin) => this.#logRefusal(refusal, refusedOrigin),
        }),
        keepAliveTimeout: UPSTREAM_KEEP_ALIVE_TIMEOUT_MS,
        // Pipelining would queue a request behind a long stream on the same socket.
        pipelining: 1,
      });
      this.#pools.set(key, pool);
    }
    return pool;
  }

  #logRefusal(refusal: OutboundRefusal, origin: string): void {
    // The origin comes from a parsed URL: no credentials, path or query can be in it.
    const detail = refusal.reason === "host" || refusal.reason === "resolved" ? { category: refusal.category, mode: refusal.mode } : {};
    this.#logger?.warn({ event: "outbound-refused", origin, reason: refusal.reason, ...detail, detail: describeRefusal(refusal) }, "outbound connection refused by policy");
  }

  /** Closes every pool, waiting for requests under way. */
  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((pool) => pool.close()));
    this.#pools.clear();
  }

  /** Destroys every pool at once, aborting requests under way. */
  async destroy(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((pool) => pool.destroy()));
    this.#pools.clear();
  }
}

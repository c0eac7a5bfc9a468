/**
 * @module upstream/pool-registry
 * One keep-alive undici `Pool` per upstream origin, created when config loads and shared by every
 * provider that points at that origin. undici does not retry by itself here: the router owns retries.
 */
import { Pool } from "undici";
import { UPSTREAM_KEEP_ALIVE_TIMEOUT_MS, UPSTREAM_POOL_CONNECTIONS } from "../defaults.js";

/** Pools by origin and connect timeout. */
export class PoolRegistry {
  readonly #pools = new Map<string, Pool>();

  /** The pool for an origin (`http://host:port`), created on first use. */
  get(origin: string, connectTimeoutMs: number): Pool {
    const key = `${origin} ${connectTimeoutMs}`;
    let pool = this.#pools.get(key);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: UPSTREAM_POOL_CONNECTIONS,
        connect: { timeout: connectTimeoutMs },
        keepAliveTimeout: UPSTREAM_KEEP_ALIVE_TIMEOUT_MS,
        // Pipelining would queue a request behind a long stream on the same socket.
        pipelining: 1,
      });
      this.#pools.set(key, pool);
    }
    return pool;
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

/**
 * @module gateway/endpoint-cache
 * A bounded memo per endpoint for values built from what clients send (model ids, route names):
 * clients send the same few over and over, so each is built once. Bounded because the keys come
 * from clients; when full it is simply emptied.
 */
import type { Endpoint } from "../providers/types.js";

/** Entries kept per endpoint before the cache is emptied. */
const ENDPOINT_CACHE_LIMIT = 4_096;

/** Memoises `build(key, endpoint)`; a build that throws is not remembered. */
export class EndpointCache<T> {
  readonly #maps = new Map<Endpoint, Map<string, T>>();
  readonly #build: (key: string, endpoint: Endpoint) => T;

  constructor(build: (key: string, endpoint: Endpoint) => T) {
    this.#build = build;
  }

  get(key: string, endpoint: Endpoint): T {
    let entries = this.#maps.get(endpoint);
    if (entries === undefined) {
      entries = new Map();
      this.#maps.set(endpoint, entries);
    }
    const cached = entries.get(key);
    if (cached !== undefined) return cached;
    const built = this.#build(key, endpoint);
    if (entries.size >= ENDPOINT_CACHE_LIMIT) entries.clear();
    entries.set(key, built);
    return built;
  }
}

/**
 * @module auth/gateway-key-index
 * The hot-path view of gateway keys: live (unrevoked) keys by their keyed hash, in memory, rebuilt
 * when keys change. Checking a request costs one HMAC and one map lookup, never a database read.
 */
import type { RateLimits } from "../limits/rate-limiter.js";
import type { GatewayKeyRecord } from "../store/store-types.js";
import { digestsEqual, type KeyHasher } from "./key-hash.js";
import { isGatewayKeyFormat } from "./key-material.js";

/** A live key as requests see it. */
export interface ActiveGatewayKey {
  readonly id: string;
  readonly name: string;
  /** Epoch ms after which the key is refused, or undefined. */
  readonly expiresAt: number | undefined;
  /** The allow-list as stored (null: every model), for messages and the model list. */
  readonly models: readonly string[] | null;
  /** Whether the key may use a model id. */
  allows(model: string): boolean;
  readonly limits: RateLimits;
}

/** Matches exact ids and `<prefix>/*` entries; null allows everything. */
export function compileAllowList(models: readonly string[] | null): (model: string) => boolean {
  if (models === null) return () => true;
  const exact = new Set(models.filter((entry) => !entry.endsWith("/*")));
  const prefixes = models.filter((entry) => entry.endsWith("/*")).map((entry) => entry.slice(0, -1));
  return (model) => exact.has(model) || prefixes.some((prefix) => model.startsWith(prefix) && model.length > prefix.length);
}

function toActiveKey(record: GatewayKeyRecord): ActiveGatewayKey {
  const expiresAt = record.expiresAt === null ? undefined : Date.parse(record.expiresAt);
  return {
    id: record.id,
    name: record.name,
    // An unparseable expiry (a hand edit) expires the key rather than lifting its expiry.
    expiresAt: expiresAt === undefined ? undefined : Number.isNaN(expiresAt) ? 0 : expiresAt,
    models: record.models,
    allows: compileAllowList(record.models),
    limits: {
      ...(record.rpm === null ? {} : { requestsPerMinute: record.rpm }),
      ...(record.tpm === null ? {} : { tokensPerMinute: record.tpm }),
    },
  };
}

/** Live gateway keys by hash. */
export class GatewayKeyIndex {
  #byHash = new Map<string, { readonly storedHash: string; readonly key: ActiveGatewayKey }>();
  #hasher: KeyHasher | undefined;

  /** Unrevoked keys held (expired ones included: they still mean "this gateway uses keys"). */
  get size(): number {
    return this.#byHash.size;
  }

  /** Replaces the whole index with the store's current keys. */
  replace(hasher: KeyHasher, records: readonly GatewayKeyRecord[]): void {
    const next = new Map<string, { readonly storedHash: string; readonly key: ActiveGatewayKey }>();
    for (const record of records) if (record.revokedAt === null) next.set(record.keyHash, { storedHash: record.keyHash, key: toActiveKey(record) });
    this.#hasher = hasher;
    this.#byHash = next;
  }

  /**
   * The live key a client presented, or undefined. The map is keyed by HMAC digests the client
   * cannot steer, so the lookup's timing reveals nothing; the match is then confirmed with a
   * constant-time comparison of the digests.
   */
  find(presented: string): ActiveGatewayKey | undefined {
    if (this.#hasher === undefined || !isGatewayKeyFormat(presented)) return undefined;
    const hash = this.#hasher.hash(presented);
    const entry = this.#byHash.get(hash);
    return entry !== undefined && digestsEqual(hash, entry.storedHash) ? entry.key : undefined;
  }
}

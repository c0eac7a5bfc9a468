/**
 * @module auth/gateway-key-service
 * Creating, listing and revoking gateway keys, for the admin API and the CLI alike. A new key is
 * returned once, with its record; afterwards only its display prefix (`sk-sy-abcd…`) is shown.
 */
import type { CreateGatewayKeyInput } from "./gateway-key-schema.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { GatewayKeyRecord, Store } from "../store/store-types.js";
import { displayPrefix, generateGatewayKey } from "./key-material.js";
import type { KeyHasher } from "./key-hash.js";
import { loadKeyHasher } from "./stored-key-hasher.js";

/** Whether a key is accepted now. */
export type GatewayKeyStatus = "active" | "expired" | "revoked";

/** A key as the API and CLI show it: its record without the hash, never the key. */
export interface GatewayKeyView extends Omit<GatewayKeyRecord, "keyHash"> {
  /** `sk-sy-abcd…`: enough to recognise the key, far too little to use it. */
  readonly keyPrefix: string;
  readonly status: GatewayKeyStatus;
}

/** A key just created: the only time the key itself is returned. */
export interface CreatedGatewayKey extends GatewayKeyView {
  readonly key: string;
}

/** The status of a record at `now`. */
export function keyStatus(record: GatewayKeyRecord, now: number): GatewayKeyStatus {
  if (record.revokedAt !== null) return "revoked";
  if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now) return "expired";
  return "active";
}

/** A record without its hash. */
export function toGatewayKeyView(record: GatewayKeyRecord, now = Date.now()): GatewayKeyView {
  return {
    id: record.id,
    name: record.name,
    keyPrefix: `${record.keyPrefix}…`,
    status: keyStatus(record, now),
    models: record.models,
    rpm: record.rpm,
    tpm: record.tpm,
    expiresAt: record.expiresAt,
    revokedAt: record.revokedAt,
    createdAt: record.createdAt,
  };
}

function notFound(id: string): GatewayError {
  return new GatewayError("not_found", `No gateway key has the id '${id}'.`);
}

/** Gateway keys in the store. */
export class GatewayKeyService {
  readonly #store: Store;
  readonly #onChange: () => Promise<void>;
  #hasher: Promise<KeyHasher> | undefined;

  /** `onChange` runs after every create and revoke (the server refreshes its key index). */
  constructor(options: { store: Store; onChange?: () => Promise<void> }) {
    this.#store = options.store;
    this.#onChange = options.onChange ?? (() => Promise.resolve());
  }

  /** Creates a key; the result carries the key itself, which is never stored or shown again. */
  async create(input: CreateGatewayKeyInput): Promise<CreatedGatewayKey> {
    const expiresAt = input.expires_at ?? null;
    if (expiresAt !== null && Date.parse(expiresAt) <= Date.now()) {
      throw new GatewayError("invalid_request", "expires_at is in the past; give a future time.", { param: "expires_at" });
    }
    const hasher = await this.#loadHasher();
    const key = generateGatewayKey();
    const record = await this.#store.createGatewayKey({
      name: input.name,
      keyHash: hasher.hash(key),
      keyPrefix: displayPrefix(key),
      models: input.models ?? null,
      rpm: input.rpm ?? null,
      tpm: input.tpm ?? null,
      // Normalised to UTC so that stored times sort and compare as strings.
      expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
    });
    await this.#onChange();
    return { ...toGatewayKeyView(record), key };
  }

  /** Every key, revoked ones included, oldest first. */
  async list(): Promise<GatewayKeyView[]> {
    const now = Date.now();
    return (await this.#store.listGatewayKeys()).map((record) => toGatewayKeyView(record, now));
  }

  /** One key; 404 when there is no such id. */
  async get(id: string): Promise<GatewayKeyView> {
    const record = await this.#store.getGatewayKey(id);
    if (record === undefined) throw notFound(id);
    return toGatewayKeyView(record);
  }

  /** Revokes a key for good (it stays listed as revoked); revoking twice is harmless. 404 for an unknown id. */
  async revoke(id: string): Promise<GatewayKeyView> {
    const record = await this.#store.revokeGatewayKey(id);
    if (record === undefined) throw notFound(id);
    await this.#onChange();
    return toGatewayKeyView(record);
  }

  #loadHasher(): Promise<KeyHasher> {
    this.#hasher ??= loadKeyHasher(this.#store).catch((error: unknown) => {
      this.#hasher = undefined;
      throw error;
    });
    return this.#hasher;
  }
}

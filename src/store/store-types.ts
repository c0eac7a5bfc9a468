/**
 * @module store/store-types
 * The narrow store interface the rest of Switchyard depends on (STYLE.md §15): records in and out,
 * never SQL. SQLite (embedded default) and PostgreSQL (scale-out) implement it with the same
 * migrations. Secret fields hold encrypted envelopes (see secrets/), never plaintext.
 */
import type { Service } from "../providers/types.js";

/** The model types a default can be set for. */
export type ModelType = "chat" | "embedding" | "tts" | "stt";

/** Result of the last connection test, kept to show status in lists. */
export interface LastTestResult {
  readonly ok: boolean;
  /** ISO 8601 time of the test. */
  readonly at: string;
  readonly latencyMs: number | null;
  /** Plain-language diagnosis, never containing a secret. */
  readonly message: string;
}

/** A stored credential (a provider a user added). */
export interface CredentialRecord {
  /** Stable id (UUID). */
  readonly id: string;
  /** Unique; the model-id prefix that routes to it. */
  readonly name: string;
  /** Provider kind id (`ollama`, `openai`, …). */
  readonly kind: string;
  /** Base URL; null means "not set here" (config, env or the kind's default apply). */
  readonly baseUrl: string | null;
  /** Encrypted envelope of the API key, or null when none is stored. */
  readonly apiKeyEnvelope: string | null;
  /** Per-service base URLs (plain; URLs are not secrets). */
  readonly serviceUrls: Readonly<Partial<Record<Service, string>>>;
  /** Encrypted envelope of a JSON object of per-service API keys, or null. */
  readonly serviceKeysEnvelope: string | null;
  /** Encrypted envelope of a JSON object of extra headers (values may be secrets), or null. */
  readonly headersEnvelope: string | null;
  /** Kind-specific settings (e.g. Azure endpoint, api version, deployments). Not secret. */
  readonly providerFields: Readonly<Record<string, unknown>>;
  readonly enabled: boolean;
  /** Lower runs first when several credentials serve the same model (routing). */
  readonly priority: number;
  readonly lastTest: LastTestResult | null;
  /** Incremented on every update; updates may require the version they read (optimistic locking). */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Fields of a new credential. */
export type NewCredential = Omit<CredentialRecord, "id" | "version" | "createdAt" | "updatedAt" | "lastTest"> & {
  /** Callers that encrypt secrets bound to the record id choose the id first; otherwise one is generated. */
  readonly id?: string;
  readonly lastTest?: LastTestResult | null;
};

/** Fields that can change; absent fields stay as they are. */
export type CredentialPatch = Partial<Omit<CredentialRecord, "id" | "version" | "createdAt" | "updatedAt">>;

/** A registered model. */
export interface ModelRecord {
  /** Public id clients send: `<credential name>/<name>`. */
  readonly id: string;
  readonly credentialId: string;
  /** Name after the prefix. */
  readonly name: string;
  /** Model name sent upstream (usually equal to `name`). */
  readonly upstreamModel: string;
  readonly displayName: string | null;
  readonly type: ModelType;
  readonly contextWindow: number | null;
  readonly capabilities: readonly string[];
  readonly inputPricePerMillion: number | null;
  readonly outputPricePerMillion: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Fields of a new model. */
export type NewModel = Omit<ModelRecord, "createdAt" | "updatedAt">;

/** Fields of a model that can change. */
export type ModelPatch = Partial<Omit<ModelRecord, "id" | "credentialId" | "name" | "createdAt" | "updatedAt">>;

/** A gateway key (`sk-sy-…`) that clients send to `/v1`. Only a keyed hash of the key is stored. */
export interface GatewayKeyRecord {
  /** Stable id (UUID); what the API, CLI and (later) usage records name the key by. */
  readonly id: string;
  readonly name: string;
  /** HMAC-SHA256 of the whole key, base64url; unique. */
  readonly keyHash: string;
  /** The key's first characters (`sk-sy-abcd`), to recognise it in lists; not enough to use it. */
  readonly keyPrefix: string;
  /** Model ids the key may use; null allows every model. */
  readonly models: readonly string[] | null;
  /** Requests per minute; null is unlimited. */
  readonly rpm: number | null;
  /** Tokens per minute; null is unlimited. */
  readonly tpm: number | null;
  /** ISO 8601 time after which the key is refused, or null. */
  readonly expiresAt: string | null;
  /** ISO 8601 time it was revoked, or null while it is live. */
  readonly revokedAt: string | null;
  readonly createdAt: string;
}

/** Fields of a new gateway key. */
export type NewGatewayKey = Omit<GatewayKeyRecord, "id" | "revokedAt" | "createdAt"> & { readonly id?: string };

/** Raised when an update names a version that is no longer current (someone else saved first). */
export class StoreConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreConflictError";
  }
}

/** Raised when a unique name or id is already taken. */
export class StoreDuplicateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreDuplicateError";
  }
}

/** Raised when the database cannot be used (locked past the busy timeout, gone, too new a schema). */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}

/** Everything Switchyard persists. All methods may throw the Store*Error classes above. */
export interface Store {
  readonly dialect: "sqlite" | "postgres";
  /** Where the data lives, for messages (`/home/me/.switchyard/switchyard.db`), never with a password. */
  readonly location: string;

  listCredentials(): Promise<CredentialRecord[]>;
  /** By id or by name. */
  getCredential(idOrName: string): Promise<CredentialRecord | undefined>;
  createCredential(input: NewCredential): Promise<CredentialRecord>;
  /** Throws StoreConflictError when `expectedVersion` is given and no longer current. */
  updateCredential(id: string, patch: CredentialPatch, expectedVersion?: number): Promise<CredentialRecord>;
  /** Deletes the credential and its models; false when it did not exist. */
  deleteCredential(id: string): Promise<boolean>;

  listModels(): Promise<ModelRecord[]>;
  getModel(id: string): Promise<ModelRecord | undefined>;
  createModel(input: NewModel): Promise<ModelRecord>;
  updateModel(id: string, patch: ModelPatch): Promise<ModelRecord>;
  deleteModel(id: string): Promise<boolean>;

  /** Default model id per type. */
  getDefaults(): Promise<Partial<Record<ModelType, string>>>;
  /** Sets (or with null clears) the default model for a type. */
  setDefault(type: ModelType, modelId: string | null): Promise<void>;

  /** Every gateway key, revoked ones included, oldest first. */
  listGatewayKeys(): Promise<GatewayKeyRecord[]>;
  getGatewayKey(id: string): Promise<GatewayKeyRecord | undefined>;
  /** Throws StoreDuplicateError when the hash is taken. */
  createGatewayKey(input: NewGatewayKey): Promise<GatewayKeyRecord>;
  /** Marks a key revoked (a second revoke keeps the first time); undefined when there is no such key. */
  revokeGatewayKey(id: string): Promise<GatewayKeyRecord | undefined>;

  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;

  /** A number that grows with every write; other processes poll it to notice changes. */
  revision(): Promise<number>;
  /** Runs `work` in one transaction: all of its writes happen, or none. */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

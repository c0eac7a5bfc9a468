/**
 * @module store/kysely-store
 * The Store implementation shared by SQLite and PostgreSQL: one class bound either to the database
 * or to an open transaction, adding the revision bump and error mapping around the repositories.
 */
import type { Kysely } from "kysely";
import { sql } from "./kysely-runtime.js";
import * as credentials from "./credential-repository.js";
import * as gatewayKeys from "./gateway-key-repository.js";
import type { Database } from "./database-schema.js";
import * as models from "./model-repository.js";
import { toStoreError, type ConstraintMessages, type StoreErrorContext } from "./store-errors.js";
import type {
  CredentialPatch,
  CredentialRecord,
  GatewayKeyRecord,
  ModelPatch,
  ModelRecord,
  ModelType,
  NewCredential,
  NewGatewayKey,
  NewModel,
  Store,
} from "./store-types.js";

/** What a dialect supplies to the store: how to open a transaction, check health and close. */
export interface StoreRuntime {
  readonly dialect: "sqlite" | "postgres";
  /** Redacted location for messages. */
  readonly location: string;
  readonly errorContext: StoreErrorContext;
  /** The database itself. */
  readonly db: Kysely<Database>;
  /** Throws StoreUnavailableError when the database can no longer be used (e.g. the SQLite file is gone). */
  checkAvailable(): void;
  /** Runs `work` in a new transaction on `db`: committed when it resolves, rolled back when it throws. */
  runTransaction<T>(work: (executor: Kysely<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * A Store over Kysely. Methods called on the store handed to `transaction(work)` run inside that
 * transaction; calling the outer store from inside `work` instead would wait for the transaction
 * to end (SQLite has one connection), so always use the store `work` receives.
 */
export class KyselyStore implements Store {
  readonly dialect: "sqlite" | "postgres";
  readonly location: string;
  readonly #runtime: StoreRuntime;
  readonly #executor: Kysely<Database>;
  readonly #inTransaction: boolean;
  #savepoints = 0;
  /** Writes inside one transaction take turns: interleaved savepoints would release each other. */
  #writeTurn: Promise<unknown> = Promise.resolve();

  constructor(runtime: StoreRuntime, executor: Kysely<Database> = runtime.db, inTransaction = false) {
    this.dialect = runtime.dialect;
    this.location = runtime.location;
    this.#runtime = runtime;
    this.#executor = executor;
    this.#inTransaction = inTransaction;
  }

  /** @inheritdoc */
  listCredentials(): Promise<CredentialRecord[]> {
    return this.#read((db) => credentials.listCredentials(db));
  }

  /** @inheritdoc */
  getCredential(idOrName: string): Promise<CredentialRecord | undefined> {
    return this.#read((db) => credentials.findCredential(db, idOrName));
  }

  /** @inheritdoc */
  createCredential(input: NewCredential): Promise<CredentialRecord> {
    return this.#write((db) => credentials.insertCredential(db, this.dialect, input), {
      duplicate: () => `A credential named "${input.name}" already exists.`,
    });
  }

  /** Throws StoreNotFoundError for an unknown id, StoreConflictError for a stale `expectedVersion`. */
  updateCredential(id: string, patch: CredentialPatch, expectedVersion?: number): Promise<CredentialRecord> {
    return this.#write((db) => credentials.updateCredential(db, this.dialect, id, patch, expectedVersion), {
      duplicate: () => `A credential named "${patch.name ?? ""}" already exists.`,
    });
  }

  /** @inheritdoc */
  deleteCredential(id: string): Promise<boolean> {
    return this.#write((db) => credentials.deleteCredential(db, id));
  }

  /** @inheritdoc */
  listModels(): Promise<ModelRecord[]> {
    return this.#read((db) => models.listModels(db));
  }

  /** @inheritdoc */
  getModel(id: string): Promise<ModelRecord | undefined> {
    return this.#read((db) => models.findModel(db, id));
  }

  /** Throws StoreDuplicateError for a taken id or name, StoreNotFoundError for an unknown credential. */
  createModel(input: NewModel): Promise<ModelRecord> {
    return this.#write((db) => models.insertModel(db, input), {
      duplicate: (onName) =>
        onName
          ? `Credential "${input.credentialId}" already has a model named "${input.name}".`
          : `A model with id "${input.id}" already exists.`,
      missingReference: `No credential with id "${input.credentialId}".`,
    });
  }

  /** Throws StoreNotFoundError for an unknown id. */
  updateModel(id: string, patch: ModelPatch): Promise<ModelRecord> {
    return this.#write((db) => models.updateModel(db, id, patch));
  }

  /** @inheritdoc */
  deleteModel(id: string): Promise<boolean> {
    return this.#write((db) => models.deleteModel(db, id));
  }

  /** @inheritdoc */
  getDefaults(): Promise<Partial<Record<ModelType, string>>> {
    return this.#read((db) => models.readDefaults(db));
  }

  /** Throws StoreNotFoundError when `modelId` names no model. */
  setDefault(type: ModelType, modelId: string | null): Promise<void> {
    return this.#write((db) => models.writeDefault(db, type, modelId), {
      missingReference: `No model with id "${modelId ?? ""}".`,
    });
  }

  /** @inheritdoc */
  listGatewayKeys(): Promise<GatewayKeyRecord[]> {
    return this.#read((db) => gatewayKeys.listGatewayKeys(db));
  }

  /** @inheritdoc */
  getGatewayKey(id: string): Promise<GatewayKeyRecord | undefined> {
    return this.#read((db) => gatewayKeys.findGatewayKey(db, id));
  }

  /** @inheritdoc */
  createGatewayKey(input: NewGatewayKey): Promise<GatewayKeyRecord> {
    return this.#write((db) => gatewayKeys.insertGatewayKey(db, input), {
      duplicate: () => "A gateway key with the same hash or id already exists.",
    });
  }

  /** @inheritdoc */
  revokeGatewayKey(id: string): Promise<GatewayKeyRecord | undefined> {
    return this.#write((db) => gatewayKeys.revokeGatewayKey(db, id));
  }

  /** @inheritdoc */
  getMeta(key: string): Promise<string | undefined> {
    return this.#read((db) => models.readMeta(db, key));
  }

  /** @inheritdoc */
  setMeta(key: string, value: string): Promise<void> {
    return this.#write((db) => models.writeMeta(db, key, value));
  }

  /** @inheritdoc */
  revision(): Promise<number> {
    return this.#read((db) => models.readRevision(db));
  }

  /** Nested calls (on the store `work` receives) join the open transaction. */
  async transaction<T>(work: (store: Store) => Promise<T>): Promise<T> {
    if (this.#inTransaction) return work(this);
    try {
      this.#runtime.checkAvailable();
      return await this.#runtime.runTransaction((executor) => work(new KyselyStore(this.#runtime, executor, true)));
    } catch (error) {
      throw toStoreError(error, this.#runtime.errorContext);
    }
  }

  /** Closes the database; on the store given to `transaction(work)` this does nothing. */
  async close(): Promise<void> {
    if (!this.#inTransaction) await this.#runtime.close();
  }

  async #read<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    try {
      this.#runtime.checkAvailable();
      return await work(this.#executor);
    } catch (error) {
      throw toStoreError(error, this.#runtime.errorContext);
    }
  }

  /** Runs one write with its revision bump, atomically, in its own transaction or a savepoint. */
  async #write<T>(work: (db: Kysely<Database>) => Promise<T>, messages: ConstraintMessages = {}): Promise<T> {
    const run = async (db: Kysely<Database>): Promise<T> => {
      await models.bumpRevision(db);
      return work(db);
    };
    try {
      this.#runtime.checkAvailable();
      if (!this.#inTransaction) return await this.#runtime.runTransaction(run);
      return await this.#inSavepoint(run);
    } catch (error) {
      throw toStoreError(error, this.#runtime.errorContext, messages);
    }
  }

  /**
   * A failed statement aborts a whole PostgreSQL transaction but not a SQLite one; a savepoint per
   * write makes both behave alike: the failed write is undone and the caller may carry on.
   */
  #inSavepoint<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    const turn = this.#writeTurn.then(() => this.#savepoint(work));
    this.#writeTurn = turn.catch(() => undefined);
    return turn;
  }

  async #savepoint<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    const name = sql.id(`store_write_${++this.#savepoints}`);
    await sql`savepoint ${name}`.execute(this.#executor);
    try {
      const result = await work(this.#executor);
      await sql`release savepoint ${name}`.execute(this.#executor);
      return result;
    } catch (error) {
      await sql`rollback to savepoint ${name}`.execute(this.#executor).catch(() => undefined);
      throw error;
    }
  }
}

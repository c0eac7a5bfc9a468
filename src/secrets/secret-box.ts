/**
 * @module secrets/secret-box
 * The gate every stored secret passes through: seals and opens envelopes with the master key, and
 * refuses both (with a message naming the fix) when the key is missing or is not the key the store
 * was sealed with — so a wrong key can never overwrite or lose what is stored.
 */
import { dirname, join } from "node:path";
import type { Environment } from "../config/resolve-providers.js";
import { GatewayError } from "../errors/gateway-error.js";
import { ENCRYPTION_KEY_ENV, KEY_FILE_NAME, PENDING_KEY_FILE_NAME, computeKeyId, resolveEncryptionKey, type KeySource, type MasterKey, type MetaStore } from "./encryption-key.js";
import { EnvelopeError, envelopeKeyId, openSecret, sealSecret, type SecretContext } from "./envelope.js";

/** Meta entry holding the key check value: a fixed text sealed with the key the store uses. */
export const KEY_CHECK_META_KEY = "encryption.key_check";

/** The sealed text of the key check value; its content is public, only its seal matters. */
const KEY_CHECK_PLAINTEXT = "switchyard key check v1";

/** Context the key check value is sealed with, so no credential envelope can stand in for it. */
const KEY_CHECK_CONTEXT: SecretContext = { record: "meta", field: "key_check" };

/** Whether secrets can be read and written, and if not, why. Holds no key material. */
export type EncryptionState =
  | { readonly status: "ok"; readonly keyId: string; readonly source: KeySource; readonly keyFile?: string }
  | { readonly status: "missing"; readonly message: string }
  | { readonly status: "wrong-key"; readonly keyId: string; readonly expectedKeyId: string; readonly message: string };

/** The state in a form safe to show in the admin API and console. */
export interface EncryptionDescription {
  readonly status: EncryptionState["status"];
  readonly keyId?: string;
  readonly expectedKeyId?: string;
  readonly source?: KeySource;
  readonly keyFile?: string;
  readonly message?: string;
}

/** Options for {@link SecretBox.open}. */
export interface SecretBoxOptions {
  readonly env: Environment;
  /** The data directory, for the generated key file. */
  readonly dataDir?: string;
  /** Where the passphrase salt and key check value live; normally the Store. */
  readonly meta: MetaStore;
  /** True on the embedded default (SQLite); false when instances share PostgreSQL. */
  readonly allowGenerate: boolean;
}

/** Seals and opens secrets with the master key, or refuses with a clear GatewayError. */
export class SecretBox {
  #state: EncryptionState;
  // A private field, so the key shows up in neither JSON.stringify nor util.inspect output.
  readonly #key: Buffer | undefined;

  private constructor(state: EncryptionState, key: Buffer | undefined) {
    this.#state = state;
    this.#key = key;
  }

  /**
   * Resolves the master key and checks it against the stored key check value (writing that value on
   * first use). A wrong or missing key yields a box whose every call throws; it does not throw
   * here, so the server can still start and report the problem. Throws only for an unusable key
   * file or damaged salt (GatewayError `encryption_key_invalid`).
   */
  static async open(options: SecretBoxOptions): Promise<SecretBox> {
    const keyCheck = await options.meta.getMeta(KEY_CHECK_META_KEY);
    const expectedKeyId = keyCheck === undefined ? undefined : (envelopeKeyId(keyCheck) ?? "unknown");
    // Generating a fresh key file while the store is sealed with another key would only hide the real problem.
    const master = await resolveEncryptionKey({ ...options, allowGenerate: options.allowGenerate && keyCheck === undefined });
    if (master === undefined) return new SecretBox({ status: "missing", message: missingMessage(expectedKeyId, options.dataDir) }, undefined);
    const box = SecretBox.fromMasterKey(master);
    if (keyCheck === undefined) {
      await options.meta.setMeta(KEY_CHECK_META_KEY, box.createKeyCheck());
      return box;
    }
    return box.#checkAgainst(keyCheck) ? box : SecretBox.#wrongKey(master, expectedKeyId ?? "unknown", options.dataDir);
  }

  /** A ready box around a known key, bypassing the store's key check (tests, rotation). */
  static fromKey(key: Buffer, source: KeySource = "env", keyFile?: string): SecretBox {
    return SecretBox.fromMasterKey({ key, keyId: computeKeyId(key), source, ...(keyFile === undefined ? {} : { keyFile }) });
  }

  /** A ready box around a resolved master key, bypassing the store's key check. */
  static fromMasterKey(master: MasterKey): SecretBox {
    const state: EncryptionState = { status: "ok", keyId: master.keyId, source: master.source, ...(master.keyFile === undefined ? {} : { keyFile: master.keyFile }) };
    return new SecretBox(state, master.key);
  }

  static #wrongKey(master: MasterKey, expectedKeyId: string, dataDir: string | undefined): SecretBox {
    const message = wrongKeyMessage(master, expectedKeyId, dataDir);
    return new SecretBox({ status: "wrong-key", keyId: master.keyId, expectedKeyId, message }, undefined);
  }

  /** Whether secrets can be used, and if not, why. */
  get state(): EncryptionState {
    return this.#state;
  }

  /** The state without key material, for the admin API and console. */
  describe(): EncryptionDescription {
    const state = this.#state;
    if (state.status === "ok") return { ...state };
    if (state.status === "missing") return { status: state.status, message: state.message };
    return { status: state.status, keyId: state.keyId, expectedKeyId: state.expectedKeyId, message: state.message };
  }

  /** Seals a secret for one record and field. Throws when the key is missing or wrong, never writing with it. */
  encrypt(plaintext: string, context: SecretContext): string {
    const ok = this.#ready();
    return sealSecret(this.#keyOrThrow(), ok.keyId, plaintext, context);
  }

  /** Opens a secret sealed for this record and field; throws a GatewayError saying what to do if it cannot. */
  decrypt(envelope: string, context: SecretContext): string {
    const ok = this.#ready();
    const where = `${context.field} of ${context.record}`;
    const sealedWith = envelopeKeyId(envelope);
    if (sealedWith === undefined) {
      throw new GatewayError("secret_tampered", `The stored ${where} is not a valid encrypted value; it was altered outside Switchyard. Enter the secret again to replace it.`);
    }
    if (sealedWith !== ok.keyId) {
      throw new GatewayError("encryption_key_invalid", `The stored ${where} was encrypted with key ${sealedWith}, but the current key is ${ok.keyId}. Configure key ${sealedWith} again, or enter the secret again to replace it. Nothing stored has been changed.`);
    }
    try {
      return openSecret(this.#keyOrThrow(), envelope, context);
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      throw new GatewayError("secret_tampered", `The stored ${where} failed its integrity check: it was altered, or copied from another record or field. Enter the secret again to replace it.`);
    }
  }

  /** A fresh key check value for this key, to store under {@link KEY_CHECK_META_KEY} (first use, rotation). */
  createKeyCheck(): string {
    return this.encrypt(KEY_CHECK_PLAINTEXT, KEY_CHECK_CONTEXT);
  }

  /**
   * Re-reads the stored key check value and, if another process has since moved the store to a
   * different key (`rotate-key` while this one ran), switches to `wrong-key` and throws. Call it
   * before writing secrets so a stale process cannot seal new secrets with a retired key.
   */
  async verify(meta: MetaStore): Promise<void> {
    const ok = this.#ready();
    const keyCheck = await meta.getMeta(KEY_CHECK_META_KEY);
    if (keyCheck === undefined || this.#checkAgainst(keyCheck)) return;
    const expectedKeyId = envelopeKeyId(keyCheck) ?? "unknown";
    const master: MasterKey = { key: this.#keyOrThrow(), keyId: ok.keyId, source: ok.source, ...(ok.keyFile === undefined ? {} : { keyFile: ok.keyFile }) };
    const message = wrongKeyMessage(master, expectedKeyId, undefined);
    this.#state = { status: "wrong-key", keyId: ok.keyId, expectedKeyId, message };
    throw new GatewayError("encryption_key_invalid", message);
  }

  #checkAgainst(keyCheck: string): boolean {
    try {
      return openSecret(this.#keyOrThrow(), keyCheck, KEY_CHECK_CONTEXT) === KEY_CHECK_PLAINTEXT;
    } catch (error) {
      if (error instanceof EnvelopeError) return false;
      throw error;
    }
  }

  #ready(): Extract<EncryptionState, { status: "ok" }> {
    const state = this.#state;
    if (state.status === "ok") return state;
    throw new GatewayError(state.status === "missing" ? "encryption_key_missing" : "encryption_key_invalid", state.message);
  }

  #keyOrThrow(): Buffer {
    if (this.#key === undefined) throw new GatewayError("encryption_key_missing", "No encryption key is loaded.");
    return this.#key;
  }
}

function missingMessage(expectedKeyId: string | undefined, dataDir: string | undefined): string {
  const restore = dataDir === undefined ? "" : ` (or restore ${join(dataDir, KEY_FILE_NAME)})`;
  if (expectedKeyId !== undefined) {
    return `Stored credentials are encrypted with key ${expectedKeyId}, but no encryption key is configured. Set ${ENCRYPTION_KEY_ENV} to that key${restore}. Nothing stored has been changed.`;
  }
  return `No encryption key is configured, so credentials cannot be stored. Set ${ENCRYPTION_KEY_ENV} (64 hex characters, 32 bytes in base64, or a passphrase); every instance sharing the database needs the same value.`;
}

function wrongKeyMessage(master: MasterKey, expectedKeyId: string, dataDir: string | undefined): string {
  const unchanged = "Nothing stored has been changed.";
  if (expectedKeyId === master.keyId) {
    // Same key id means same key, so the check value itself was altered; the key is not the problem.
    return `The stored key check value (meta ${KEY_CHECK_META_KEY}) names key ${master.keyId} but does not verify with it: it was altered. Restore the database from a backup, or, if you are sure key ${master.keyId} is right, delete that meta entry and start again. ${unchanged}`;
  }
  const keyFile = master.keyFile ?? (dataDir === undefined ? `${KEY_FILE_NAME} in the data directory` : join(dataDir, KEY_FILE_NAME));
  if (master.source === "file") {
    // A crash between committing a rotation and swapping the key file leaves the new key beside the old one.
    const pending = master.keyFile === undefined ? PENDING_KEY_FILE_NAME : join(dirname(master.keyFile), PENDING_KEY_FILE_NAME);
    return `Stored credentials were encrypted with key ${expectedKeyId}, but ${keyFile} holds key ${master.keyId}. Restore the original ${keyFile} (or set ${ENCRYPTION_KEY_ENV} to the original key); if \`switchyard secrets rotate-key\` was interrupted, the right key may be in ${pending}: move it over ${keyFile}. To move to a new key afterwards, run \`switchyard secrets rotate-key\`. ${unchanged}`;
  }
  return `Stored credentials were encrypted with key ${expectedKeyId}, but ${ENCRYPTION_KEY_ENV} is key ${master.keyId}. Set ${ENCRYPTION_KEY_ENV} back to the original key (or unset it and restore ${keyFile}); to move to a new key afterwards, run \`switchyard secrets rotate-key\`. ${unchanged}`;
}

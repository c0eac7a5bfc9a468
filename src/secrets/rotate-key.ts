/**
 * @module secrets/rotate-key
 * `switchyard secrets rotate-key`: re-seals every stored secret under a new master key in one
 * transaction, and swaps the generated key file only after that transaction has committed.
 */
import { randomBytes } from "node:crypto";
import { rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Environment } from "../config/resolve-providers.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { CredentialRecord, Store } from "../store/store-types.js";
import {
  ENCRYPTION_KEY_ENV,
  KEY_FILE_NAME,
  PENDING_KEY_FILE_NAME,
  computeKeyId,
  masterKeyFromValue,
  syncDirectory,
  writeKeyFileExclusive,
  type KeySource,
} from "./encryption-key.js";
import { ENCRYPTION_KEY_BYTES, envelopeKeyId } from "./envelope.js";
import { KEY_CHECK_META_KEY, SecretBox } from "./secret-box.js";

type SecretProperty = "apiKeyEnvelope" | "serviceKeysEnvelope" | "headersEnvelope";

/** Each encrypted credential property and the field name sealed into its envelope's context. */
const SECRET_FIELDS: ReadonlyArray<readonly [SecretProperty, string]> = [
  ["apiKeyEnvelope", "api_key"],
  ["serviceKeysEnvelope", "service_keys"],
  ["headersEnvelope", "headers"],
];

/** What a rotation re-sealed. */
export interface RotationCounts {
  /** Credentials that had at least one secret. */
  readonly credentials: number;
  /** Envelopes re-sealed. */
  readonly secrets: number;
}

/** Options for {@link rotateEncryptionKey}. */
export interface RotateEncryptionKeyOptions {
  readonly store: Store;
  /** Opens the secrets as stored now. */
  readonly from: SecretBox;
  /** Seals them from now on. */
  readonly to: SecretBox;
}

/**
 * Re-seals every credential secret from `from` to `to` and replaces the key check value, all in one
 * `store.transaction`: if any secret fails to open or any write fails, nothing changes. Running
 * processes keep the old key in memory, so restart them afterwards.
 */
export async function rotateEncryptionKey(options: RotateEncryptionKeyOptions): Promise<RotationCounts> {
  const { from, to } = options;
  const fromState = from.state;
  const toState = to.state;
  if (fromState.status !== "ok") throw new GatewayError(fromState.status === "missing" ? "encryption_key_missing" : "encryption_key_invalid", fromState.message);
  if (toState.status !== "ok") throw new GatewayError(toState.status === "missing" ? "encryption_key_missing" : "encryption_key_invalid", toState.message);
  if (fromState.keyId === toState.keyId) {
    throw new GatewayError("invalid_request", `The new key is the current key (${toState.keyId}); give a different one.`);
  }
  return options.store.transaction(async (store) => {
    // Inside the transaction, so no other rotation can slip in between this check and the writes.
    await from.verify(store);
    let credentials = 0;
    let secrets = 0;
    for (const credential of await store.listCredentials()) {
      const patch = resealCredential(credential, from, to, toState.keyId);
      if (patch === undefined) continue;
      await store.updateCredential(credential.id, patch.fields, credential.version);
      credentials += 1;
      secrets += patch.count;
    }
    await store.setMeta(KEY_CHECK_META_KEY, to.createKeyCheck());
    return { credentials, secrets };
  });
}

function resealCredential(credential: CredentialRecord, from: SecretBox, to: SecretBox, toKeyId: string): { fields: Partial<Record<SecretProperty, string>>; count: number } | undefined {
  const fields: Partial<Record<SecretProperty, string>> = {};
  let count = 0;
  for (const [property, field] of SECRET_FIELDS) {
    const envelope = credential[property];
    if (envelope === null) continue;
    const context = { record: credential.id, field };
    if (envelopeKeyId(envelope) === toKeyId) {
      // Already under the new key (written by a process that had it): check it opens, leave it be.
      to.decrypt(envelope, context);
      continue;
    }
    fields[property] = to.encrypt(from.decrypt(envelope, context), context);
    count += 1;
  }
  return count === 0 ? undefined : { fields, count };
}

/** A freshly generated key waiting in `encryption.key.new` for the rotation to commit. */
export interface PendingKeyFile {
  readonly key: Buffer;
  /** `<dataDir>/encryption.key.new`. */
  readonly file: string;
  /** `<dataDir>/encryption.key`, which it replaces. */
  readonly target: string;
}

/**
 * Generates a new random key into `<dataDir>/encryption.key.new` (owner-only, synced). Refuses when
 * that file already exists: it may be the only copy of the key of an interrupted rotation.
 */
export async function generateKeyFile(dataDir: string): Promise<PendingKeyFile> {
  const file = join(dataDir, PENDING_KEY_FILE_NAME);
  const key = randomBytes(ENCRYPTION_KEY_BYTES);
  if (!(await writeKeyFileExclusive(file, key))) {
    throw new GatewayError(
      "encryption_key_invalid",
      `${file} already exists, left by an earlier rotate-key. If that run reported that it could not swap the key file, move ${file} over ${join(dataDir, KEY_FILE_NAME)}; otherwise delete ${file}. Then run rotate-key again.`,
    );
  }
  return { key, file, target: join(dataDir, KEY_FILE_NAME) };
}

/** Renames the pending key over the key file (atomic within one filesystem) and syncs the directory. */
export async function installKeyFile(pending: PendingKeyFile): Promise<void> {
  await rename(pending.file, pending.target);
  await syncDirectory(dirname(pending.target));
}

/** Deletes a pending key whose rotation did not commit; nothing was sealed with it. */
export async function discardKeyFile(pending: PendingKeyFile): Promise<void> {
  await rm(pending.file, { force: true });
}

/** Options for {@link rotateKeyCommand}. */
export interface RotateKeyCommandOptions {
  readonly store: Store;
  readonly env: Environment;
  readonly dataDir?: string;
  /** The new key: raw (64 hex characters or 32 bytes in base64) or a passphrase. Required when the current key comes from the environment. */
  readonly newKey?: string;
}

/** What {@link rotateKeyCommand} did, for the CLI to print. */
export interface RotateKeyCommandResult extends RotationCounts {
  readonly previousKeyId: string;
  readonly newKeyId: string;
  readonly source: KeySource;
  /** The key file now holding the new key, when a key file was rotated. */
  readonly keyFile?: string;
  /** What the user must do next, when the new key lives outside Switchyard (the environment). */
  readonly envHint?: string;
}

/**
 * The whole `rotate-key` command. With `newKey`, everything is re-sealed under it and the result
 * says to set `SWITCHYARD_ENCRYPTION_KEY` to it. Without, the current key must be the generated key
 * file: a new random key is written to `encryption.key.new`, the store re-sealed in one transaction,
 * and only after the commit is the file renamed over `encryption.key` — so a failed transaction
 * leaves the old file in charge, and a failed rename names the file holding the new key.
 * Stop other Switchyard processes first: they keep the old key in memory.
 */
export async function rotateKeyCommand(options: RotateKeyCommandOptions): Promise<RotateKeyCommandResult> {
  const { store, env } = options;
  const from = await SecretBox.open({ env, meta: store, allowGenerate: false, ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }) });
  const fromState = from.state;
  if (fromState.status !== "ok") throw new GatewayError(fromState.status === "missing" ? "encryption_key_missing" : "encryption_key_invalid", fromState.message);
  const newKey = options.newKey?.trim();
  if (newKey) {
    const master = await masterKeyFromValue(newKey, store);
    const counts = await rotateEncryptionKey({ store, from, to: SecretBox.fromMasterKey(master) });
    const staleFile = fromState.keyFile === undefined ? "" : ` ${fromState.keyFile} holds the old key and is ignored while ${ENCRYPTION_KEY_ENV} is set; delete it once the variable is in place.`;
    const envHint = `Set ${ENCRYPTION_KEY_ENV} to the new key on every instance and restart them; the old key no longer opens the stored credentials.${staleFile}`;
    return { ...counts, previousKeyId: fromState.keyId, newKeyId: master.keyId, source: master.source, envHint };
  }
  if (fromState.source !== "file" || fromState.keyFile === undefined) {
    throw new GatewayError(
      "encryption_key_missing",
      `The current key comes from ${ENCRYPTION_KEY_ENV}, so rotate-key cannot replace it by itself. Give the new key (64 hex characters, 32 bytes in base64, or a passphrase); afterwards set ${ENCRYPTION_KEY_ENV} to it.`,
    );
  }
  const keyFile = fromState.keyFile;
  const pending = await generateKeyFile(dirname(keyFile));
  const to = SecretBox.fromKey(pending.key, "file", keyFile);
  const newKeyId = computeKeyId(pending.key);
  let counts: RotationCounts;
  try {
    counts = await rotateEncryptionKey({ store, from, to });
  } catch (error) {
    await discardKeyFile(pending);
    throw error;
  }
  try {
    await installKeyFile(pending);
  } catch (error) {
    throw new GatewayError(
      "internal_error",
      `Every secret is now encrypted with key ${newKeyId}, which is in ${pending.file}, but it could not be moved over ${keyFile}. Move it there by hand before starting Switchyard: ${keyFile} holds the old key, which no longer opens anything.`,
      { cause: error },
    );
  }
  return { ...counts, previousKeyId: fromState.keyId, newKeyId, source: "file", keyFile };
}

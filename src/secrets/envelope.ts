/**
 * @module secrets/envelope
 * The one at-rest format for secrets: AES-256-GCM in a versioned envelope bound to its record and field.
 *
 * `sy1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts, 12-byte IV, 16-byte tag). The additional
 * authenticated data is `sy1|<keyId>|<record>|<field>`, so an envelope copied to another credential
 * or field, or re-labelled with another key id, fails to open instead of yielding someone else's key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** Version tag leading every envelope; a new format gets a new tag, never a silent reinterpretation. */
export const ENVELOPE_VERSION = "sy1";

/** AES-256 takes a 32-byte key. */
export const ENCRYPTION_KEY_BYTES = 32;

/** 96-bit IVs are the size GCM is specified for (NIST SP 800-38D); other sizes are hashed first. */
const IV_BYTES = 12;

/** Full 128-bit tag. Node 20 still accepts truncated tags unless told the length (DEP0182). */
const TAG_BYTES = 16;

const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]*$/;

/** Which record and field a secret belongs to; part of the authenticated data. */
export interface SecretContext {
  /** The owning record, e.g. a credential id. */
  readonly record: string;
  /** The field within the record, e.g. `api_key`. */
  readonly field: string;
}

/** Why an envelope could not be opened. */
export type EnvelopeFailure = "malformed" | "unauthenticated";

/**
 * An envelope that is not well formed (`malformed`) or whose authentication failed
 * (`unauthenticated`: wrong key, altered bytes, or another record's or field's envelope).
 * Messages never contain key or plaintext material.
 */
export class EnvelopeError extends Error {
  readonly reason: EnvelopeFailure;

  constructor(reason: EnvelopeFailure, message: string) {
    super(message);
    this.name = "EnvelopeError";
    this.reason = reason;
  }
}

interface EnvelopeParts {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

/** Encrypts `plaintext` under `key` with a fresh random IV and returns the envelope string. */
export function sealSecret(key: Buffer, keyId: string, plaintext: string, context: SecretContext): string {
  checkKey(key);
  if (!KEY_ID_PATTERN.test(keyId)) throw new RangeError("Key id must be 1–64 characters of [A-Za-z0-9_-].");
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(keyId, context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [ENVELOPE_VERSION, keyId, iv.toString("base64url"), ciphertext.toString("base64url"), tag.toString("base64url")].join(".");
}

/** Decrypts an envelope made by {@link sealSecret} for the same key and context; throws {@link EnvelopeError}. */
export function openSecret(key: Buffer, envelope: string, context: SecretContext): string {
  checkKey(key);
  const parts = parseEnvelope(envelope);
  if (parts === undefined) throw new EnvelopeError("malformed", `Not a ${ENVELOPE_VERSION} secret envelope.`);
  const aad = additionalData(parts.keyId, context);
  const decipher = createDecipheriv("aes-256-gcm", key, parts.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(parts.tag);
  try {
    return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString("utf8");
  } catch {
    // OpenSSL reports only "Unsupported state or unable to authenticate data"; say what it means.
    throw new EnvelopeError("unauthenticated", "Secret envelope failed authentication (wrong key, altered, or from another record or field).");
  }
}

/** The key id an envelope names, read without decrypting; undefined when it is not a well-formed envelope. */
export function envelopeKeyId(envelope: string): string | undefined {
  return parseEnvelope(envelope)?.keyId;
}

/** True when `value` is a well-formed envelope (it says nothing about whether it opens). */
export function isEnvelope(value: string): boolean {
  return parseEnvelope(value) !== undefined;
}

function parseEnvelope(envelope: string): EnvelopeParts | undefined {
  if (typeof envelope !== "string") return undefined;
  const pieces = envelope.split(".");
  if (pieces.length !== 5) return undefined;
  const [version, keyId, iv, ciphertext, tag] = pieces as [string, string, string, string, string];
  if (version !== ENVELOPE_VERSION || !KEY_ID_PATTERN.test(keyId)) return undefined;
  const ivBytes = decodeCanonical(iv);
  const ciphertextBytes = decodeCanonical(ciphertext);
  const tagBytes = decodeCanonical(tag);
  if (ivBytes?.length !== IV_BYTES || tagBytes?.length !== TAG_BYTES || ciphertextBytes === undefined) return undefined;
  return { keyId, iv: ivBytes, ciphertext: ciphertextBytes, tag: tagBytes };
}

/**
 * Node's base64url decoder skips characters it does not know and ignores leftover bits, so several
 * strings decode to the same bytes. Accept only the one canonical spelling of each byte string.
 */
function decodeCanonical(text: string): Buffer | undefined {
  if (!BASE64URL_PATTERN.test(text)) return undefined;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : undefined;
}

function additionalData(keyId: string, context: SecretContext): Buffer {
  // A `|` inside record or field would make two different contexts share one AAD string.
  if (context.record.includes("|") || context.field.includes("|")) {
    throw new RangeError("Secret context record and field must not contain '|'.");
  }
  return Buffer.from(`${ENVELOPE_VERSION}|${keyId}|${context.record}|${context.field}`, "utf8");
}

function checkKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== ENCRYPTION_KEY_BYTES) {
    throw new RangeError(`Encryption key must be ${ENCRYPTION_KEY_BYTES} bytes.`);
  }
}

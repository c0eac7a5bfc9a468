/**
 * @module credentials/credential-secrets
 * Encrypting and decrypting a credential's three secret fields, each bound to the record id and
 * the field name, so an envelope cannot be moved to another credential or field.
 */
import type { SecretBox } from "../secrets/secret-box.js";
import type { Service } from "../providers/types.js";
import type { CredentialRecord } from "../store/store-types.js";

/** Field names used as encryption context (and by key rotation). */
export const SECRET_FIELDS = { apiKey: "api_key", serviceKeys: "service_keys", headers: "headers" } as const;

/** A credential's secrets in plaintext. Never logged, never returned by the API. */
export interface CredentialSecrets {
  readonly apiKey?: string;
  readonly serviceKeys: Readonly<Partial<Record<Service, string>>>;
  readonly headers: Readonly<Record<string, string>>;
}

/** Envelopes for the three secret columns (null when empty). */
export interface SealedSecrets {
  readonly apiKeyEnvelope: string | null;
  readonly serviceKeysEnvelope: string | null;
  readonly headersEnvelope: string | null;
}

/** Encrypts a credential's secrets for the record with id `id`. */
export function sealCredentialSecrets(box: SecretBox, id: string, secrets: CredentialSecrets): SealedSecrets {
  const seal = (field: string, plaintext: string): string => box.encrypt(plaintext, { record: id, field });
  return {
    apiKeyEnvelope: secrets.apiKey === undefined ? null : seal(SECRET_FIELDS.apiKey, secrets.apiKey),
    serviceKeysEnvelope: Object.keys(secrets.serviceKeys).length === 0 ? null : seal(SECRET_FIELDS.serviceKeys, JSON.stringify(secrets.serviceKeys)),
    headersEnvelope: Object.keys(secrets.headers).length === 0 ? null : seal(SECRET_FIELDS.headers, JSON.stringify(secrets.headers)),
  };
}

/** Decrypts a stored credential's secrets; throws the SecretBox's GatewayError when it cannot. */
export function openCredentialSecrets(box: SecretBox, record: CredentialRecord): CredentialSecrets {
  const open = (field: string, envelope: string): string => box.decrypt(envelope, { record: record.id, field });
  return {
    ...(record.apiKeyEnvelope === null ? {} : { apiKey: open(SECRET_FIELDS.apiKey, record.apiKeyEnvelope) }),
    serviceKeys: record.serviceKeysEnvelope === null ? {} : (JSON.parse(open(SECRET_FIELDS.serviceKeys, record.serviceKeysEnvelope)) as Record<Service, string>),
    headers: record.headersEnvelope === null ? {} : (JSON.parse(open(SECRET_FIELDS.headers, record.headersEnvelope)) as Record<string, string>),
  };
}

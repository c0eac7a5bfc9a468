/**
 * @module credentials/credential-views
 * The JSON shapes the admin API returns. Secrets are write-only: a view carries a mask and
 * `has_api_key`, never a key, and header values are not returned at all (they may hold keys).
 */
import type { CredentialRecord, LastTestResult, ModelRecord } from "../store/store-types.js";

/** A credential as the API shows it. */
export interface CredentialView {
  id: string;
  name: string;
  kind: string;
  base_url: string | null;
  /** The URL requests actually go to (stored, config, env or default). */
  effective_base_url: string | null;
  has_api_key: boolean;
  /** `sk-…abcd`; null when no key is stored or it cannot be decrypted. */
  api_key_mask: string | null;
  service_urls: Record<string, string>;
  service_keys: string[];
  header_names: string[];
  provider_fields: Record<string, unknown>;
  enabled: boolean;
  priority: number;
  last_test: LastTestResult | null;
  /** Set when the stored secrets cannot be read (wrong or missing encryption key). */
  secrets_error: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** A registered model as the API shows it. */
export interface ModelView {
  id: string;
  credential_id: string;
  credential: string;
  name: string;
  upstream_model: string;
  display_name: string | null;
  type: string;
  context_window: number | null;
  capabilities: readonly string[];
  input_price_per_million: number | null;
  output_price_per_million: number | null;
  created_at: string;
  updated_at: string;
}

/** What decrypting a credential's secrets told the view. */
export interface SecretSummary {
  readonly apiKeyMask: string | null;
  readonly serviceKeys: readonly string[];
  readonly headerNames: readonly string[];
  readonly error: string | null;
}

/** Builds the API view of a credential. */
export function credentialView(record: CredentialRecord, secrets: SecretSummary, effectiveBaseUrl: string | null): CredentialView {
  return {
    id: record.id,
    name: record.name,
    kind: record.kind,
    base_url: record.baseUrl,
    effective_base_url: effectiveBaseUrl,
    has_api_key: record.apiKeyEnvelope !== null,
    api_key_mask: secrets.apiKeyMask,
    service_urls: { ...record.serviceUrls },
    service_keys: [...secrets.serviceKeys],
    header_names: [...secrets.headerNames],
    provider_fields: { ...record.providerFields },
    enabled: record.enabled,
    priority: record.priority,
    last_test: record.lastTest,
    secrets_error: secrets.error,
    version: record.version,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

/** Builds the API view of a model. */
export function modelView(record: ModelRecord, credentialName: string): ModelView {
  return {
    id: record.id,
    credential_id: record.credentialId,
    credential: credentialName,
    name: record.name,
    upstream_model: record.upstreamModel,
    display_name: record.displayName,
    type: record.type,
    context_window: record.contextWindow,
    capabilities: record.capabilities,
    input_price_per_million: record.inputPricePerMillion,
    output_price_per_million: record.outputPricePerMillion,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

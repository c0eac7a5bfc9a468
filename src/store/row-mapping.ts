/**
 * @module store/row-mapping
 * Rows (snake_case, JSON in text, dialect-specific booleans) ⇄ records (camelCase, parsed). Reads
 * are lenient: a hand-edited or truncated JSON column yields an empty value, never a crash that
 * would take every other credential down with it.
 */
import type { Selectable } from "kysely";
import type { Service } from "../providers/types.js";
import type { CredentialsTable, ModelsTable, StoredBoolean } from "./database-schema.js";
import type { CredentialRecord, LastTestResult, ModelRecord, ModelType } from "./store-types.js";

const SERVICES: ReadonlySet<string> = new Set<Service>(["chat", "embedding", "tts", "stt"]);
const MODEL_TYPES: ReadonlySet<string> = new Set<ModelType>(["chat", "embedding", "tts", "stt"]);

function parseJson(text: string | null): unknown {
  if (text === null || text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads a stored boolean whichever dialect wrote it. */
export function fromStoredBoolean(value: StoredBoolean): boolean {
  return value === true || value === 1;
}

/** better-sqlite3 cannot bind `true`/`false`; PostgreSQL's boolean column wants them. */
export function toStoredBoolean(value: boolean, dialect: "sqlite" | "postgres"): StoredBoolean {
  if (dialect === "postgres") return value;
  return value ? 1 : 0;
}

/** Parses a JSON object column; anything else becomes `{}`. */
export function parseObject(text: string | null): Record<string, unknown> {
  const value = parseJson(text);
  return isPlainObject(value) ? value : {};
}

/** Keeps only known services with string URLs. */
export function parseServiceUrls(text: string | null): Partial<Record<Service, string>> {
  const result: Partial<Record<Service, string>> = {};
  for (const [service, url] of Object.entries(parseObject(text))) {
    if (SERVICES.has(service) && typeof url === "string") result[service as Service] = url;
  }
  return result;
}

/** A last-test result, or null when absent or not shaped like one. */
export function parseLastTest(text: string | null): LastTestResult | null {
  const value = parseJson(text);
  if (!isPlainObject(value) || typeof value.ok !== "boolean" || typeof value.at !== "string") return null;
  return {
    ok: value.ok,
    at: value.at,
    latencyMs: typeof value.latencyMs === "number" ? value.latencyMs : null,
    message: typeof value.message === "string" ? value.message : "",
  };
}

/** Capability names; non-strings are dropped. */
export function parseCapabilities(text: string | null): string[] {
  const value = parseJson(text);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** Serialises a last-test result, keeping only its known fields. */
export function serializeLastTest(value: LastTestResult | null): string | null {
  if (value === null) return null;
  return JSON.stringify({ ok: value.ok, at: value.at, latencyMs: value.latencyMs, message: value.message });
}

/** A credentials row as a record. */
export function toCredentialRecord(row: Selectable<CredentialsTable>): CredentialRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    baseUrl: row.base_url,
    apiKeyEnvelope: row.api_key_envelope,
    serviceUrls: parseServiceUrls(row.service_urls),
    serviceKeysEnvelope: row.service_keys_envelope,
    headersEnvelope: row.headers_envelope,
    providerFields: parseObject(row.provider_fields),
    enabled: fromStoredBoolean(row.enabled),
    priority: Number(row.priority),
    lastTest: parseLastTest(row.last_test),
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function nullableNumber(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

/** A models row as a record; an unknown stored type reads as "chat" rather than failing. */
export function toModelRecord(row: Selectable<ModelsTable>): ModelRecord {
  return {
    id: row.id,
    credentialId: row.credential_id,
    name: row.name,
    upstreamModel: row.upstream_model,
    displayName: row.display_name,
    type: MODEL_TYPES.has(row.type) ? (row.type as ModelType) : "chat",
    contextWindow: nullableNumber(row.context_window),
    capabilities: parseCapabilities(row.capabilities),
    inputPricePerMillion: nullableNumber(row.input_price_per_million),
    outputPricePerMillion: nullableNumber(row.output_price_per_million),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** True for a model type the store accepts. */
export function isModelType(value: string): value is ModelType {
  return MODEL_TYPES.has(value);
}

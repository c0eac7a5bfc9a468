/**
 * @module console/api/types
 * The admin API's JSON shapes as the console reads them (docs/admin-api.md). Written out here
 * rather than imported from src/: the console is a browser bundle and must not pull in server code.
 */

/** The four services a model (and a credential's per-service URL) can be for. */
export type ModelType = "chat" | "embedding" | "tts" | "stt";

/** Every model type, in the order pages show them. */
export const MODEL_TYPES: readonly ModelType[] = ["chat", "embedding", "tts", "stt"];

/** Outcome of the last connection test, saved on the credential. */
export interface LastTest {
  ok: boolean;
  at: string;
  latency_ms: number | null;
  message: string;
}

/** A stored credential; secrets appear only as masks and names. */
export interface Credential {
  id: string;
  name: string;
  kind: string;
  base_url: string | null;
  effective_base_url: string | null;
  has_api_key: boolean;
  api_key_mask: string | null;
  service_urls: Partial<Record<ModelType, string>>;
  service_keys: ModelType[];
  header_names: string[];
  provider_fields: Record<string, unknown>;
  enabled: boolean;
  priority: number;
  last_test: LastTest | null;
  secrets_error: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** `POST /api/credentials/{id}/test`. */
export interface ConnectionTest {
  ok: boolean;
  code: string;
  latency_ms: number | null;
  status?: number;
  model_count?: number;
  diagnosis: string;
}

/** One entry of `POST /api/credentials/{id}/discover`. */
export interface DiscoveredModel {
  id: string;
  type: ModelType;
  display_name?: string;
  context_window?: number;
  owned_by?: string;
  registered: boolean;
}

/** A registered model. */
export interface Model {
  id: string;
  credential_id: string;
  credential: string;
  name: string;
  upstream_model: string;
  display_name: string | null;
  type: ModelType;
  context_window: number | null;
  capabilities: string[];
  input_price_per_million: number | null;
  output_price_per_million: number | null;
}

/** `POST /api/credentials/{id}/register`. */
export interface RegisterResult {
  registered: Model[];
  skipped: { name: string; reason: string }[];
}

/** `POST /api/models/{id}/test`. */
export interface ModelTest {
  ok: boolean;
  latency_ms: number | null;
  status?: number;
  message: string;
}

/** `GET /api/defaults`: types without a default are absent. */
export type Defaults = Partial<Record<ModelType, string>>;

/** `GET /api/status` (the parts the console shows). */
export interface Status {
  encryption:
    | { status: "ok"; key_id: string; source: string; key_file?: string }
    | { status: "missing"; message: string }
    | { status: "wrong-key"; key_id: string; expected_key_id: string; message: string };
  store: { dialect: string; location?: string } | null;
}

/** One provider of `GET /api/credentials/env-status`. */
export interface EnvProvider {
  kind: string;
  name: string;
  variables: string[];
  has_api_key: boolean;
  api_key_mask: string | null;
  base_url: string | null;
  already_stored: boolean;
}

/** One line of the `POST /api/credentials/migrate-from-env` report. */
export interface MigrationResult {
  kind: string;
  name: string;
  status: "imported" | "already_present" | "failed";
  reason?: string;
  credential_id?: string;
}

/** A route target: a model id, or a model id with its weight and rank. */
export type RouteTarget = string | { model: string; weight?: number; priority?: number };

/**
 * An alias (tier) from `GET /api/routes`: its deployments in order. Fields the console does not
 * show (fallbacks, timeouts, limits, …) are kept so that saving sends the route back whole.
 */
export interface RouteAlias {
  name: string;
  /** Absent means the default, priority with failover. */
  strategy?: string;
  targets: RouteTarget[];
  /** `config` (the config file) or `store` (saved from the console or API). */
  source?: string;
  [field: string]: unknown;
}

/** A deployment's health from `GET /api/health/deployments`. */
export interface DeploymentHealth {
  id: string;
  model?: string;
  provider?: string;
  upstream_model?: string;
  breaker: { state: "closed" | "open" | "half_open" };
  latency_ms: number | null;
  in_flight: number;
  last_error: string | { message: string; status?: number; at?: string } | null;
}

/** `GET /api/session`. */
export interface Session {
  auth_required: boolean;
  authenticated: boolean;
}

/** A gateway key as listed by `GET /api/keys` (never the key itself, only its first characters). */
export interface GatewayKey {
  id: string;
  name: string;
  /** `sk-sy-abcd…`: enough to recognise a key, far too little to use it. */
  key_prefix?: string;
  status?: "active" | "expired" | "revoked";
  revoked_at?: string | null;
  created_at?: string;
}

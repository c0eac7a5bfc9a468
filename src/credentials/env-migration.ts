/**
 * @module credentials/env-migration
 * Provider settings found in environment variables, and importing them into the encrypted store in
 * one action. Idempotent: a provider whose name is already stored is reported, not duplicated.
 */
import type { Environment } from "../config/resolve-providers.js";
import { PROVIDER_KINDS } from "../providers/registry.js";
import type { ProviderKind, Service } from "../providers/types.js";
import { maskSecret } from "../secrets/mask.js";
import type { CredentialService } from "./credential-service.js";
import { createCredentialSchema } from "./credential-schemas.js";

/** One provider kind with settings in the environment. */
export interface EnvProviderStatus {
  kind: string;
  /** The credential name an import would use (the kind id, i.e. the built-in prefix). */
  name: string;
  /** Names of the variables found (never their values). */
  variables: string[];
  has_api_key: boolean;
  api_key_mask: string | null;
  base_url: string | null;
  already_stored: boolean;
}

/** Outcome of importing one provider. */
export interface MigrationResult {
  kind: string;
  name: string;
  status: "imported" | "already_present" | "failed";
  reason?: string;
  credential_id?: string;
}

interface Found {
  readonly kind: ProviderKind;
  readonly variables: string[];
  readonly apiKey?: string;
  readonly baseUrl?: string;
  readonly serviceUrls: Partial<Record<Service, string>>;
  readonly serviceKeys: Partial<Record<Service, string>>;
}

function first(env: Environment, names: readonly string[] | undefined): [string, string] | undefined {
  for (const name of names ?? []) {
    const value = env[name]?.trim();
    if (value) return [name, value];
  }
  return undefined;
}

/** Kinds with at least one variable set. */
export function findEnvProviders(env: Environment): Found[] {
  const found: Found[] = [];
  for (const kind of PROVIDER_KINDS) {
    const variables: string[] = [];
    const key = first(env, kind.env.apiKey);
    const endpoint = kind.env.endpoint === undefined ? undefined : first(env, kind.env.endpoint.variables);
    // Azure: a variable holding only the resource endpoint becomes `<endpoint>/openai/v1`.
    const url =
      first(env, kind.env.baseUrl) ??
      (endpoint === undefined || kind.env.endpoint === undefined ? undefined : ([endpoint[0], `${endpoint[1].replace(/\/+$/, "")}${kind.env.endpoint.path}`] as [string, string]));
    const serviceUrls: Partial<Record<Service, string>> = {};
    const serviceKeys: Partial<Record<Service, string>> = {};
    for (const service of ["chat", "embedding", "tts", "stt"] as const) {
      const serviceUrl = first(env, kind.env.serviceBaseUrl?.[service]);
      const serviceKey = first(env, kind.env.serviceApiKey?.[service]);
      if (serviceUrl !== undefined) {
        serviceUrls[service] = serviceUrl[1];
        variables.push(serviceUrl[0]);
      }
      if (serviceKey !== undefined) {
        serviceKeys[service] = serviceKey[1];
        variables.push(serviceKey[0]);
      }
    }
    if (key !== undefined) variables.unshift(key[0]);
    if (url !== undefined) variables.unshift(url[0]);
    if (variables.length === 0) continue;
    found.push({ kind, variables, ...(key === undefined ? {} : { apiKey: key[1] }), ...(url === undefined ? {} : { baseUrl: url[1] }), serviceUrls, serviceKeys });
  }
  return found;
}

/** `GET /api/credentials/env-status`. */
export async function envStatus(service: CredentialService, env: Environment): Promise<EnvProviderStatus[]> {
  const stored = new Set((await service.list()).map((credential) => credential.name));
  return findEnvProviders(env).map((entry) => ({
    kind: entry.kind.id,
    name: entry.kind.id,
    variables: entry.variables,
    has_api_key: entry.apiKey !== undefined,
    api_key_mask: entry.apiKey === undefined ? null : maskSecret(entry.apiKey),
    base_url: entry.baseUrl ?? null,
    already_stored: stored.has(entry.kind.id),
  }));
}

/** `POST /api/credentials/migrate-from-env`: imports every provider found, one report line each. */
export async function migrateFromEnv(service: CredentialService, env: Environment): Promise<MigrationResult[]> {
  const stored = new Set((await service.list()).map((credential) => credential.name));
  const results: MigrationResult[] = [];
  for (const entry of findEnvProviders(env)) {
    const name = entry.kind.id;
    if (stored.has(name)) {
      results.push({ kind: name, name, status: "already_present", reason: `a credential named '${name}' is already stored; it was left unchanged` });
      continue;
    }
    const input = createCredentialSchema.safeParse({
      name,
      kind: name,
      ...(entry.baseUrl === undefined ? {} : { base_url: entry.baseUrl }),
      ...(entry.apiKey === undefined ? {} : { api_key: entry.apiKey }),
      service_urls: entry.serviceUrls,
      service_keys: entry.serviceKeys,
    });
    if (!input.success) {
      // Name the variable at fault, never its value (it may be a key).
      const problems = input.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
      results.push({ kind: name, name, status: "failed", reason: `invalid value in ${entry.variables.join(", ")}: ${problems}` });
      continue;
    }
    try {
      const created = await service.create(input.data);
      results.push({ kind: name, name, status: "imported", credential_id: created.id });
    } catch (error) {
      results.push({ kind: name, name, status: "failed", reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}

/**
 * @module config/resolve-providers
 * Works out each provider's effective settings from the config file, the environment and the
 * kind's built-in defaults — in that order of precedence — and remembers where each value came
 * from, so `switchyard serve` and `status` can say so.
 */
import { getProviderKind, PROVIDER_KINDS } from "../providers/registry.js";
import type { ProviderKind, Service } from "../providers/types.js";
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_FIRST_BYTE_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_TOTAL_TIMEOUT_MS,
} from "../defaults.js";
import type { ProviderConfig, SwitchyardConfig, TimeoutsConfig } from "./config-schema.js";
import type { GatewayError } from "../errors/gateway-error.js";
import { ConfigError } from "./load-config-file.js";
import { safeUrl } from "../secrets/safe-url.js";
import type { PolicySetting } from "../compat/parameter-policy.js";
import type { Wire } from "../providers/types.js";
import { resolveWire, type AzureRouting } from "./resolve-wire.js";

/** Where an effective value came from. */
export type ValueSource = "store" | "config" | "env" | "default";

/**
 * A credential from the store, secrets already decrypted. Absent fields fall through to the config
 * file, the environment and the kind's defaults, in that order.
 */
export interface StoredProvider {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly enabled: boolean;
  readonly baseUrl?: string;
  readonly apiKey?: string;
  readonly serviceUrls: Readonly<Partial<Record<Service, string>>>;
  readonly serviceKeys: Readonly<Partial<Record<Service, string>>>;
  readonly headers: Readonly<Record<string, string>>;
  /** The credential's kind-specific fields (Azure: `api_version`, `deployments`; Anthropic: `api`). */
  readonly providerFields?: Readonly<Record<string, unknown>>;
  /** Set when the stored secrets cannot be read (wrong encryption key): the provider must not be used. */
  readonly unavailable?: GatewayError;
}

/** A value and its origin (`origin` names the variable or the config path). */
export interface Sourced<T> {
  readonly value: T;
  readonly source: ValueSource;
  readonly origin: string;
}

/** Effective upstream timeouts in milliseconds. */
export interface Timeouts {
  readonly connectMs: number;
  readonly firstByteMs: number;
  readonly idleMs: number;
  readonly totalMs: number;
}

/** The base URL and key one service is reached with. */
export interface ServiceSettings {
  readonly baseUrl: Sourced<string>;
  readonly apiKey: Sourced<string | undefined>;
}

/** A provider's effective settings: everything needed to call it, nothing yet connected. */
export interface ProviderSettings {
  /** Model-id prefix. */
  readonly name: string;
  readonly kind: ProviderKind;
  readonly enabled: boolean;
  /** Settings per service; services without their own server share the chat one. */
  readonly services: Readonly<Record<Service, ServiceSettings>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeouts: Timeouts;
  /** The stored credential's id when the store defines this provider. */
  readonly credentialId?: string;
  /** Why the provider cannot be used right now (e.g. its stored key cannot be decrypted). */
  readonly unavailable?: GatewayError;
  /** `parameterPolicy` from the config file (compat/parameter-policy.ts). */
  readonly parameterPolicy?: PolicySetting;
  /** The wire the chat endpoint speaks (config/resolve-wire.ts): the kind's, unless `api: openai-compatible`. */
  readonly wire: Wire;
  /** Azure deployment routing, when an api-version or a deployment map was configured. */
  readonly azure?: AzureRouting;
}

/** Environment variables, as `process.env`. */
export type Environment = Readonly<Record<string, string | undefined>>;

const SERVICES: readonly Service[] = ["chat", "embedding", "tts", "stt"];

/** These kinds always serve their OpenAI API under `/v1`, so a bare `http://host:port` means that. */
const KINDS_WITH_FIXED_V1 = new Set(["ollama", "lm_studio", "vllm", "llamacpp", "localai", "tgi", "textgen-webui"]);

/** Trims trailing slashes; for kinds that always use `/v1`, supplies it when the URL has no path. */
export function normalizeBaseUrl(raw: string, kind: ProviderKind): string {
  const url = new URL(raw);
  let path = url.pathname.replace(/\/+$/, "");
  if (path === "" && KINDS_WITH_FIXED_V1.has(kind.id)) path = "/v1";
  url.pathname = path;
  url.hash = "";
  return url.toString().replace(/\/+$/, "");
}

function fromEnv(env: Environment, names: readonly string[] | undefined): Sourced<string> | undefined {
  for (const name of names ?? []) {
    const value = env[name]?.trim();
    if (value) return { value, source: "env", origin: name };
  }
  return undefined;
}

/** A base URL built from a variable that holds only the resource endpoint (Azure). */
function fromEnvEndpoint(env: Environment, kind: ProviderKind): Sourced<string> | undefined {
  const endpoint = kind.env.endpoint;
  if (endpoint === undefined) return undefined;
  const found = fromEnv(env, endpoint.variables);
  return found === undefined ? undefined : { ...found, value: `${found.value.replace(/\/+$/, "")}${endpoint.path}` };
}

function resolveSecret(value: string, env: Environment, path: string, file: string): Sourced<string> {
  if (!value.startsWith("env:")) return { value, source: "config", origin: path };
  const variable = value.slice("env:".length);
  const resolved = env[variable];
  if (resolved === undefined || resolved === "") {
    throw new ConfigError(file, [`${path}: environment variable ${variable} is not set`]);
  }
  return { value: resolved, source: "config", origin: `${path} (env:${variable})` };
}

function validUrl(candidate: Sourced<string>, kind: ProviderKind, file: string): Sourced<string> {
  if (!/^https?:\/\//i.test(candidate.value)) {
    throw new ConfigError(candidate.source === "env" ? "environment" : file, [`${candidate.origin}: '${safeUrl(candidate.value)}' must be an http:// or https:// URL`]);
  }
  try {
    return { ...candidate, value: normalizeBaseUrl(candidate.value, kind) };
  } catch {
    throw new ConfigError(candidate.source === "env" ? "environment" : file, [`${candidate.origin}: '${safeUrl(candidate.value)}' is not a valid URL`]);
  }
}

function mergeTimeouts(...layers: (TimeoutsConfig | undefined)[]): Timeouts {
  const merged = {
    connectMs: DEFAULT_CONNECT_TIMEOUT_MS,
    firstByteMs: DEFAULT_FIRST_BYTE_TIMEOUT_MS,
    idleMs: DEFAULT_IDLE_TIMEOUT_MS,
    totalMs: DEFAULT_TOTAL_TIMEOUT_MS,
  };
  for (const layer of layers) Object.assign(merged, Object.fromEntries(Object.entries(layer ?? {}).filter(([, value]) => value !== undefined)));
  return merged;
}

function resolveOne(
  name: string,
  kind: ProviderKind,
  entry: ProviderConfig | undefined,
  config: SwitchyardConfig,
  env: Environment,
  file: string,
  stored?: StoredProvider,
): ProviderSettings {
  const path = `providers.${name}`;
  const storedOrigin = `stored credential '${name}'`;
  const inheritedUrl = validUrl(
    (entry?.baseUrl ? { value: entry.baseUrl, source: "config", origin: `${path}.baseUrl` } : undefined) ??
      fromEnv(env, kind.env.baseUrl) ??
      fromEnvEndpoint(env, kind) ?? { value: kind.defaults.baseUrl, source: "default", origin: `${kind.id} default` },
    kind,
    file,
  );
  const baseUrl = stored?.baseUrl ? validUrl({ value: stored.baseUrl, source: "store", origin: storedOrigin }, kind, file) : inheritedUrl;
  // A stored credential that points somewhere else must not carry keys or headers from the config
  // file or the environment there: those were given for the other address.
  const detached = baseUrl.value !== inheritedUrl.value;
  const noKey: Sourced<undefined> = { value: undefined, source: "default", origin: "none" };
  const apiKey: Sourced<string | undefined> =
    (stored?.apiKey ? { value: stored.apiKey, source: "store", origin: storedOrigin } : undefined) ??
    (!detached && entry?.apiKey ? resolveSecret(entry.apiKey, env, `${path}.apiKey`, file) : undefined) ??
    (detached ? undefined : fromEnv(env, kind.env.apiKey)) ??
    (kind.defaults.apiKey === undefined ? noKey : { value: kind.defaults.apiKey, source: "default", origin: `${kind.id} default` });

  const services = {} as Record<Service, ServiceSettings>;
  for (const service of SERVICES) {
    const own = entry?.services?.[service];
    // Per-service variables refine what the environment provides; they never beat a value the
    // config file sets for the provider as a whole (precedence: config > env > defaults).
    const storedUrl = stored?.serviceUrls[service];
    const storedKey = stored?.serviceKeys[service];
    const inheritedServiceUrl =
      (own?.baseUrl ? { value: own.baseUrl, source: "config" as const, origin: `${path}.services.${service}.baseUrl` } : undefined) ??
      (entry?.baseUrl || stored?.baseUrl ? undefined : fromEnv(env, kind.env.serviceBaseUrl?.[service]));
    const serviceUrl = (storedUrl ? { value: storedUrl, source: "store" as const, origin: `${storedOrigin} (${service})` } : undefined) ?? inheritedServiceUrl;
    const resolvedUrl = serviceUrl ? validUrl(serviceUrl, kind, file) : baseUrl;
    // The same rule per service: a stored service URL that points elsewhere gets only stored keys.
    const serviceDetached = detached || (storedUrl !== undefined && resolvedUrl.value !== (inheritedServiceUrl ? validUrl(inheritedServiceUrl, kind, file) : inheritedUrl).value);
    const serviceKey =
      (storedKey ? { value: storedKey, source: "store" as const, origin: `${storedOrigin} (${service})` } : undefined) ??
      (!serviceDetached && own?.apiKey ? resolveSecret(own.apiKey, env, `${path}.services.${service}.apiKey`, file) : undefined) ??
      (serviceDetached || entry?.apiKey || stored?.apiKey ? undefined : fromEnv(env, kind.env.serviceApiKey?.[service]));
    const fallbackKey = serviceDetached && apiKey.source !== "store" && apiKey.source !== "default" ? noKey : apiKey;
    services[service] = { baseUrl: resolvedUrl, apiKey: serviceKey ?? fallbackKey };
  }
  const wire = resolveWire(name, kind, baseUrl.value, entry, stored?.providerFields, file);
  const unavailable = stored?.unavailable ?? wire.unavailable;
  return {
    name,
    kind,
    wire: wire.wire,
    ...(wire.azure === undefined ? {} : { azure: wire.azure }),
    enabled: stored?.enabled ?? entry?.enabled ?? true,
    services,
    headers: { ...kind.headers, ...(detached ? {} : entry?.headers), ...stored?.headers },
    timeouts: mergeTimeouts(config.timeouts, entry?.timeouts),
    ...(stored === undefined ? {} : { credentialId: stored.id }),
    ...(unavailable === undefined ? {} : { unavailable }),
    ...(entry?.parameterPolicy === undefined ? {} : { parameterPolicy: entry.parameterPolicy }),
  };
}

/**
 * Resolves every provider: built-in local kinds always, cloud kinds when their key variable is set,
 * every provider the config file declares (which overrides a built-in of the same name), and every
 * stored credential (which overrides, field by field, a provider of the same name).
 */
export function resolveProviders(config: SwitchyardConfig, env: Environment, file = "config", stored: readonly StoredProvider[] = []): ProviderSettings[] {
  const declared = config.providers ?? {};
  const storedByName = new Map(stored.map((provider) => [provider.name, provider]));
  const result: ProviderSettings[] = [];
  for (const kind of PROVIDER_KINDS) {
    if (declared[kind.id] !== undefined || storedByName.has(kind.id)) continue;
    if (!kind.local && fromEnv(env, kind.env.apiKey) === undefined) continue;
    if (kind.optIn === true && fromEnv(env, kind.env.baseUrl) === undefined) continue;
    result.push(resolveOne(kind.id, kind, undefined, config, env, file));
  }
  for (const [name, entry] of Object.entries(declared)) {
    if (storedByName.has(name)) continue;
    const kind = getProviderKind(entry.kind);
    if (kind === undefined) throw new ConfigError(file, [`providers.${name}.kind: unknown kind '${entry.kind}'`]);
    result.push(resolveOne(name, kind, entry, config, env, file));
  }
  for (const provider of stored) {
    const kind = getProviderKind(provider.kind);
    // A credential of a kind this build does not know (stored by a newer version) is left out.
    if (kind === undefined) continue;
    // The config entry of the same name only contributes when it is of the same kind.
    const entry = declared[provider.name];
    result.push(resolveOne(provider.name, kind, entry?.kind === provider.kind ? entry : undefined, config, env, file, provider));
  }
  return result;
}

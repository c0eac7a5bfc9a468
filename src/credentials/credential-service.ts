/**
 * @module credentials/credential-service
 * Credentials as users manage them: create, read (masked), update, delete, test the connection and
 * discover models. Secrets are encrypted before they reach the store and never leave as plaintext.
 * Every change calls `onChange` so the gateway rebuilds its routing from the new state.
 */
import { randomUUID } from "node:crypto";
import type { SwitchyardConfig } from "../config/config-schema.js";
import { resolveProviders, type Environment, type ProviderSettings, type StoredProvider } from "../config/resolve-providers.js";
import { GatewayError, isGatewayError } from "../errors/gateway-error.js";
import type { Service } from "../providers/types.js";
import { maskSecret } from "../secrets/mask.js";
import type { SecretBox } from "../secrets/secret-box.js";
import { StoreNotFoundError } from "../store/store-errors.js";
import { StoreConflictError, StoreDuplicateError, StoreUnavailableError, type CredentialPatch, type CredentialRecord, type Store } from "../store/store-types.js";
import { openCredentialSecrets, sealCredentialSecrets, type CredentialSecrets } from "./credential-secrets.js";
import type { CreateCredentialInput, UpdateCredentialInput } from "./credential-schemas.js";
import { credentialView, type CredentialView, type SecretSummary } from "./credential-views.js";
import type { ConnectionProbe, ProbedModel } from "./provider-probe.js";
import type * as ProviderProbe from "./provider-probe.js";
import type { Logger } from "../observability/logger.js";
import { checkOutboundUrl } from "../security/check-outbound-url.js";
import { describeRefusal, outboundPolicyFrom, type OutboundPolicy } from "../security/outbound-policy.js";

/** Probing code (discovery formats, diagnoses) is loaded on first use, not by every serving process. */
const loadProbe = (): Promise<typeof ProviderProbe> => import("./provider-probe.js");

/** What the service needs from the gateway around it. */
export interface CredentialServiceOptions {
  readonly store: Store;
  readonly box: SecretBox;
  readonly env: Environment;
  /** The config file's current content (it can be reloaded). */
  readonly config: () => SwitchyardConfig;
  /** Called after every change, to rebuild routing. */
  readonly onChange: () => Promise<void>;
  /** Where base URLs refused by the outbound policy are logged. */
  readonly logger?: Logger | undefined;
}

/** A discovered model, marked when it is already registered. */
export interface DiscoveredModelView extends ProbedModel {
  readonly registered: boolean;
}

function notFound(idOrName: string): GatewayError {
  return new GatewayError("not_found", `No credential is named or has the id '${idOrName}'.`);
}

/** Maps store errors to API errors; anything else passes through. */
export function storeError(error: unknown): unknown {
  if (error instanceof StoreConflictError) return new GatewayError("conflict", `${error.message} Reload and try again.`, { cause: error });
  if (error instanceof StoreDuplicateError) return new GatewayError("already_exists", error.message, { cause: error });
  if (error instanceof StoreUnavailableError) return new GatewayError("store_unavailable", error.message, { cause: error });
  if (error instanceof StoreNotFoundError) return new GatewayError("not_found", error.message, { cause: error });
  return error;
}

/** Manages stored credentials. */
export class CredentialService {
  readonly #options: CredentialServiceOptions;

  constructor(options: CredentialServiceOptions) {
    this.#options = options;
  }

  get store(): Store {
    return this.#options.store;
  }

  get box(): SecretBox {
    return this.#options.box;
  }

  /** Reads a credential by id or name, or throws 404. */
  async record(idOrName: string): Promise<CredentialRecord> {
    const record = await this.#options.store.getCredential(idOrName).catch((error: unknown) => {
      throw storeError(error);
    });
    if (record === undefined) throw notFound(idOrName);
    return record;
  }

  async list(): Promise<CredentialView[]> {
    const records = await this.#options.store.listCredentials().catch((error: unknown) => {
      throw storeError(error);
    });
    return records.map((record) => this.#view(record));
  }

  async get(idOrName: string): Promise<CredentialView> {
    return this.#view(await this.record(idOrName));
  }

  async create(input: CreateCredentialInput): Promise<CredentialView> {
    this.#assertAllowedUrls("create", input.base_url, input.service_urls);
    // Another process may have rotated the key since this one opened it: never seal with a stale key.
    await this.#options.box.verify(this.#options.store);
    const id = randomUUID();
    const secrets: CredentialSecrets = {
      ...(input.api_key ? { apiKey: input.api_key } : {}),
      serviceKeys: { ...input.service_keys },
      headers: { ...input.headers },
    };
    const sealed = sealCredentialSecrets(this.#options.box, id, secrets);
    const record = await this.#options.store
      .createCredential({
        id,
        name: input.name,
        kind: input.kind,
        baseUrl: input.base_url ?? null,
        serviceUrls: { ...input.service_urls },
        providerFields: { ...input.provider_fields },
        enabled: input.enabled ?? true,
        priority: input.priority ?? 0,
        ...sealed,
      })
      .catch((error: unknown) => {
        throw storeError(error);
      });
    await this.#options.onChange();
    return this.#view(record);
  }

  async update(idOrName: string, input: UpdateCredentialInput): Promise<CredentialView> {
    const record = await this.record(idOrName);
    if (input.version !== undefined && input.version !== record.version) {
      throw new GatewayError("conflict", `Credential '${record.name}' was changed by someone else (version ${record.version}, you sent ${input.version}). Reload and try again.`);
    }
    this.#requireKeyOnMove(record, input);
    this.#assertAllowedUrls("update", input.base_url, input.service_urls);
    await this.#options.box.verify(this.#options.store);
    // Decrypt only what the patch keeps: a secret that is replaced whole need not be readable,
    // which is how a user repairs a credential whose stored secret was damaged.
    const keep = {
      apiKey: input.api_key === undefined,
      headers: input.headers === undefined,
    };
    const current = openCredentialSecrets(this.#options.box, {
      ...record,
      apiKeyEnvelope: keep.apiKey ? record.apiKeyEnvelope : null,
      headersEnvelope: keep.headers ? record.headersEnvelope : null,
    });
    const serviceKeys: Partial<Record<Service, string>> = { ...current.serviceKeys };
    for (const [service, key] of Object.entries(input.service_keys ?? {}) as [Service, string | null][]) {
      if (key === null) delete serviceKeys[service];
      else serviceKeys[service] = key;
    }
    const apiKey = input.api_key === null ? undefined : input.api_key ?? current.apiKey;
    const headers = input.headers === null ? {} : input.headers ?? current.headers;
    const sealed = sealCredentialSecrets(this.#options.box, record.id, { ...(apiKey === undefined ? {} : { apiKey }), serviceKeys, headers });
    const serviceUrls: Partial<Record<Service, string>> = { ...record.serviceUrls };
    for (const [service, url] of Object.entries(input.service_urls ?? {}) as [Service, string | null][]) {
      if (url === null) delete serviceUrls[service];
      else serviceUrls[service] = url;
    }
    const patch: CredentialPatch = {
      ...sealed,
      serviceUrls,
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.base_url === undefined ? {} : { baseUrl: input.base_url }),
      ...(input.provider_fields === undefined ? {} : { providerFields: input.provider_fields }),
      ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
      ...(input.priority === undefined ? {} : { priority: input.priority }),
    };
    const updated = await this.#options.store
      .transaction(async (store) => {
        const saved = await store.updateCredential(record.id, patch, input.version ?? record.version);
        if (input.name !== undefined && input.name !== record.name) await renameModels(store, input.name, record.id);
        return saved;
      })
      .catch((error: unknown) => {
        throw storeError(error);
      });
    await this.#options.onChange();
    return this.#view(updated);
  }

  async remove(idOrName: string): Promise<void> {
    const record = await this.record(idOrName);
    await this.#options.store.deleteCredential(record.id).catch((error: unknown) => {
      throw storeError(error);
    });
    await this.#options.onChange();
  }

  /** Tests reachability and auth; remembers the result on the credential. */
  async test(idOrName: string): Promise<ConnectionProbe> {
    const record = await this.record(idOrName);
    const settings = this.settings(record);
    const policy = this.outboundPolicy();
    this.#assertAllowedUrls("test", settings.services.chat.baseUrl.value);
    const result = await (await loadProbe()).probeConnection(settings, policy);
    await this.#options.store
      .updateCredential(record.id, { lastTest: { ok: result.ok, at: new Date().toISOString(), latencyMs: result.latencyMs, message: result.diagnosis } })
      .catch(() => undefined);
    // Refused when the name resolved: as clear an admin error as a refused literal.
    if (result.code === "outbound_forbidden") throw new GatewayError("forbidden_base_url", result.diagnosis);
    return result;
  }

  /** Lists the models the provider itself offers, marking those already registered. */
  async discover(idOrName: string): Promise<DiscoveredModelView[]> {
    const record = await this.record(idOrName);
    const { probeModels } = await loadProbe();
    const settings = this.settings(record);
    this.#assertAllowedUrls("discover", settings.services.chat.baseUrl.value);
    const [discovered, models] = await Promise.all([
      probeModels(settings, this.outboundPolicy()).catch((error: unknown) => {
        // Discovery errors carry a plain-language diagnosis with secrets already removed.
        if (isGatewayError(error) || !(error instanceof Error)) throw error;
        const code = (error as { code?: unknown }).code;
        if (code === "outbound_forbidden") throw new GatewayError("forbidden_base_url", error.message, { cause: error });
        const unreachable = code === "refused" || code === "dns" || code === "tls" || code === "timeout" || code === "unreachable";
        throw new GatewayError(unreachable ? "upstream_unreachable" : "upstream_bad_response", error.message, { cause: error });
      }),
      this.#options.store.listModels(),
    ]);
    const registered = new Set(models.filter((model) => model.credentialId === record.id).map((model) => model.upstreamModel));
    return discovered.map((model) => ({ ...model, registered: registered.has(model.id) }));
  }

  /** The outbound policy of the current config and environment. */
  outboundPolicy(): OutboundPolicy {
    return outboundPolicyFrom(this.#options.config(), this.#options.env);
  }

  /**
   * Refuses base URLs the outbound policy would never connect to, before anything is stored or
   * sent. Names are not resolved here (DNS seen from here may not be DNS at call time); every
   * connection checks what its name resolves to.
   */
  #assertAllowedUrls(action: string, baseUrl: string | null | undefined, serviceUrls?: Partial<Record<Service, string | null>>): void {
    const policy = this.outboundPolicy();
    const urls: [string, string][] = [];
    if (typeof baseUrl === "string") urls.push(["base_url", baseUrl]);
    for (const [service, url] of Object.entries(serviceUrls ?? {})) if (typeof url === "string") urls.push([`service_urls.${service}`, url]);
    for (const [param, url] of urls) {
      const verdict = checkOutboundUrl(url, policy);
      if (verdict.ok) continue;
      const reason = describeRefusal(verdict.refusal);
      // The reason names the host only: never the URL's credentials, path or query.
      this.#options.logger?.warn({ event: "outbound-refused", action, param, reason: verdict.refusal.reason, mode: policy.mode, detail: reason }, "base URL refused by the outbound policy");
      throw new GatewayError("forbidden_base_url", `The ${param === "base_url" ? "base URL" : `URL in ${param}`} is not allowed by the outbound policy: ${reason}`, { param });
    }
  }

  /** The effective settings of a stored credential (stored > config > env > defaults). */
  settings(record: CredentialRecord): ProviderSettings {
    const stored = this.storedProvider(record);
    if (stored.unavailable !== undefined) throw stored.unavailable;
    const resolved = resolveProviders(this.#options.config(), this.#options.env, "config", [stored]).find((provider) => provider.name === record.name);
    if (resolved === undefined) throw new GatewayError("invalid_request", `Credential '${record.name}' has a kind this build does not know: '${record.kind}'.`);
    return resolved;
  }

  /** The routing view of one credential: decrypted, or marked unavailable. */
  storedProvider(record: CredentialRecord): StoredProvider {
    const base = { id: record.id, name: record.name, kind: record.kind, enabled: record.enabled, serviceUrls: record.serviceUrls, providerFields: record.providerFields };
    try {
      const secrets = openCredentialSecrets(this.#options.box, record);
      return {
        ...base,
        ...(record.baseUrl === null ? {} : { baseUrl: record.baseUrl }),
        ...(secrets.apiKey === undefined ? {} : { apiKey: secrets.apiKey }),
        serviceKeys: secrets.serviceKeys,
        headers: secrets.headers,
      };
    } catch (error) {
      const unavailable = isGatewayError(error) ? error : new GatewayError("secret_tampered", `The stored secrets of credential '${record.name}' cannot be read.`);
      return { ...base, ...(record.baseUrl === null ? {} : { baseUrl: record.baseUrl }), serviceKeys: {}, headers: {}, unavailable };
    }
  }

  #requireKeyOnMove(record: CredentialRecord, input: UpdateCredentialInput): void {
    // A stored key must never follow a changed URL to a new host unless its owner re-enters it.
    const movesMain = input.base_url !== undefined && (input.base_url ?? null) !== record.baseUrl;
    if (movesMain && record.apiKeyEnvelope !== null && input.api_key === undefined) {
      throw new GatewayError(
        "invalid_request",
        "Changing the base URL requires entering the API key again (send api_key, or api_key: null to remove it): a stored key is never sent to a new address without its owner re-entering it.",
        { param: "api_key" },
      );
    }
    if (movesMain && record.headersEnvelope !== null && input.headers === undefined) {
      throw new GatewayError(
        "invalid_request",
        "Changing the base URL requires sending the extra headers again (headers, or headers: null to remove them): they may hold keys.",
        { param: "headers" },
      );
    }
    const movedServices = Object.entries(input.service_urls ?? {}).filter(([service, url]) => (url ?? undefined) !== record.serviceUrls[service as Service]);
    const missing = movedServices.filter(([service]) => input.service_keys?.[service as Service] === undefined).map(([service]) => service);
    // Either a stored service key or the stored main key would follow the moved service URL.
    if (missing.length > 0 && (record.serviceKeysEnvelope !== null || record.apiKeyEnvelope !== null)) {
      throw new GatewayError("invalid_request", `Changing a service URL requires entering that service's key again (service_keys.${missing.join(", service_keys.")}), or null to remove it.`, {
        param: "service_keys",
      });
    }
  }

  #view(record: CredentialRecord): CredentialView {
    let summary: SecretSummary;
    let effective: string | null = null;
    try {
      const secrets = openCredentialSecrets(this.#options.box, record);
      summary = {
        apiKeyMask: secrets.apiKey === undefined ? null : maskSecret(secrets.apiKey),
        serviceKeys: Object.keys(secrets.serviceKeys),
        headerNames: Object.keys(secrets.headers),
        error: null,
      };
      effective = this.settings(record).services.chat.baseUrl.value;
    } catch (error) {
      summary = { apiKeyMask: null, serviceKeys: [], headerNames: [], error: error instanceof Error ? error.message : String(error) };
    }
    return credentialView(record, summary, effective);
  }
}

/** Moves a credential's models to the new prefix after a rename, keeping defaults pointed at them. */
async function renameModels(store: Store, to: string, credentialId: string): Promise<void> {
  const defaults = await store.getDefaults();
  for (const model of await store.listModels()) {
    if (model.credentialId !== credentialId) continue;
    const id = `${to}/${model.name}`;
    await store.deleteModel(model.id);
    const { createdAt: _created, updatedAt: _updated, ...rest } = model;
    await store.createModel({ ...rest, id });
    for (const [type, modelId] of Object.entries(defaults)) {
      if (modelId === model.id) await store.setDefault(type as keyof typeof defaults, id);
    }
  }
}

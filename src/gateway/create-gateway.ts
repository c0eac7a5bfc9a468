/**
 * @module gateway/create-gateway
 * `createGateway()`: the engine the `switchyard serve` server is built on, usable in-process.
 * It loads the config, resolves providers, owns the connection pools and exposes the HTTP request
 * listener, a `listen()` helper and typed in-process calls.
 */
import { watch, type FSWatcher } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import { basename, dirname } from "node:path";
import type { AddressInfo } from "node:net";
import type { SwitchyardConfig } from "../config/config-schema.js";
import { loadConfigFile, parseConfig } from "../config/load-config-file.js";
import type { Environment, ProviderSettings } from "../config/resolve-providers.js";
import {
  DEFAULT_HOST,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_UPLOAD_BYTES,
  DEFAULT_MAX_URL_BYTES,
  DEFAULT_PORT,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  SQLITE_FILE_NAME,
  STORE_POLL_INTERVAL_MS,
} from "../defaults.js";
import { silentLogger, type Logger } from "../observability/logger.js";
import { redactingLogger } from "../observability/redacting-logger.js";
import type { Endpoint } from "../providers/types.js";
import { handleClientError } from "../server/client-error.js";
import { createRequestHandler } from "../server/create-request-handler.js";
import { httpServerOptions } from "../server/server-options.js";
import { InFlightRequests } from "../server/in-flight.js";
import { requireModel } from "../server/openai/json-endpoint.js";
import type { ServerContext } from "../server/server-context.js";
import { buildGatewayState, type GatewayState, type RoutingRuntime } from "./gateway-state.js";
import { HealthRegistry } from "../router/deployment-health.js";
import { loadAnthropicTranslator } from "../compat/anthropic-translator.js";
import { RoutingAdmin, type DeploymentListing, type RouteExplanation } from "./routing-admin.js";
import { requestThroughGateway, type GatewayResponse } from "./library-exchange.js";

export type { GatewayResponse } from "./library-exchange.js";
import { InMemoryRateLimiter } from "../limits/in-memory-rate-limiter.js";
import { secretsOf } from "./state-secrets.js";
import { GatewayKeyService } from "../auth/gateway-key-service.js";
import { InboundAccess } from "../auth/inbound-access.js";
import { join } from "node:path";
import { CredentialService } from "../credentials/credential-service.js";
import { ModelService } from "../credentials/model-service.js";
import { loadStoredSnapshot } from "../credentials/stored-snapshot.js";
import { SecretBox } from "../secrets/secret-box.js";
import { safeUrl } from "../secrets/safe-url.js";
import type { AdminServices } from "../server/admin/admin-api.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store-types.js";
import { PoolRegistry } from "../upstream/pool-registry.js";
import { outboundPolicyFrom } from "../security/outbound-policy.js";
import type { ModelEntry, ModelListResult } from "./list-models.js";
import type { UsageListener } from "../compat/usage.js";

/** Options for {@link createGateway}. */
export interface GatewayOptions {
  /** A config object, or the path of a JSON/YAML config file. Default: no file (environment and defaults only). */
  readonly config?: SwitchyardConfig | string;
  /** Environment variables to resolve providers from. Default: `process.env`. */
  readonly env?: Environment;
  /** Reload the config file when it changes (only when `config` is a path). Default: false. */
  readonly watchConfig?: boolean;
  /** Logger; silent by default in library use. */
  readonly logger?: Logger;
  /** Largest JSON request body in bytes. */
  readonly maxBodyBytes?: number;
  /** Largest multipart upload in bytes. */
  readonly maxUploadBytes?: number;
  /** Per-provider deadline for `GET /v1/models`. */
  readonly modelListTimeoutMs?: number;
  /**
   * Data directory: holds the embedded SQLite store (`switchyard.db`) and, unless
   * SWITCHYARD_ENCRYPTION_KEY is set, the generated encryption key. Without it (and without
   * `store`) the gateway runs on config and environment only, with no admin credential API.
   */
  readonly dataDir?: string;
  /** An already-open store (e.g. PostgreSQL); the gateway does not close it. */
  readonly store?: Store;
  /**
   * Receives the token usage of every answer that reached a client (HTTP `/v1` calls). While set,
   * streamed usage is also asked for where the upstream supports it (and the extra chunk hidden
   * from clients that did not ask). `usage` is undefined when the upstream reported none.
   */
  readonly onUsage?: UsageListener;
}

/** A provider as the gateway resolved it (secrets masked). */
export interface ProviderSummary {
  readonly name: string;
  readonly kind: string;
  readonly displayName: string;
  readonly enabled: boolean;
  readonly baseUrl: string;
  /** Where the base URL came from: `store`, `config`, `env` or `default`, and which variable or path. */
  readonly baseUrlSource: string;
  readonly hasApiKey: boolean;
  readonly apiKeySource: string;
}

/** A running HTTP server. */
export interface ListeningServer {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  /** `http://host:port` — append `/v1` for OpenAI clients. */
  readonly url: string;
}

/** Endpoints callable in-process with a JSON body. */
export type JsonEndpoint = Extract<Endpoint, "chat" | "completions" | "embeddings" | "speech">;

/** An upstream answer to an in-process call. */

/** The gateway engine. */
export interface Gateway {
  /** Providers currently configured. */
  readonly providers: readonly ProviderSummary[];
  /** The HTTP request listener serving `/v1/…`. */
  readonly handler: RequestListener;
  /** Starts an HTTP server on host/port (defaults 127.0.0.1:4000; port 0 picks a free one). */
  listen(options?: { host?: string; port?: number }): Promise<ListeningServer>;
  /** The union model list, as `GET /v1/models` returns it. */
  listModels(): Promise<ModelListResult>;
  /** One model by its full id. */
  getModel(id: string): Promise<ModelEntry>;
  /**
   * Calls an endpoint in-process, with the HTTP path's parameter rules and wire translations;
   * `strict` is `x-switchyard-strict: true`. Rejects with a GatewayError when the upstream fails.
   */
  request(endpoint: JsonEndpoint, body: Record<string, unknown>, options?: { signal?: AbortSignal; strict?: boolean }): Promise<GatewayResponse>;
  /** The deployments a request for `model` would try, in order, and why; calls no upstream. */
  explainRoute(model: string, endpoint?: Endpoint): Promise<RouteExplanation>;
  /** Every known deployment with its breaker state, latency and last error. */
  deploymentHealth(): DeploymentListing[];
  /** Re-reads the config file (when created from a path) and swaps the new settings in. */
  reload(): Promise<void>;
  /**
   * Stops accepting connections, lets requests and streams under way finish for up to
   * `timeoutMs`, then aborts what is left and closes the upstream pools.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

function summarize(settings: ProviderSettings): ProviderSummary {
  const chat = settings.services.chat;
  return {
    name: settings.name,
    kind: settings.kind.id,
    displayName: settings.kind.displayName,
    enabled: settings.enabled,
    // Without user-info or query: either may hold a key (Gemini's `?key=`).
    baseUrl: safeUrl(chat.baseUrl.value),
    baseUrlSource: `${chat.baseUrl.source} (${chat.baseUrl.origin})`,
    hasApiKey: chat.apiKey.value !== undefined,
    apiKeySource: chat.apiKey.value === undefined ? "none" : `${chat.apiKey.source} (${chat.apiKey.origin})`,
  };
}


/** Creates a gateway from a config (object or file path) and the environment. */
export async function createGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const env = options.env ?? process.env;
  // Stored key and header values are scrubbed from every log line, whatever logger the caller gave.
  let secretValues: () => readonly string[] = () => [];
  const logger = options.logger === undefined ? silentLogger() : redactingLogger(options.logger, () => secretValues());
  const configFile = typeof options.config === "string" ? options.config : undefined;
  const stateOptions = {
    ...(options.modelListTimeoutMs === undefined ? {} : { modelListTimeoutMs: options.modelListTimeoutMs }),
    ...(options.onUsage === undefined ? {} : { onUsage: options.onUsage }),
  };
  const pools = new PoolRegistry({ logger });
  const inFlight = new InFlightRequests();
  // Breakers, latencies and rate-limit buckets outlive config reloads.
  const routing: RoutingRuntime = { health: new HealthRegistry(), limiter: new InMemoryRateLimiter(), gate: inFlight, random: Math.random };
  const loadConfig = async (): Promise<SwitchyardConfig> =>
    configFile !== undefined ? await loadConfigFile(configFile) : options.config === undefined ? {} : await parseConfig(options.config);

  // The store: the caller's, or SQLite in the data directory, or none (environment and config only).
  const store = options.store ?? (options.dataDir === undefined ? undefined : await openStore({ kind: "sqlite", file: join(options.dataDir, SQLITE_FILE_NAME) }));
  const ownsStore = options.store === undefined;
  let credentials: CredentialService | undefined;
  let config = await loadConfig();
  const loadState = async (): Promise<GatewayState> => {
    const snapshot = credentials === undefined ? undefined : await loadStoredSnapshot(credentials);
    // Pools handed out from here on connect under the policy of this config and environment.
    const previousPolicy = pools.policy;
    pools.setPolicy(outboundPolicyFrom(config, env));
    try {
      const state = buildGatewayState(config, env, configFile ?? "<inline config>", pools, routing, stateOptions, snapshot);
      // The Anthropic translator (and zod with it) loads only when a native Anthropic provider exists.
      if (state.providers.some((provider) => provider.wire === "anthropic-messages")) await loadAnthropicTranslator();
      return state;
    } catch (error) {
      pools.setPolicy(previousPolicy);
      throw error;
    }
  };
  let refreshing = Promise.resolve();
  /** Rebuilds routing from the current config and store; serialised so the newest state wins. */
  const refresh = (): Promise<void> => {
    // A failed refresh must not stop every later one: that would freeze routing and key revocations.
    refreshing = refreshing
      .catch(() => undefined)
      .then(async () => {
        // Gateway keys or the admin key may have changed in another process (the CLI).
        await access.reload().catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, "could not reload gateway keys"));
        context.state = await loadState();
      });
    return refreshing;
  };
  // The admin key, gateway keys, console sessions and Host checks (docs/security.md).
  const access = await InboundAccess.create({ env, store, allowedHosts: () => config.server?.allowedHosts ?? [], logger }).catch(async (error: unknown) => {
    if (ownsStore) await store?.close();
    throw error;
  });
  const routingAdmin = new RoutingAdmin({ state: () => context.state, health: routing.health, limiter: routing.limiter, store, onChange: () => refresh() });
  let box: SecretBox | undefined;
  let admin: AdminServices | undefined;
  if (store !== undefined) {
    box = await SecretBox.open({ env, ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }), meta: store, allowGenerate: options.dataDir !== undefined && store.dialect === "sqlite" });
    if (box.state.status !== "ok") logger.error({ encryption: box.describe() }, "stored credentials cannot be used until the encryption key is fixed");
    credentials = new CredentialService({ store, box, env, config: () => config, onChange: () => refresh(), logger });
    const models = new ModelService(credentials, () => refresh());
    const openedBox = box;
    admin = {
      credentials,
      models,
      keys: new GatewayKeyService({ store, onChange: () => access.reload() }),
      routing: routingAdmin,
      env,
      status: async () => ({
        encryption: openedBox.describe(),
        store: { dialect: store.dialect, location: store.location },
        config_file: configFile ?? null,
        access: { admin_key: access.adminKey?.source ?? null, gateway_keys_required: access.keysRequired },
        providers: context.state.providers.map(summarize),
      }),
    };
  }

  const initial = await loadState();
  const context: ServerContext = {
    state: initial,
    limits: {
      maxBodyBytes: options.maxBodyBytes ?? initial.config.server?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      maxUploadBytes: options.maxUploadBytes ?? initial.config.server?.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
      maxUrlBytes: initial.config.server?.maxUrlBytes ?? DEFAULT_MAX_URL_BYTES,
    },
    logger,
    inFlight,
    shuttingDown: false,
    admin,
    access,
  };
  secretValues = () => secretsOf(context.state);
  // Other processes (the CLI) write to the same store; notice their changes.
  let lastRevision = store === undefined ? 0 : await store.revision();
  const poller =
    store === undefined
      ? undefined
      : setInterval(() => {
          store.revision().then(
            (revision) => {
              if (revision === lastRevision) return;
              lastRevision = revision;
              // Unhandled, a failed refresh would be an unhandled rejection (fatal in Node 20).
              return refresh().catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, "could not apply store changes"));
            },
            (error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, "could not read the store revision"),
          );
        }, STORE_POLL_INTERVAL_MS);
  poller?.unref();
  const handler = createRequestHandler(context);
  const servers = new Set<Server>();
  let watcher: FSWatcher | undefined;

  const reload = async (): Promise<void> => {
    config = await loadConfig();
    await refresh();
    logger.info({ providers: context.state.providers.length }, "configuration reloaded");
  };

  if (configFile !== undefined && options.watchConfig === true) {
    let timer: NodeJS.Timeout | undefined;
    // Watch the directory, not the file: editors save by writing a temporary file and renaming it
    // over the original, which leaves a file watcher attached to the old, deleted inode.
    const name = basename(configFile);
    watcher = watch(dirname(configFile), (_event, changed) => {
      if (changed !== null && changed !== name) return;
      clearTimeout(timer);
      // Editors write a file in several steps; wait for the last.
      timer = setTimeout(() => {
        reload().catch((error: unknown) => logger.error({ err: error instanceof Error ? error.message : String(error) }, "config reload failed; keeping the previous configuration"));
      }, 150);
    });
    watcher.on("error", () => undefined);
  }

  const gateway: Gateway = {
    get providers() {
      return context.state.providers.map(summarize);
    },
    handler,

    async listen(listenOptions = {}) {
      const server = createServer(httpServerOptions(context.state.config.server), handler);
      server.on("clientError", handleClientError);
      const host = listenOptions.host ?? context.state.config.server?.host ?? DEFAULT_HOST;
      const port = listenOptions.port ?? context.state.config.server?.port ?? DEFAULT_PORT;
      // Before the socket opens: beyond loopback, no admin key means no server at all.
      access.assertCanListen(host);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve();
        });
      });
      servers.add(server);
      access.noteListening(host);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
      return { server, host: address.address, port: address.port, url: `http://${shownHost}:${address.port}` };
    },

    listModels: () => context.state.lister.list(),
    getModel: (id) => context.state.lister.get(id),

    request(endpoint, body, requestOptions = {}) {
      let model: string;
      try {
        model = requireModel(body);
      } catch (error) {
        return Promise.reject(error as Error);
      }
      return requestThroughGateway(context.state, context.inFlight, endpoint, model, body, requestOptions.signal, requestOptions.strict === true);
    },

    explainRoute: (model, endpoint) => routingAdmin.explain(model, endpoint),
    deploymentHealth: () => routingAdmin.deployments(),

    reload,

    async close(closeOptions = {}) {
      const timeoutMs = closeOptions.timeoutMs ?? context.state.config.server?.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
      context.shuttingDown = true;
      watcher?.close();
      const closed = [...servers].map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
      for (const server of servers) server.closeIdleConnections();
      const drained = await context.inFlight.drain(timeoutMs);
      if (!drained) {
        logger.warn({ inFlight: context.inFlight.size }, "shutdown deadline reached; aborting requests still under way");
        context.inFlight.abortAll();
        // Let aborted streams write their error event before the sockets go.
        await context.inFlight.drain(1_000);
      }
      for (const server of servers) server.closeAllConnections();
      await Promise.all(closed);
      servers.clear();
      if (poller !== undefined) clearInterval(poller);
      await pools.destroy();
      if (ownsStore) await store?.close();
    },
  };
  return gateway;
}

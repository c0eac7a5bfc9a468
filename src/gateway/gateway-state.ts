/**
 * @module gateway/gateway-state
 * Everything derived from one configuration: resolved providers, the model router and the model
 * lister. A config reload or a change in the store builds a new state and swaps it in whole; the
 * connection pools outlive states, so a rebuild never drops warm connections.
 */
import { CompatAdapters } from "../compat/compat-adapters.js";
import type { UsageListener } from "../compat/usage.js";
import type { RouteConfig, SwitchyardConfig } from "../config/config-schema.js";
import { resolveProviders, type Environment, type ProviderSettings } from "../config/resolve-providers.js";
import type { StoredSnapshot } from "../credentials/stored-snapshot.js";
import { RETRY_AFTER_CAP_MS, RETRY_BASE_DELAY_MS, RETRY_MAX_DELAY_MS, ROUTER_MAX_ATTEMPTS } from "../defaults.js";
import type { RateLimiter } from "../limits/rate-limiter.js";
import type { HealthRegistry } from "../router/deployment-health.js";
import type { AbortGate } from "../upstream/forward.js";
import type { PoolRegistry } from "../upstream/pool-registry.js";
import type { ExchangeRuntime } from "./exchange.js";
import { ModelLister } from "./list-models.js";
import { ModelRouter } from "./model-router.js";
import { RoutePlanner } from "./route-planner.js";

/** One configuration, ready to serve. */
export interface GatewayState {
  readonly config: SwitchyardConfig;
  readonly providers: readonly ProviderSettings[];
  readonly router: ModelRouter;
  readonly planner: RoutePlanner;
  readonly lister: ModelLister;
  /** What the attempt loop shares: health and limits outlive states, retry settings come from this config. */
  readonly exchange: ExchangeRuntime;
  /** Parameter rules and answer adaptations per route (compat/). */
  readonly compat: CompatAdapters;
}

/** Routing state that outlives config reloads. */
export interface RoutingRuntime {
  readonly health: HealthRegistry;
  readonly limiter: RateLimiter;
  readonly gate: AbortGate | undefined;
  readonly random: () => number;
}

/** Options that shape a state beyond the config file. */
export interface StateOptions {
  readonly modelListTimeoutMs?: number;
  /** Receives each answer's token usage; usage is requested and read only when set. */
  readonly onUsage?: UsageListener;
}

/** Builds the state for a config, environment and store snapshot. Throws ConfigError on bad settings. */
export function buildGatewayState(
  config: SwitchyardConfig,
  env: Environment,
  configFile: string,
  pools: PoolRegistry,
  routing: RoutingRuntime,
  options: StateOptions = {},
  stored?: StoredSnapshot,
): GatewayState {
  const providers = resolveProviders(config, env, configFile, stored?.providers ?? []);
  const router = new ModelRouter(providers, config, pools, stored?.registered);
  const settings = config.routing ?? {};
  routing.health.configure(settings.breaker ?? {});
  const planner = new RoutePlanner(router, config, pools, routing.health, stored?.routes ?? new Map<string, RouteConfig>());
  const exchange: ExchangeRuntime = {
    health: routing.health,
    limiter: routing.limiter,
    gate: routing.gate,
    random: routing.random,
    retry: {
      maxAttempts: settings.maxAttempts ?? ROUTER_MAX_ATTEMPTS,
      baseMs: settings.retryBaseDelayMs ?? RETRY_BASE_DELAY_MS,
      maxMs: settings.retryMaxDelayMs ?? RETRY_MAX_DELAY_MS,
      capMs: settings.retryAfterCapMs ?? RETRY_AFTER_CAP_MS,
    },
  };
  const compat = new CompatAdapters({ reasoningField: config.parameters?.reasoningField ?? "reasoning_content", policy: config.parameters?.policy, onUsage: options.onUsage }, providers);
  return { config, providers, router, planner, lister: new ModelLister(router, options.modelListTimeoutMs), exchange, compat };
}

/**
 * @module gateway/gateway-state
 * Everything derived from one configuration: resolved providers, the model router and the model
 * lister. A config reload or a change in the store builds a new state and swaps it in whole; the
 * connection pools outlive states, so a rebuild never drops warm connections.
 */
import type { SwitchyardConfig } from "../config/config-schema.js";
import { resolveProviders, type Environment, type ProviderSettings } from "../config/resolve-providers.js";
import type { StoredSnapshot } from "../credentials/stored-snapshot.js";
import type { PoolRegistry } from "../upstream/pool-registry.js";
import { ModelLister } from "./list-models.js";
import { ModelRouter } from "./model-router.js";

/** One configuration, ready to serve. */
export interface GatewayState {
  readonly config: SwitchyardConfig;
  readonly providers: readonly ProviderSettings[];
  readonly router: ModelRouter;
  readonly lister: ModelLister;
}

/** Options that shape a state beyond the config file. */
export interface StateOptions {
  readonly modelListTimeoutMs?: number;
}

/** Builds the state for a config, environment and store snapshot. Throws ConfigError on bad settings. */
export function buildGatewayState(
  config: SwitchyardConfig,
  env: Environment,
  configFile: string,
  pools: PoolRegistry,
  options: StateOptions = {},
  stored?: StoredSnapshot,
): GatewayState {
  const providers = resolveProviders(config, env, configFile, stored?.providers ?? []);
  const router = new ModelRouter(providers, config, pools, stored?.registered);
  return { config, providers, router, lister: new ModelLister(router, options.modelListTimeoutMs) };
}

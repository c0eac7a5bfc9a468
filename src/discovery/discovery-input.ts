/**
 * @module discovery/discovery-input
 * Accepts either a plain {@link DiscoveryInput} (a caller holding a decrypted credential) or a
 * resolved `ProviderSettings` (a configured provider) and reduces both to the plain form.
 */
import type { ProviderSettings } from "../config/resolve-providers.js";
import type { Service } from "../providers/types.js";
import type { PoolRegistry } from "../upstream/pool-registry.js";
import type { DiscoveryInput } from "./discovery-types.js";

/** What discovery and connection tests accept. */
export type DiscoveryTarget = DiscoveryInput | ProviderSettings;

/** Which server of a provider to ask, and which pools to use. */
export interface SettingsSelection {
  /** The service whose base URL and key are used; `chat` by default (the generic kind may put embeddings elsewhere). */
  readonly service?: Service;
  readonly pools?: PoolRegistry;
}

function isProviderSettings(target: DiscoveryTarget): target is ProviderSettings {
  return "services" in target;
}

/**
 * Builds a {@link DiscoveryInput} from resolved provider settings. A kind that sends no auth
 * (`auth: "none"`) gets no key, exactly as the gateway's own requests to it carry none.
 */
export function discoveryInputFromSettings(settings: ProviderSettings, selection: SettingsSelection = {}): DiscoveryInput {
  const service = settings.services[selection.service ?? "chat"];
  return {
    kind: settings.kind.id,
    baseUrl: service.baseUrl.value,
    apiKey: settings.kind.auth === "none" ? undefined : service.apiKey.value,
    headers: settings.headers,
    timeouts: settings.timeouts,
    pools: selection.pools,
  };
}

/** The plain input for either form. */
export function toDiscoveryInput(target: DiscoveryTarget): DiscoveryInput {
  return isProviderSettings(target) ? discoveryInputFromSettings(target) : target;
}

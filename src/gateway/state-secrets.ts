/**
 * @module gateway/state-secrets
 * Every secret value a gateway state holds — each provider's keys per service (config, environment
 * or store) and its extra header values — for the redaction of log lines.
 */
import type { GatewayState } from "./gateway-state.js";

/** Values shorter than this are not treated as secrets (they would mangle ordinary words). */
const MIN_SECRET_LENGTH = 4;

/** What the secrets are read from: a gateway state, or anything holding its providers. */
type HoldsProviders = Pick<GatewayState, "providers">;

const cache = new WeakMap<HoldsProviders, readonly string[]>();

/** The secret values of a state, worked out once per state (states are swapped whole on reload). */
export function secretsOf(state: HoldsProviders): readonly string[] {
  let secrets = cache.get(state);
  if (secrets === undefined) {
    const values = new Set<string>();
    for (const provider of state.providers) {
      for (const service of Object.values(provider.services)) {
        if (service.apiKey.value !== undefined) values.add(service.apiKey.value);
      }
      for (const value of Object.values(provider.headers)) values.add(value);
    }
    secrets = [...values].filter((value) => value.length >= MIN_SECRET_LENGTH);
    cache.set(state, secrets);
  }
  return secrets;
}

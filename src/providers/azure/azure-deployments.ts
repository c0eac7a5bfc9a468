/**
 * @module providers/azure/azure-deployments
 * Client model name → Azure deployment name. On Azure a model is called through a deployment whose
 * name the owner chose (`gpt-4o` may be deployed as `prod-4o-eu`); a mapping in the config names
 * it, and a model without an entry is taken to be deployed under its own name, which is the
 * Azure portal's default.
 */
import { isAzureDeploymentName } from "./azure-endpoint.js";

/** Looks up deployments for one Azure provider. */
export interface AzureDeploymentMap {
  /** The deployment to call for a model (the part after the provider prefix). */
  deploymentFor(model: string): string;
}

/**
 * Builds the lookup once, when the config loads. Throws a TypeError naming the entry when a
 * deployment name is one Azure would refuse, so a typo fails at startup rather than per request.
 */
export function createAzureDeploymentMap(deployments: Readonly<Record<string, string>> = {}): AzureDeploymentMap {
  const map = new Map<string, string>();
  for (const [model, deployment] of Object.entries(deployments)) {
    if (!isAzureDeploymentName(deployment)) throw new TypeError(`Azure deployment for '${model}' is '${deployment}', which cannot be a deployment name (it holds a space, '/', '?', '#' or '%').`);
    map.set(model, deployment);
  }
  return { deploymentFor: (model) => map.get(model) ?? model };
}

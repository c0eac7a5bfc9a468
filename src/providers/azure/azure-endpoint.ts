/**
 * @module providers/azure/azure-endpoint
 * URLs and headers for Azure OpenAI deployments, in both of Azure's data-plane forms:
 * - dated: `{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=2024-10-21`,
 *   where the deployment is in the path and the body's `model` is ignored;
 * - v1 (GA August 2025): `{endpoint}/openai/v1/chat/completions`, no monthly `api-version`, and
 *   the deployment name goes in the body's `model`.
 * The key goes in the `api-key` header. A builder is made once per provider when the config loads;
 * per request only the deployment name is encoded and joined (STYLE.md §9).
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/reference
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle
 */
import { rootBefore } from "../../discovery/base-url.js";
import { GatewayError } from "../../errors/gateway-error.js";
import { ENDPOINT_PATHS, type Endpoint } from "../types.js";

/** The latest GA data-plane inference version when this was written (REST reference, "Latest GA release"). */
export const AZURE_DEFAULT_API_VERSION = "2024-10-21";

/** Which data-plane form a resource is called through. */
export type AzureApiStyle =
  | { readonly kind: "deployments"; readonly apiVersion: string }
  /** `apiVersion` is optional on v1; `preview` opts into preview features. */
  | { readonly kind: "v1"; readonly apiVersion?: string };

/** Builds request URLs for one Azure resource. */
export interface AzureUrlBuilder {
  /** The URL of an endpoint for a deployment. With the v1 form the deployment is not in the URL. */
  url(endpoint: Endpoint, deployment: string): string;
  /** True for the v1 form: the caller must put the deployment name in the body's `model`. */
  readonly deploymentInBody: boolean;
}

/** Dated versions look like `2024-10-21` or `2025-04-01-preview`; v1 takes `preview` or `latest`. */
const DATED_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;
const V1_VERSION = /^(preview|latest)$/;

/**
 * Characters that would change the URL rather than name a deployment. Azure's own naming rules are
 * narrower (letters, digits, `-`, `_`, `.`), but Azure enforces those itself; the gateway only
 * refuses what could point the request at another path.
 */
const PATH_BREAKING = /[\s/\\?#%]/;

/** True for a name that can stand as one path segment. */
export function isAzureDeploymentName(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." && !PATH_BREAKING.test(name);
}

/**
 * The resource root: scheme, host and any proxy prefix, without the `/openai/…` path a pasted
 * chat URL carries (`https://r.openai.azure.com/openai/v1` → `https://r.openai.azure.com`).
 */
function resourceRoot(endpoint: string): string {
  return rootBefore(endpoint, /^openai$/).toString().replace(/\/+$/, "");
}

/** Makes the URL builder for a resource endpoint; throws a TypeError on an api-version Azure would refuse. */
export function createAzureUrlBuilder(endpoint: string, api: AzureApiStyle): AzureUrlBuilder {
  const root = resourceRoot(endpoint);
  if (api.kind === "v1") {
    if (api.apiVersion !== undefined && !V1_VERSION.test(api.apiVersion)) throw new TypeError(`Azure v1 api-version must be 'preview' or 'latest', not '${api.apiVersion}'.`);
    const query = api.apiVersion === undefined ? "" : `?api-version=${api.apiVersion}`;
    const base = `${root}/openai/v1`;
    return { url: (kind) => `${base}${ENDPOINT_PATHS[kind]}${query}`, deploymentInBody: true };
  }
  if (!DATED_VERSION.test(api.apiVersion)) throw new TypeError(`Azure api-version must look like 2024-10-21 or 2025-04-01-preview, not '${api.apiVersion}'.`);
  const query = `?api-version=${api.apiVersion}`;
  return {
    url(kind, deployment) {
      // The model list belongs to the resource, not to a deployment.
      if (kind === "models") return `${root}/openai/models${query}`;
      if (!isAzureDeploymentName(deployment)) {
        throw new GatewayError("invalid_request", `'${deployment}' cannot be an Azure deployment name.`, { param: "model" });
      }
      return `${root}/openai/deployments/${encodeURIComponent(deployment)}${ENDPOINT_PATHS[kind]}${query}`;
    },
    deploymentInBody: false,
  };
}

/** Request headers for Azure OpenAI: the key in `api-key`, never `Authorization`. */
export function azureHeaders(apiKey: string | undefined): Record<string, string> {
  return apiKey === undefined || apiKey === "" ? {} : { "api-key": apiKey };
}

/**
 * @module config/resolve-wire
 * Works out, once per provider when the config loads, which wire its chat endpoint speaks and, for
 * Azure, how deployments are called. Inputs are the config entry (`api`, `azure`) and a stored
 * credential's `provider_fields` (`api`, `api_version`, `deployments`), the stored ones first.
 */
import { GatewayError } from "../errors/gateway-error.js";
import { createAzureDeploymentMap, createAzureUrlBuilder, type AzureDeploymentMap, type AzureUrlBuilder } from "../providers/azure/native-translation.js";
import type { ProviderKind, Wire } from "../providers/types.js";
import type { ProviderConfig } from "./config-schema.js";
import { ConfigError } from "./load-config-file.js";

/** How an Azure provider's deployments are called; absent when nothing was configured (plain v1, model as sent). */
export interface AzureRouting {
  /** Set when an api-version was given: builds the deployment path (or the v1 path with its query). */
  readonly urls: AzureUrlBuilder | undefined;
  readonly deployments: AzureDeploymentMap;
}

/** The wire settings of one provider. */
export interface WireSettings {
  readonly wire: Wire;
  readonly azure?: AzureRouting;
}

const V1_VERSIONS = new Set(["preview", "latest"]);

function stringField(fields: Readonly<Record<string, unknown>> | undefined, name: string): string | undefined {
  const value = fields?.[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * The stored `deployments` field: an object maps client names to deployments; the console's list of
 * deployment names maps nothing (each is called under its own name).
 */
function storedDeployments(fields: Readonly<Record<string, unknown>> | undefined): Record<string, string> | undefined {
  const value = fields?.["deployments"];
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/**
 * Resolves the wire. Throws ConfigError for a bad config entry; for a bad stored credential it
 * returns `unavailable` instead, so one credential cannot stop the gateway from loading.
 */
export function resolveWire(
  name: string,
  kind: ProviderKind,
  baseUrl: string,
  entry: ProviderConfig | undefined,
  fields: Readonly<Record<string, unknown>> | undefined,
  file: string,
): WireSettings & { readonly unavailable?: GatewayError } {
  const fail = (fromStore: boolean, message: string): WireSettings & { unavailable?: GatewayError } => {
    if (!fromStore) throw new ConfigError(file, [message]);
    return { wire: "openai", unavailable: new GatewayError("invalid_request", `Stored credential '${name}' cannot be used: ${message}`) };
  };
  const storedApi = stringField(fields, "api");
  const api = storedApi ?? entry?.api;
  if (api !== undefined && api !== "native" && api !== "openai-compatible") return fail(true, `provider_fields.api must be 'native' or 'openai-compatible', not '${api}'`);
  if (entry?.api !== undefined && kind.wire !== "anthropic-messages") return fail(false, `providers.${name}.api: only kind anthropic has a native API to choose`);
  if (entry?.azure !== undefined && kind.wire !== "azure-openai") return fail(false, `providers.${name}.azure: only for kind azure`);
  const wire: Wire = kind.wire === "anthropic-messages" && api === "openai-compatible" ? "openai" : (kind.wire ?? "openai");
  if (wire !== "azure-openai") return { wire };
  const storedVersion = stringField(fields, "api_version");
  const apiVersion = storedVersion ?? entry?.azure?.apiVersion;
  const deploymentsSource = storedDeployments(fields) ?? entry?.azure?.deployments;
  const fromStore = storedVersion !== undefined || fields?.["deployments"] !== undefined;
  if (apiVersion === undefined && deploymentsSource === undefined) return { wire };
  try {
    const urls = apiVersion === undefined ? undefined : createAzureUrlBuilder(baseUrl, V1_VERSIONS.has(apiVersion) ? { kind: "v1", apiVersion } : { kind: "deployments", apiVersion });
    return { wire, azure: { urls, deployments: createAzureDeploymentMap(deploymentsSource) } };
  } catch (error) {
    return fail(fromStore, `${fromStore ? "provider_fields" : `providers.${name}.azure`}: ${(error as Error).message}`);
  }
}

/**
 * @module console/pages/credential-form
 * The Add / Edit credential form as data: its initial state, and the request body it turns into.
 * Edits send only what changed, and refuse (as the admin API would) an address change that does not
 * come with the secrets again: a stored key is never sent to a new address unless re-entered.
 */
import { MODEL_TYPES, type Credential, type ModelType } from "../api/types.js";
import { AZURE_API_PATH, providerKind } from "../provider-kinds.js";

/** One extra-header row. */
export interface HeaderRow {
  name: string;
  value: string;
}

/** Everything the form holds. */
export interface CredentialFormState {
  kind: string;
  name: string;
  baseUrl: string;
  apiKey: string;
  /** Edit only: drop the stored key. */
  removeKey: boolean;
  serviceUrls: Record<ModelType, string>;
  serviceKeys: Record<ModelType, string>;
  removeServiceKeys: Record<ModelType, boolean>;
  headers: HeaderRow[];
  /** Edit only: the stored headers are replaced by {@link headers}. */
  replaceHeaders: boolean;
  azureEndpoint: string;
  azureApiVersion: string;
  azureDeployments: string;
  enabled: boolean;
  priority: string;
}

/** A field the user must fix, named so the form can point at it. */
export class FormProblem extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = "FormProblem";
    this.field = field;
  }
}

/** Service names as the form shows them. */
export const SERVICE_LABELS: Readonly<Record<ModelType, string>> = { chat: "chat", embedding: "embedding", tts: "text-to-speech", stt: "speech-to-text" };

const perService = <T>(value: T): Record<ModelType, T> => ({ chat: value, embedding: value, tts: value, stt: value });

/** Splits `https://x.openai.azure.com/openai/v1` into its resource endpoint. */
export function azureEndpointOf(baseUrl: string): string {
  return baseUrl.endsWith(AZURE_API_PATH) ? baseUrl.slice(0, -AZURE_API_PATH.length) : baseUrl;
}

function stringField(fields: Record<string, unknown>, name: string): string {
  const value = fields[name];
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.filter((item) => typeof item === "string").join(", ");
  return "";
}

/** A fresh form for `kind`, or the form for editing `credential`. */
export function initialFormState(kind: string, credential?: Credential, suggestedName = kind): CredentialFormState {
  if (credential === undefined) {
    const info = providerKind(kind);
    return {
      kind,
      name: suggestedName,
      baseUrl: info.form === "azure" ? "" : info.defaultBaseUrl,
      apiKey: "",
      removeKey: false,
      serviceUrls: perService(""),
      serviceKeys: perService(""),
      removeServiceKeys: perService(false),
      headers: (info.suggestedHeaders ?? []).map((name) => ({ name, value: "" })),
      replaceHeaders: true,
      azureEndpoint: "",
      azureApiVersion: "",
      azureDeployments: "",
      enabled: true,
      priority: "0",
    };
  }
  const baseUrl = credential.base_url ?? "";
  return {
    kind: credential.kind,
    name: credential.name,
    baseUrl,
    apiKey: "",
    removeKey: false,
    serviceUrls: { chat: credential.service_urls.chat ?? "", embedding: credential.service_urls.embedding ?? "", tts: credential.service_urls.tts ?? "", stt: credential.service_urls.stt ?? "" },
    serviceKeys: perService(""),
    removeServiceKeys: perService(false),
    headers: credential.header_names.map((name) => ({ name, value: "" })),
    // With nothing stored there is nothing to keep: show the editor straight away.
    replaceHeaders: credential.header_names.length === 0,
    azureEndpoint: stringField(credential.provider_fields, "endpoint") || azureEndpointOf(baseUrl),
    azureApiVersion: stringField(credential.provider_fields, "api_version"),
    azureDeployments: stringField(credential.provider_fields, "deployments"),
    enabled: credential.enabled,
    priority: String(credential.priority),
  };
}

/** The base URL the form stands for ('' = let config, environment or default decide). */
export function effectiveFormBaseUrl(state: CredentialFormState): string {
  if (providerKind(state.kind).form === "azure") {
    const endpoint = state.azureEndpoint.trim().replace(/\/+$/, "");
    return endpoint === "" ? "" : `${endpoint}${AZURE_API_PATH}`;
  }
  return state.baseUrl.trim();
}

function parsePriority(text: string): number {
  const value = Number(text.trim() === "" ? "0" : text);
  if (!Number.isInteger(value) || value < 0 || value > 1_000_000) throw new FormProblem("priority", "Priority is a whole number from 0 to 1,000,000.");
  return value;
}

function headerObject(rows: readonly HeaderRow[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const row of rows) {
    const name = row.name.trim();
    if (name !== "") headers[name] = row.value;
  }
  return headers;
}

/** Deployment names typed as a comma or newline separated list. */
export function deploymentList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((name) => name !== ""))];
}

function azureFields(state: CredentialFormState): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (state.azureEndpoint.trim() !== "") fields["endpoint"] = state.azureEndpoint.trim().replace(/\/+$/, "");
  if (state.azureApiVersion.trim() !== "") fields["api_version"] = state.azureApiVersion.trim();
  const deployments = deploymentList(state.azureDeployments);
  if (deployments.length > 0) fields["deployments"] = deployments;
  return fields;
}

/** Body of `POST /api/credentials`. */
export function createBody(state: CredentialFormState): Record<string, unknown> {
  const info = providerKind(state.kind);
  if (state.name.trim() === "") throw new FormProblem("name", "Give the credential a name; it becomes the model prefix (name/model).");
  const baseUrl = effectiveFormBaseUrl(state);
  if (info.form === "azure" && baseUrl === "") throw new FormProblem("azureEndpoint", "Enter your Azure OpenAI resource endpoint, e.g. https://my-resource.openai.azure.com.");
  if (!info.local && state.apiKey.trim() === "") throw new FormProblem("apiKey", `${info.name} needs an API key.`);
  const body: Record<string, unknown> = { name: state.name.trim(), kind: state.kind, enabled: state.enabled, priority: parsePriority(state.priority) };
  if (baseUrl !== "") body["base_url"] = baseUrl;
  if (state.apiKey.trim() !== "") body["api_key"] = state.apiKey.trim();
  if (info.form === "services") {
    const urls = Object.fromEntries(MODEL_TYPES.filter((type) => state.serviceUrls[type].trim() !== "").map((type) => [type, state.serviceUrls[type].trim()]));
    const keys = Object.fromEntries(MODEL_TYPES.filter((type) => state.serviceKeys[type].trim() !== "").map((type) => [type, state.serviceKeys[type].trim()]));
    if (Object.keys(urls).length > 0) body["service_urls"] = urls;
    if (Object.keys(keys).length > 0) body["service_keys"] = keys;
  }
  const headers = headerObject(state.headers);
  if (Object.keys(headers).length > 0) body["headers"] = headers;
  if (info.form === "azure") body["provider_fields"] = azureFields(state);
  return body;
}

/** Whether an edit moves the credential's main address (and so needs its secrets again). */
export function baseUrlChanged(state: CredentialFormState, credential: Credential): boolean {
  return effectiveFormBaseUrl(state) !== (credential.base_url ?? "");
}

/** Body of `PATCH /api/credentials/{id}`: only what changed, plus `version` to catch concurrent edits. */
export function updateBody(state: CredentialFormState, credential: Credential): Record<string, unknown> {
  const info = providerKind(credential.kind);
  const body: Record<string, unknown> = { version: credential.version };
  if (state.name.trim() === "") throw new FormProblem("name", "The name cannot be empty.");
  if (state.name.trim() !== credential.name) body["name"] = state.name.trim();
  const moved = baseUrlChanged(state, credential);
  if (moved) body["base_url"] = effectiveFormBaseUrl(state) === "" ? null : effectiveFormBaseUrl(state);

  if (state.apiKey.trim() !== "") body["api_key"] = state.apiKey.trim();
  else if (state.removeKey) body["api_key"] = null;
  else if (moved && credential.has_api_key) {
    throw new FormProblem("apiKey", "You changed the address: enter the API key again, or tick “Remove the stored key”. A stored key is never sent to a new address.");
  }

  if (state.replaceHeaders) {
    const headers = headerObject(state.headers);
    if (Object.keys(headers).length > 0) body["headers"] = headers;
    else if (credential.header_names.length > 0) body["headers"] = null;
  } else if (moved && credential.header_names.length > 0) {
    throw new FormProblem("headers", "You changed the address: enter the extra headers again (or remove them). Stored header values are never sent to a new address.");
  }

  if (info.form === "services") {
    const urls: Record<string, string | null> = {};
    const keys: Record<string, string | null> = {};
    for (const type of MODEL_TYPES) {
      const url = state.serviceUrls[type].trim();
      const urlMoved = url !== (credential.service_urls[type] ?? "");
      if (urlMoved) urls[type] = url === "" ? null : url;
      if (state.serviceKeys[type].trim() !== "") keys[type] = state.serviceKeys[type].trim();
      else if (state.removeServiceKeys[type]) keys[type] = null;
      else if (urlMoved && (credential.service_keys.length > 0 || credential.has_api_key)) {
        // The admin API refuses this too: a stored key (the service's or the main one) would follow the new URL.
        throw new FormProblem(`serviceKey-${type}`, `You changed the ${SERVICE_LABELS[type]} URL: enter its key again, or tick “No key for this service”.`);
      }
    }
    if (Object.keys(urls).length > 0) body["service_urls"] = urls;
    if (Object.keys(keys).length > 0) body["service_keys"] = keys;
  }
  if (info.form === "azure") {
    const fields = azureFields(state);
    if (JSON.stringify(fields) !== JSON.stringify(credential.provider_fields)) body["provider_fields"] = fields;
  }
  if (state.enabled !== credential.enabled) body["enabled"] = state.enabled;
  const priority = parsePriority(state.priority);
  if (priority !== credential.priority) body["priority"] = priority;
  return body;
}

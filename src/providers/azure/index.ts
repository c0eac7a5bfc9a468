/** @module providers/azure — Azure OpenAI through its v1 API. */
import { defineOpenAICompatibleKind, TEXT_ENDPOINTS } from "../define-openai-compatible-kind.js";

/**
 * Azure OpenAI. The v1 API (`https://<resource>.openai.azure.com/openai/v1`) takes the deployment
 * name as `model` and needs no `api-version`; the key goes in the `api-key` header. The resource
 * endpoint alone (`AZURE_OPENAI_ENDPOINT`) is enough: `/openai/v1` is appended. Discovery lists
 * deployments (src/discovery/list-azure-deployments.ts). There is no usable default host. With an
 * `apiVersion` (config `azure.apiVersion`, stored `api_version`), deployments go in the path.
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle
 */
export const azureKind = defineOpenAICompatibleKind({
  id: "azure",
  displayName: "Azure OpenAI",
  local: false,
  defaults: { baseUrl: "https://your-resource.openai.azure.com/openai/v1" },
  env: {
    baseUrl: ["AZURE_OPENAI_BASE_URL"],
    apiKey: ["AZURE_OPENAI_API_KEY"],
    endpoint: { variables: ["AZURE_OPENAI_ENDPOINT"], path: "/openai/v1" },
  },
  auth: "api-key",
  // Deployment URLs with api-version when configured, the stream filter and content-filter errors.
  wire: "azure-openai",
  endpoints: [...TEXT_ENDPOINTS, "speech", "transcriptions"],
  docs: "docs/providers/azure.md",
});

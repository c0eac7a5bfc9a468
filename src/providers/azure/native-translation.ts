/**
 * @module providers/azure/native-translation
 * The functions the request path calls for Azure OpenAI's deployment URLs (config/resolve-wire.ts,
 * gateway/model-router.ts), its stream quirks (compat/native-answer.ts) and its content-filter
 * errors (upstream/wire-errors.ts), for providers whose wire is `azure-openai`. See
 * docs/providers/azure.md.
 */
export { AZURE_DEFAULT_API_VERSION, azureHeaders, createAzureUrlBuilder, type AzureApiStyle, type AzureUrlBuilder } from "./azure-endpoint.js";
export { createAzureDeploymentMap, type AzureDeploymentMap } from "./azure-deployments.js";
export { AzureStreamFilter, classifyAzureChunk } from "./azure-stream-filter.js";
export { convertAzureError, describeFilteredCompletion, type AzureErrorInput, type AzureUpstreamError } from "./azure-content-filter.js";

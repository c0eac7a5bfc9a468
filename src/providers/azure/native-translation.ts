/**
 * @module providers/azure/native-translation
 * The functions the request path calls for Azure OpenAI's deployment URLs, its stream quirks and
 * its content-filter errors. Not wired yet: the `azure` kind still calls the v1 API as a plain
 * OpenAI-compatible upstream (see docs/providers/azure.md, "Native API translation (not yet wired)").
 */
export { AZURE_DEFAULT_API_VERSION, azureHeaders, createAzureUrlBuilder, type AzureApiStyle, type AzureUrlBuilder } from "./azure-endpoint.js";
export { createAzureDeploymentMap, type AzureDeploymentMap } from "./azure-deployments.js";
export { AzureStreamFilter, classifyAzureChunk } from "./azure-stream-filter.js";
export { convertAzureError, describeFilteredCompletion, type AzureErrorInput, type AzureUpstreamError } from "./azure-content-filter.js";

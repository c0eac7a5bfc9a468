/**
 * @module console/provider-kinds
 * The provider kinds the Add credential dialog offers, with what each form needs. Ids and default
 * base URLs mirror src/providers/registry.ts (the admin API has no route listing kinds);
 * test/console/provider-kinds.test.ts fails when the two drift apart.
 */

/** What the credential form shows for one kind. */
export interface ProviderKindInfo {
  readonly id: string;
  readonly name: string;
  /** A server on your own machine or network (key usually optional). */
  readonly local: boolean;
  readonly defaultBaseUrl: string;
  /** What a key looks like, as the key field's placeholder. */
  readonly keyPlaceholder?: string;
  /** Where to get a key, shown under the key field. */
  readonly keyHelp?: string;
  /** `services`: per-service URLs and keys; `azure`: resource endpoint, API version, deployments. */
  readonly form?: "services" | "azure";
  /** Extra headers the provider documents (OpenRouter's attribution headers). */
  readonly suggestedHeaders?: readonly string[];
}

/** Every kind, local servers first (the registry's order). */
export const PROVIDER_KINDS: readonly ProviderKindInfo[] = [
  { id: "ollama", name: "Ollama", local: true, defaultBaseUrl: "http://localhost:11434/v1", keyHelp: "Ollama needs no key." },
  { id: "lm_studio", name: "LM Studio", local: true, defaultBaseUrl: "http://127.0.0.1:1234/v1", keyHelp: "LM Studio needs no key unless you turned authentication on." },
  { id: "vllm", name: "vLLM", local: true, defaultBaseUrl: "http://127.0.0.1:8000/v1", keyHelp: "Only if the server was started with --api-key." },
  { id: "llamacpp", name: "llama.cpp server", local: true, defaultBaseUrl: "http://127.0.0.1:8080/v1", keyHelp: "Only if the server was started with --api-key." },
  { id: "localai", name: "LocalAI", local: true, defaultBaseUrl: "http://127.0.0.1:8080/v1", keyHelp: "Only if LocalAI was started with API keys." },
  { id: "tgi", name: "Text Generation Inference", local: true, defaultBaseUrl: "http://127.0.0.1:3000/v1", keyHelp: "Only if the server was started with --api-key." },
  { id: "textgen-webui", name: "Text Generation WebUI", local: true, defaultBaseUrl: "http://127.0.0.1:5000/v1", keyHelp: "Only if it was started with --api-key." },
  {
    id: "openai-compat",
    name: "OpenAI-compatible server",
    local: true,
    defaultBaseUrl: "http://127.0.0.1:8000/v1",
    keyHelp: "Only if the server asks for one.",
    form: "services",
  },
  { id: "openai", name: "OpenAI", local: false, defaultBaseUrl: "https://api.openai.com/v1", keyPlaceholder: "sk-proj-…", keyHelp: "Create one at platform.openai.com → API keys." },
  { id: "groq", name: "Groq", local: false, defaultBaseUrl: "https://api.groq.com/openai/v1", keyPlaceholder: "gsk_…", keyHelp: "Create one at console.groq.com → API Keys." },
  {
    id: "openrouter",
    name: "OpenRouter",
    local: false,
    defaultBaseUrl: "https://openrouter.ai/api/v1",
    keyPlaceholder: "sk-or-v1-…",
    keyHelp: "Create one at openrouter.ai → Keys.",
    suggestedHeaders: ["HTTP-Referer", "X-Title"],
  },
  { id: "mistral", name: "Mistral", local: false, defaultBaseUrl: "https://api.mistral.ai/v1", keyHelp: "Create one at console.mistral.ai → API keys." },
  { id: "deepseek", name: "DeepSeek", local: false, defaultBaseUrl: "https://api.deepseek.com/v1", keyPlaceholder: "sk-…", keyHelp: "Create one at platform.deepseek.com → API keys." },
  { id: "together", name: "Together AI", local: false, defaultBaseUrl: "https://api.together.xyz/v1", keyHelp: "Create one at api.together.ai → Settings → API keys." },
  { id: "xai", name: "xAI", local: false, defaultBaseUrl: "https://api.x.ai/v1", keyPlaceholder: "xai-…", keyHelp: "Create one at console.x.ai → API keys." },
  {
    id: "gemini",
    name: "Google Gemini",
    local: false,
    defaultBaseUrl: "https://generativelanguage.googleapis.com/v1beta/openai",
    keyPlaceholder: "AIza…",
    keyHelp: "Create one at aistudio.google.com → Get API key.",
  },
  { id: "anthropic", name: "Anthropic", local: false, defaultBaseUrl: "https://api.anthropic.com/v1", keyPlaceholder: "sk-ant-…", keyHelp: "Create one at console.anthropic.com → API keys." },
  {
    id: "azure",
    name: "Azure OpenAI",
    local: false,
    defaultBaseUrl: "https://your-resource.openai.azure.com/openai/v1",
    keyHelp: "Azure portal → your OpenAI resource → Keys and Endpoint.",
    form: "azure",
  },
];

/** The Azure v1 API lives under this path of the resource endpoint (src/providers/azure). */
export const AZURE_API_PATH = "/openai/v1";

/** Looks up a kind; unknown ids (a newer server) get a plain form. */
export function providerKind(id: string): ProviderKindInfo {
  return PROVIDER_KINDS.find((kind) => kind.id === id) ?? { id, name: id, local: false, defaultBaseUrl: "" };
}

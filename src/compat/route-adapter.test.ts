import { describe, expect, it } from "vitest";
import type { Route } from "../gateway/model-router.js";
import { getProviderKind } from "../providers/registry.js";
import type { Endpoint } from "../providers/types.js";
import type { CompatSettings } from "./adaptation.js";
import type { PolicySetting } from "./parameter-policy.js";
import { readRequestFacts } from "./request-facts.js";
import { RouteAdapter } from "./route-adapter.js";

const SETTINGS: CompatSettings = { reasoningField: "reasoning_content", policy: undefined, onUsage: undefined };
const RECORDING: CompatSettings = { ...SETTINGS, onUsage: () => undefined };

/** A route as the router builds it, reduced to what the adapter reads. */
function route(kindId: string, upstreamModel: string, endpoint: Endpoint = "chat", parameterPolicy?: PolicySetting): Route {
  const kind = getProviderKind(kindId);
  if (kind === undefined) throw new Error(`no kind ${kindId}`);
  const settings = { name: kindId, kind, ...(parameterPolicy === undefined ? {} : { parameterPolicy }) };
  return {
    modelId: `${kindId}/${upstreamModel}`,
    provider: { settings, targets: new Map() },
    target: { provider: kindId, endpoint },
    upstreamModel,
    deployment: `${kindId}/${upstreamModel}`,
  } as unknown as Route;
}

function adapt(kindId: string, body: Record<string, unknown>, options: { settings?: CompatSettings; model?: string; strict?: boolean; endpoint?: Endpoint; policy?: PolicySetting } = {}) {
  const model = options.model ?? "m";
  const text = JSON.stringify({ model: `${kindId}/${model}`, ...body });
  const adapter = new RouteAdapter(route(kindId, model, options.endpoint, options.policy), options.settings ?? SETTINGS);
  const facts = readRequestFacts(JSON.parse(text) as Record<string, unknown>, options.strict ?? false);
  const result = adapter.adapt(text, facts, `${kindId}/${model}`);
  return { adapter, facts, text, result, sent: result.text === undefined ? undefined : (JSON.parse(result.text) as Record<string, unknown>), headers: result.adaptation?.headers ?? {} };
}

const MESSAGES = [{ role: "user", content: "hi" }];

describe("RouteAdapter", () => {
  it("leaves a request no rule names on the pass-through path", () => {
    const { result } = adapt("ollama", { messages: MESSAGES, temperature: 0.2 });
    expect(result.text).toBeUndefined();
    expect(result.adaptation?.headers).toBeUndefined();
  });

  it("is inert for the generic kind without a usage listener, so nothing is even planned", () => {
    expect(new RouteAdapter(route("openai-compat", "m"), SETTINGS).inert).toBe(true);
    expect(new RouteAdapter(route("openai-compat", "m"), RECORDING).inert).toBe(false);
  });

  it("renames max_completion_tokens to max_tokens for Ollama and says so", () => {
    const { sent, headers } = adapt("ollama", { messages: MESSAGES, max_completion_tokens: 64 });
    expect(sent).toEqual({ model: "m", messages: MESSAGES, max_tokens: 64 });
    expect(headers).toEqual({ "x-switchyard-changed-params": "max_completion_tokens->max_tokens" });
  });

  it("keeps the client's own max_tokens when both names are sent, dropping the other", () => {
    const { sent, headers } = adapt("ollama", { messages: MESSAGES, max_tokens: 10, max_completion_tokens: 64 });
    expect(sent).toMatchObject({ max_tokens: 10 });
    expect(sent).not.toHaveProperty("max_completion_tokens");
    expect(headers["x-switchyard-dropped-params"]).toBe("max_completion_tokens");
  });

  it("keeps values that mean the upstream's default and drops the others with a note", () => {
    expect(adapt("ollama", { messages: MESSAGES, n: 1, tool_choice: "auto" }).result.text).toBeUndefined();
    const { sent, headers } = adapt("ollama", { messages: MESSAGES, n: 3, tool_choice: "none" });
    expect(sent).not.toHaveProperty("n");
    expect(sent).not.toHaveProperty("tool_choice");
    expect(headers["x-switchyard-dropped-params"]).toBe("tool_choice, n");
  });

  it("drops stream_options from a non-streaming vLLM request but not from a streaming one", () => {
    const plain = adapt("vllm", { messages: MESSAGES, stream_options: { include_usage: true } });
    expect(plain.sent).not.toHaveProperty("stream_options");
    expect(plain.headers["x-switchyard-dropped-params"]).toBe("stream_options");
    expect(adapt("vllm", { messages: MESSAGES, stream: true, stream_options: { include_usage: true } }).result.text).toBeUndefined();
  });

  it("drops empty tools, and the tool_choice that means nothing without them, for vLLM", () => {
    const { sent, headers } = adapt("vllm", { messages: MESSAGES, tools: [], tool_choice: "auto" });
    expect(sent).toEqual({ model: "m", messages: MESSAGES });
    expect(headers["x-switchyard-dropped-params"]).toBe("tools, tool_choice");
    expect(adapt("vllm", { messages: MESSAGES, tools: [{ type: "function", function: { name: "f" } }] }).result.text).toBeUndefined();
  });

  it("moves reasoning_effort into OpenRouter's reasoning.effort", () => {
    const { sent, headers } = adapt("openrouter", { messages: MESSAGES, reasoning_effort: "high" });
    expect(sent).toEqual({ model: "m", messages: MESSAGES, reasoning: { effort: "high" } });
    expect(headers["x-switchyard-changed-params"]).toBe("reasoning_effort->reasoning.effort");
  });

  it("passes a reasoning effort the kind understands in its own field, untouched", () => {
    expect(adapt("ollama", { messages: MESSAGES, reasoning_effort: "high" }).result.text).toBeUndefined();
  });

  it("drops an effort the kind does not accept, naming the accepted values", () => {
    const { sent, headers, adapter, facts, text } = adapt("xai", { messages: MESSAGES, reasoning_effort: "medium" });
    expect(sent).not.toHaveProperty("reasoning_effort");
    expect(headers["x-switchyard-dropped-params"]).toBe("reasoning_effort");
    // Not strict: nothing is refused.
    expect(adapter.violations(facts, text)).toEqual([]);
  });

  it("reports an unsupported effort as a violation in strict mode, with a 400 naming parameter and model", () => {
    const { adapter, facts, text } = adapt("mistral", { messages: MESSAGES, reasoning_effort: "high" }, { model: "mistral-large-latest", strict: true });
    const [violation] = adapter.violations(facts, text);
    expect(violation?.parameter).toBe("reasoning_effort");
    const error = adapter.refusal(violation as NonNullable<typeof violation>);
    expect(error).toMatchObject({ status: 400, code: "unsupported_parameter", param: "reasoning_effort" });
    expect(error.message).toContain("'reasoning_effort'");
    expect(error.message).toContain("mistral/mistral-large-latest");
  });

  it("takes a per-parameter strict policy from the provider's config", () => {
    const { adapter, facts, text } = adapt("deepseek", { messages: MESSAGES, reasoning_effort: "low" }, { policy: { reasoning_effort: "strict" } });
    expect(adapter.violations(facts, text).map((violation) => violation.parameter)).toEqual(["reasoning_effort"]);
  });

  it("sends a parameter as written when its policy is pass", () => {
    expect(adapt("ollama", { messages: MESSAGES, max_completion_tokens: 64 }, { policy: { max_completion_tokens: "pass" } }).result.text).toBeUndefined();
    expect(adapt("ollama", { messages: MESSAGES, n: 2 }, { policy: "pass" }).result.text).toBeUndefined();
  });

  it("strips reasoning_content from replayed assistant messages for Mistral", () => {
    const history = [...MESSAGES, { role: "assistant", content: "4", reasoning_content: "2+2" }, { role: "user", content: "and 3+3?" }];
    const { sent, headers } = adapt("mistral", { messages: history });
    expect((sent?.["messages"] as unknown[])[1]).toEqual({ role: "assistant", content: "4" });
    expect(headers["x-switchyard-dropped-params"]).toBe("messages[].reasoning_content");
  });

  it("applies per-model rules only to the models they match", () => {
    const reasoning = adapt("openai", { messages: MESSAGES, max_tokens: 50 }, { model: "o3-mini" });
    expect(reasoning.sent).toMatchObject({ max_completion_tokens: 50 });
    expect(adapt("openai", { messages: MESSAGES, max_tokens: 50 }, { model: "gpt-4o" }).result.text).toBeUndefined();
    const deepseek = adapt("deepseek", { messages: MESSAGES, logprobs: true }, { model: "deepseek-reasoner" });
    expect(deepseek.headers["x-switchyard-dropped-params"]).toBe("logprobs");
    expect(adapt("deepseek", { messages: MESSAGES, logprobs: true }, { model: "deepseek-chat" }).result.text).toBeUndefined();
  });

  it("converts response_format into TGI's {type, value} form", () => {
    const schema = { type: "object", properties: { a: { type: "string" } } };
    const { sent, headers } = adapt("tgi", { messages: MESSAGES, response_format: { type: "json_schema", json_schema: { name: "thing", schema, strict: true } } });
    expect(sent?.["response_format"]).toEqual({ type: "json_schema", value: { name: "thing", schema } });
    expect(headers["x-switchyard-changed-params"]).toBe("response_format");
  });

  it("asks for stream usage by splicing one member in, only while usage is recorded", () => {
    const body = { messages: MESSAGES, stream: true };
    expect(adapt("ollama", body).result).toMatchObject({ text: undefined, adaptation: { answer: { hideUsageChunk: false, readUsage: false } } });
    const { result, text, headers } = adapt("ollama", body, { settings: RECORDING });
    expect(result.text).toBe(`{"stream_options":{"include_usage":true},${text.slice(1).replace('"ollama/m"', '"m"')}`);
    expect(headers["x-switchyard-changed-params"]).toBe("stream_options.include_usage");
    expect(result.adaptation?.answer).toMatchObject({ hideUsageChunk: true, readUsage: true, stream: true });
  });

  it("does not ask for usage the client asked for itself, nor where the kind sends it anyway", () => {
    const asked = adapt("ollama", { messages: MESSAGES, stream: true, stream_options: { include_usage: true } }, { settings: RECORDING });
    expect(asked.result.text).toBeUndefined();
    expect(asked.result.adaptation?.answer).toMatchObject({ hideUsageChunk: false, readUsage: true });
    const groq = adapt("groq", { messages: MESSAGES, stream: true }, { settings: RECORDING });
    expect(groq.result.text).toBeUndefined();
    expect(groq.result.adaptation?.answer?.usageAt).toEqual(["x_groq", "usage"]);
    expect(adapt("openai-compat", { messages: MESSAGES, stream: true }, { settings: RECORDING }).result.text).toBeUndefined();
  });

  it("sets include_usage inside the client's own stream_options when it said false", () => {
    const { sent } = adapt("vllm", { messages: MESSAGES, stream: true, stream_options: { include_usage: false, continuous_usage_stats: false } }, { settings: RECORDING });
    expect(sent?.["stream_options"]).toEqual({ include_usage: true, continuous_usage_stats: false });
  });

  it("plans reasoning normalisation for kinds whose field differs or doubles, not for the others", () => {
    expect(adapt("ollama", { messages: MESSAGES }).result.adaptation?.answer?.reasoning).toEqual({ target: "reasoning_content" });
    expect(adapt("vllm", { messages: MESSAGES }, { settings: { ...SETTINGS, reasoningField: "as-sent" } }).result.adaptation?.answer?.reasoning).toEqual({ target: undefined });
    expect(adapt("deepseek", { messages: MESSAGES }).result.adaptation).toBeUndefined();
    expect(adapt("ollama", { messages: MESSAGES }, { settings: { ...SETTINGS, reasoningField: "as-sent" } }).result.adaptation).toBeUndefined();
  });

  it("watches the embedding format of base64 requests only", () => {
    expect(adapt("ollama", { input: "x", encoding_format: "base64" }, { endpoint: "embeddings" }).result.adaptation?.answer?.embeddingsBase64).toBe(true);
    expect(adapt("ollama", { input: "x", encoding_format: "float" }, { endpoint: "embeddings" }).result.adaptation).toBeUndefined();
  });
});

/**
 * @module test/conformance/ai-sdk.conformance.test
 * The conformance scenarios against every kind, through the Vercel AI SDK (`ai` with
 * `@ai-sdk/openai-compatible`, which asks for stream usage itself). The model list has no AI SDK
 * call; it is covered by the openai SDK file.
 */
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { APICallError, embed, generateText, jsonSchema, streamText, tool, type ToolSet } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProviderKind } from "../../src/providers/types.js";
import {
  CONFORMANCE_KINDS,
  errorStatus,
  EXPECTED,
  expectedFor,
  hasReasoning,
  SCENARIOS,
  startConformanceRig,
  streamTextOf,
  supportMatrix,
  supports,
  within,
  type ConformanceRig,
  type Scenario,
} from "./conformance-kit.js";

let rig: ConformanceRig;
let switchyard: ReturnType<typeof createOpenAICompatible>;
const PROMPT = "What is the capital of France?";

beforeAll(async () => {
  rig = await startConformanceRig();
  switchyard = createOpenAICompatible({ baseURL: rig.gateway.baseUrl, name: "switchyard", apiKey: "sk-conformance-client", includeUsage: true });
});

afterAll(async () => {
  await rig.close();
  console.log(`Conformance support matrix (@ai-sdk/openai-compatible; models through the openai SDK):\n${supportMatrix()}`);
});

// Cast: under exactOptionalPropertyTypes the AI SDK's Tool type does not fit its own ToolSet.
const TOOLS = {
  get_weather: tool({
    description: "Current weather in a city",
    inputSchema: jsonSchema({ type: "object", properties: { city: { type: "string" } }, required: ["city"] }),
  }),
} as unknown as ToolSet;

const RUN: Partial<Record<Scenario, (kind: ProviderKind) => Promise<void>>> = {
  async chat(kind) {
    const result = await generateText({ model: switchyard.chatModel(`${kind.id}/chat`), prompt: PROMPT, maxRetries: 0 });
    expect(result.text).toBe(expectedFor(kind).chatText);
    expect(result.response.headers?.["x-switchyard-deployment"]).toBe(`${kind.id}/chat`);
    if (hasReasoning(kind, "chat")) expect(result.reasoningText).toBe(EXPECTED.reasoning);
  },

  async stream(kind) {
    const result = streamText({ model: switchyard.chatModel(`${kind.id}/stream`), prompt: PROMPT, maxRetries: 0 });
    let text = "";
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe(streamTextOf(rig.upstream.requests.at(-1)?.fixture));
    expect(await result.finishReason).toBe("stop");
    if (hasReasoning(kind, "stream")) expect(await result.reasoningText).toBe(EXPECTED.reasoning);
  },

  async tools(kind) {
    const result = await generateText({ model: switchyard.chatModel(`${kind.id}/tools`), prompt: PROMPT, tools: TOOLS, maxRetries: 0 });
    expect(result.toolCalls[0]).toMatchObject({ toolName: EXPECTED.tool.name, input: expectedFor(kind).toolArguments });
    expect(result.finishReason).toBe("tool-calls");
  },

  async "tools-stream"(kind) {
    const result = streamText({ model: switchyard.chatModel(`${kind.id}/tools-stream`), prompt: PROMPT, tools: TOOLS, maxRetries: 0 });
    const calls = await result.toolCalls;
    expect(calls[0]).toMatchObject({ toolName: EXPECTED.tool.name, input: expectedFor(kind).toolStreamArguments });
    expect(await result.finishReason).toBe("tool-calls");
  },

  async embeddings(kind) {
    const result = await embed({ model: switchyard.embeddingModel(`${kind.id}/embeddings`), value: "Paris", maxRetries: 0 });
    expect(result.embedding).toEqual(EXPECTED.embedding);
  },

  async errors(kind) {
    const status = errorStatus(kind);
    const failure = await generateText({ model: switchyard.chatModel(`${kind.id}/error`), prompt: PROMPT, maxRetries: 0 }).catch((error: unknown) => error);
    expect(APICallError.isInstance(failure)).toBe(true);
    expect((failure as APICallError).statusCode).toBe(status);
    expect((failure as APICallError).message.length).toBeGreaterThan(0);
  },

  async "usage-in-stream"(kind) {
    // This client asks for usage itself: it gets the usage, from wherever the kind puts it in the stream.
    const result = streamText({ model: switchyard.chatModel(`${kind.id}/stream`), prompt: PROMPT, maxRetries: 0 });
    await result.consumeStream();
    const usage = await result.usage;
    const expected = expectedFor(kind).usage;
    expect({ inputTokens: usage.inputTokens, outputTokens: usage.outputTokens }).toEqual({ inputTokens: expected.promptTokens, outputTokens: expected.completionTokens });
    expect(rig.usage.at(-1)?.usage).toMatchObject(expected);
  },

  async cancel(kind) {
    const controller = new AbortController();
    const before = rig.upstream.requests.length;
    const result = streamText({ model: switchyard.chatModel(`${kind.id}/cancel`), prompt: PROMPT, maxRetries: 0, abortSignal: controller.signal });
    const consumed = result.consumeStream({ onError: () => undefined });
    await within(rig.upstream.waitForRequests(before + 1), 2_000, "the upstream request");
    controller.abort();
    await consumed;
    expect(await within(rig.upstream.requests[before]?.outcome ?? Promise.reject(new Error("no request")), 2_000, "the upstream call to be aborted")).toBe("client-aborted");
  },
};

describe.each(CONFORMANCE_KINDS.map((kind) => [kind.id, kind] as const))("%s through @ai-sdk/openai-compatible", (_id, kind) => {
  for (const scenario of SCENARIOS) {
    const run = RUN[scenario];
    if (run === undefined) continue;
    it.skipIf(!supports(kind, scenario))(scenario, () => run(kind));
  }
});

/**
 * @module test/e2e/vercel-ai-sdk.test
 * The Vercel AI SDK (`ai` with `@ai-sdk/openai-compatible`), as users wire it, pointed at a running
 * Switchyard in front of the scripted upstream on 127.0.0.1: generateText, streamText, embed and
 * embedMany.
 */
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { APICallError, embed, embedMany, generateText, streamText } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway } from "../support/start-gateway.js";
import type { TestGateway } from "../support/start-gateway.js";
import { SCRIPTED_STREAM_TEXT, scriptedEmbedding, startScriptedUpstream } from "../support/scripted-upstream.js";
import type { RecordedRequest, ScriptedUpstream } from "../support/scripted-upstream.js";

const CLIENT_KEY = "sk-client-key-stays-at-the-gateway";
const PROVIDER_KEY = "sk-provider-key-for-the-upstream";

let upstream: ScriptedUpstream;
let gateway: TestGateway;
let switchyard: ReturnType<typeof createOpenAICompatible>;

/** The one request `send` caused at the scripted upstream. */
async function onlyRequest<T>(send: () => Promise<T>): Promise<{ result: T; request: RecordedRequest }> {
  const before = upstream.requests.length;
  const result = await send();
  const added = upstream.requests.slice(before);
  expect(added).toHaveLength(1);
  return { result, request: added[0] as RecordedRequest };
}

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  gateway = await startGateway({ env: { OPENAI_COMPAT_BASE_URL: upstream.baseUrl, OPENAI_COMPATIBLE_API_KEY: PROVIDER_KEY } });
  // includeUsage asks for the usage chunk in streams, as apps that meter tokens do.
  switchyard = createOpenAICompatible({ baseURL: gateway.baseUrl, name: "switchyard", apiKey: CLIENT_KEY, includeUsage: true });
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

describe("the Vercel AI SDK through Switchyard", () => {
  it("generates text from the upstream's answer, with the prefix stripped and the provider key sent", async () => {
    const { result, request } = await onlyRequest(() =>
      generateText({ model: switchyard.chatModel("openai-compat/scripted-chat"), prompt: "ping from the AI SDK", maxRetries: 0 }),
    );
    expect(result.text).toBe("ping from the AI SDK");
    expect(result.finishReason).toBe("stop");
    expect(result.response.headers?.["x-switchyard-deployment"]).toBe("openai-compat/scripted-chat");
    expect(request.json()).toMatchObject({ model: "scripted-chat" });
    expect(request.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`);
  });

  it("streams text that assembles to what the upstream sent, with the usage from its last chunk", async () => {
    const { result, request } = await onlyRequest(async () => {
      const stream = streamText({ model: switchyard.chatModel("openai-compat/scripted-chat"), prompt: "stream please", maxRetries: 0 });
      let assembled = "";
      for await (const delta of stream.textStream) assembled += delta;
      return { assembled, usage: await stream.usage, finishReason: await stream.finishReason };
    });
    expect(result.assembled).toBe(SCRIPTED_STREAM_TEXT);
    expect(result.usage.outputTokens).toBe(5);
    expect(result.finishReason).toBe("stop");
    expect(request.json()).toMatchObject({ model: "scripted-chat", stream: true, stream_options: { include_usage: true } });
  });

  it("embeds one value to the upstream's vector", async () => {
    const { result, request } = await onlyRequest(() => embed({ model: switchyard.embeddingModel("openai-compat/scripted-embed"), value: "sunny day at the beach", maxRetries: 0 }));
    expect(result.embedding).toEqual(scriptedEmbedding("sunny day at the beach"));
    expect(request.json()).toMatchObject({ model: "scripted-embed" });
  });

  it("embeds several values in one call, in order", async () => {
    const values = ["first", "second", "third"];
    const { result } = await onlyRequest(() => embedMany({ model: switchyard.embeddingModel("openai-compat/scripted-embed"), values, maxRetries: 0 }));
    expect(result.embeddings).toEqual(values.map((value) => scriptedEmbedding(value)));
  });

  it("surfaces an unknown prefix as an APICallError with status 404", async () => {
    const before = upstream.requests.length;
    const failure = generateText({ model: switchyard.chatModel("nope/model"), prompt: "x", maxRetries: 0 });
    await expect(failure).rejects.toSatisfy((error: unknown) => APICallError.isInstance(error) && error.statusCode === 404);
    expect(upstream.requests).toHaveLength(before);
  });
});

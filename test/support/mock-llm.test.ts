/**
 * @module test/support/mock-llm.test
 * Checks that the in-process mock-llm speaks enough OpenAI for the official SDK, before tests
 * put the gateway in front of it.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockLlm } from "./mock-llm.js";
import type { MockLlm } from "./mock-llm.js";

let mockLlm: MockLlm;

beforeAll(async () => {
  // Fast streaming so the streamed test does not wait 50 ms per chunk.
  mockLlm = await startMockLlm({ streaming: { chunkSize: 8, chunkIntervalMs: 1 } });
});

afterAll(async () => {
  await mockLlm.close();
});

describe("mock-llm", () => {
  it("echoes the last message to the official openai SDK", async () => {
    const client = new OpenAI({ baseURL: mockLlm.baseUrl, apiKey: "test-key", maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: "gpt-5.2", messages: [{ role: "user", content: "ping from the SDK" }] });
    expect(completion.model).toBe("gpt-5.2");
    expect(completion.choices[0]?.message.content).toBe("ping from the SDK");
  });

  it("streams the echo in chunks that the SDK reassembles", async () => {
    const client = new OpenAI({ baseURL: mockLlm.baseUrl, apiKey: "test-key", maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: "gpt-5.2", stream: true, messages: [{ role: "user", content: "a longer message, split into several chunks" }] });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("a longer message, split into several chunks");
  });

  it("lists its models", async () => {
    const client = new OpenAI({ baseURL: mockLlm.baseUrl, apiKey: "test-key", maxRetries: 0 });
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(["gpt-5.2"]);
  });
});

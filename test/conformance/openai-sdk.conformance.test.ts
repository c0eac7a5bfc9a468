/**
 * @module test/conformance/openai-sdk.conformance.test
 * The conformance scenarios against every kind, through the official `openai` SDK:
 * each kind's transcripts replayed by one double, one gateway in front. Prints the support matrix
 * and checks that docs/providers/README.md shows the same one.
 */
import { readFileSync } from "node:fs";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseModelList } from "../../src/gateway/parse-model-list.js";
import type { ProviderKind } from "../../src/providers/types.js";
import { fixtureBytes } from "../support/transcript-upstream.js";
import {
  CONFORMANCE_KINDS,
  ERROR_PHRASES,
  errorStatus,
  EXPECTED,
  expectedFor,
  hasReasoning,
  scenarioFixture,
  SCENARIOS,
  startConformanceRig,
  streamTextOf,
  supportMatrix,
  supports,
  WEATHER_TOOL,
  within,
  type ConformanceRig,
  type Scenario,
} from "./conformance-kit.js";

let rig: ConformanceRig;
let client: OpenAI;
const MESSAGES = [{ role: "user" as const, content: "What is the capital of France?" }];

beforeAll(async () => {
  rig = await startConformanceRig();
  client = new OpenAI({ baseURL: rig.gateway.baseUrl, apiKey: "sk-conformance-client", maxRetries: 0 });
});

afterAll(async () => {
  await rig.close();
  console.log(`Conformance support matrix (openai SDK):\n${supportMatrix()}`);
});

type Loose = Record<string, unknown>;

/** Reads a stream to its end: assembled text and reasoning, the raw chunks. */
async function drain(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) {
  let text = "";
  let reasoning = "";
  const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
  const calls = new Map<number, { name: string; arguments: string }>();
  for await (const chunk of stream) {
    chunks.push(chunk);
    const delta = chunk.choices?.[0]?.delta as (Loose & OpenAI.Chat.Completions.ChatCompletionChunk.Choice.Delta) | undefined;
    text += delta?.content ?? "";
    reasoning += typeof delta?.["reasoning_content"] === "string" ? delta["reasoning_content"] : "";
    for (const call of delta?.tool_calls ?? []) {
      const entry = calls.get(call.index) ?? { name: "", arguments: "" };
      entry.name += call.function?.name ?? "";
      entry.arguments += call.function?.arguments ?? "";
      calls.set(call.index, entry);
    }
  }
  return { text, reasoning, chunks, calls };
}

const RUN: Record<Scenario, (kind: ProviderKind) => Promise<void>> = {
  async chat(kind) {
    const { data, response } = await client.chat.completions.create({ model: `${kind.id}/chat`, messages: MESSAGES }).withResponse();
    expect(data.choices[0]?.message.content).toBe(expectedFor(kind).chatText);
    expect(response.headers.get("x-switchyard-deployment")).toBe(`${kind.id}/chat`);
    if (hasReasoning(kind, "chat")) {
      const message = data.choices[0]?.message as unknown as Loose;
      expect(message["reasoning_content"]).toBe(EXPECTED.reasoning);
      expect(message).not.toHaveProperty("reasoning");
    }
  },

  async stream(kind) {
    const { text, reasoning, chunks } = await drain(await client.chat.completions.create({ model: `${kind.id}/stream`, messages: MESSAGES, stream: true }));
    expect(text).toBe(streamTextOf(rig.upstream.requests.at(-1)?.fixture));
    if (hasReasoning(kind, "stream")) {
      expect(reasoning).toBe(EXPECTED.reasoning);
      expect(chunks.some((chunk) => chunk.choices?.some((choice) => "reasoning" in (choice.delta as Loose)))).toBe(false);
    }
  },

  async tools(kind) {
    const data = await client.chat.completions.create({ model: `${kind.id}/tools`, messages: MESSAGES, tools: [WEATHER_TOOL] });
    const call = data.choices[0]?.message.tool_calls?.[0];
    expect(data.choices[0]?.finish_reason).toBe("tool_calls");
    expect(call?.type === "function" ? call.function.name : undefined).toBe(EXPECTED.tool.name);
    expect(JSON.parse(call?.type === "function" ? call.function.arguments : "null")).toEqual(expectedFor(kind).toolArguments);
  },

  async "tools-stream"(kind) {
    const { calls, chunks } = await drain(await client.chat.completions.create({ model: `${kind.id}/tools-stream`, messages: MESSAGES, tools: [WEATHER_TOOL], stream: true }));
    expect(calls.get(0)?.name).toBe(EXPECTED.tool.name);
    expect(JSON.parse(calls.get(0)?.arguments ?? "null")).toEqual(expectedFor(kind).toolStreamArguments);
    expect(chunks.some((chunk) => chunk.choices?.[0]?.finish_reason === "tool_calls")).toBe(true);
  },

  async embeddings(kind) {
    // No encoding_format: the SDK asks for base64 and decodes float32, whatever the upstream answers.
    const result = await client.embeddings.create({ model: `${kind.id}/embeddings`, input: "Paris" });
    expect(result.data[0]?.embedding).toEqual(EXPECTED.embedding);
    expect(rig.upstream.requests.at(-1)?.body).toMatchObject({ encoding_format: "base64" });
  },

  async models(kind) {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    const listed = parseModelList(JSON.parse(fixtureBytes(scenarioFixture(kind, "models")).toString("utf8"))) ?? [];
    expect(listed.length).toBeGreaterThan(0);
    for (const model of listed) expect(ids).toContain(`${kind.id}/${model.id}`);
  },

  async errors(kind) {
    const status = errorStatus(kind);
    const failure = await client.chat.completions.create({ model: `${kind.id}/error`, messages: MESSAGES }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    const error = failure as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(status);
    const body = error.error as Loose;
    expect(Object.keys(body).sort()).toEqual(["code", "message", "param", "type"]);
    expect(typeof body["message"]).toBe("string");
    expect(body["message"]).toContain(ERROR_PHRASES[kind.id] ?? "does not exist");
    expect(error.headers?.get("x-switchyard-deployment")).toBe(`${kind.id}/error`);
  },

  async "usage-in-stream"(kind) {
    const before = rig.usage.length;
    const { text, chunks } = await drain(await client.chat.completions.create({ model: `${kind.id}/stream`, messages: MESSAGES, stream: true }));
    expect(text).toBe(streamTextOf(rig.upstream.requests.at(-1)?.fixture));
    // The client did not ask: it never sees the usage-only chunk, whether the gateway asked for it or not.
    expect(chunks.every((chunk) => Array.isArray(chunk.choices) && chunk.choices.length > 0)).toBe(true);
    const asked = rig.upstream.requests.at(-1)?.body as Loose;
    expect((asked["stream_options"] as Loose | undefined)?.["include_usage"] === true).toBe(kind.parameters?.streamUsage === "include-usage");
    const events = rig.usage.slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ deployment: `${kind.id}/stream`, stream: true, complete: true });
    if (!expectedFor(kind).streamUsageKnown) expect(events[0]?.usage).toBeUndefined();
    else expect(events[0]?.usage).toMatchObject(expectedFor(kind).usage);
  },

  async cancel(kind) {
    const controller = new AbortController();
    const before = rig.upstream.requests.length;
    await client.chat.completions.create({ model: `${kind.id}/cancel`, messages: MESSAGES, stream: true }, { signal: controller.signal });
    const request = rig.upstream.requests[before];
    expect(request?.kind).toBe(kind.id);
    controller.abort();
    expect(await within(request?.outcome ?? Promise.reject(new Error("no upstream request")), 2_000, "the upstream call to be aborted")).toBe("client-aborted");
  },
};

describe.each(CONFORMANCE_KINDS.map((kind) => [kind.id, kind] as const))("%s through the openai SDK", (_id, kind) => {
  for (const scenario of SCENARIOS) {
    it.skipIf(!supports(kind, scenario))(scenario, () => RUN[scenario](kind));
  }
});

describe("the support matrix", () => {
  it("is the one docs/providers/README.md shows", () => {
    const readme = readFileSync(new URL("../../docs/providers/README.md", import.meta.url), "utf8");
    const shown = /<!-- conformance-matrix:start -->\n([\s\S]*?)\n<!-- conformance-matrix:end -->/.exec(readme)?.[1];
    expect(shown).toBe(supportMatrix());
  });
});

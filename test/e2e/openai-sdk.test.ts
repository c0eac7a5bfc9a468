/**
 * @module test/e2e/openai-sdk.test
 * The official `openai` SDK, as users run it, pointed at a running Switchyard: chat (plain and
 * streamed) through the third-party mock-llm and through the scripted upstream, embeddings in both
 * encodings, speech bytes, multipart transcription (small and spooled-to-disk uploads), and the
 * model list. Upstreams are on 127.0.0.1 only.
 */
import { randomBytes } from "node:crypto";
import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway } from "../support/start-gateway.js";
import type { TestGateway } from "../support/start-gateway.js";
import { startMockLlm } from "../support/mock-llm.js";
import type { MockLlm } from "../support/mock-llm.js";
import { SCRIPTED_STREAM_TEXT, scriptedEmbedding, scriptedSpeechBytes, startScriptedUpstream } from "../support/scripted-upstream.js";
import type { RecordedRequest, ScriptedUpstream } from "../support/scripted-upstream.js";

const CLIENT_KEY = "sk-client-key-stays-at-the-gateway";
const PROVIDER_KEY = "sk-provider-key-for-the-upstream";
const LLAMA = "meta-llama/Llama-3.1-8B-Instruct";

/** What the scripted upstream's `echo-multipart` answer carries beyond `text`. */
interface EchoedTranscription {
  text: string;
  received_model: string | null;
}

let mockLlm: MockLlm;
let upstream: ScriptedUpstream;
let gateway: TestGateway;
let client: OpenAI;

/** The one request `send` caused at the scripted upstream. */
async function onlyRequest<T>(send: () => Promise<T>): Promise<{ result: T; request: RecordedRequest }> {
  const before = upstream.requests.length;
  const result = await send();
  const added = upstream.requests.slice(before);
  expect(added).toHaveLength(1);
  return { result, request: added[0] as RecordedRequest };
}

/** The parts of a recorded multipart/form-data body, by field name, as raw bytes. */
function multipartParts(request: RecordedRequest): Map<string, Buffer> {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(String(request.headers["content-type"]));
  const delimiter = Buffer.from(`\r\n--${boundary?.[1] ?? boundary?.[2] ?? ""}`, "latin1");
  // Read as if the body began with CRLF, so the first delimiter looks like all the others.
  const body = Buffer.concat([Buffer.from("\r\n"), request.body]);
  const parts = new Map<string, Buffer>();
  let at = body.indexOf(delimiter);
  while (at >= 0 && body.toString("latin1", at + delimiter.length, at + delimiter.length + 2) !== "--") {
    const headerEnd = body.indexOf("\r\n\r\n", at + delimiter.length);
    const next = body.indexOf(delimiter, headerEnd + 4);
    const name = /name="([^"]*)"/.exec(body.toString("latin1", at, headerEnd))?.[1];
    if (name !== undefined) parts.set(name, body.subarray(headerEnd + 4, next));
    at = next;
  }
  return parts;
}

beforeAll(async () => {
  mockLlm = await startMockLlm({ streaming: { chunkSize: 8, chunkIntervalMs: 1 } });
  upstream = await startScriptedUpstream({ models: [LLAMA, "scripted-chat", "scripted-embed"] });
  gateway = await startGateway({
    env: {
      // mock-llm is reached the ordinary way: a local kind's base URL variable.
      OLLAMA_BASE_URL: mockLlm.baseUrl,
      VLLM_BASE_URL: upstream.baseUrl,
      OPENAI_COMPAT_BASE_URL: upstream.baseUrl,
      OPENAI_COMPATIBLE_API_KEY: PROVIDER_KEY,
    },
    // The model list asks every enabled provider; keep it off default ports on this machine.
    config: { providers: { lm_studio: { kind: "lm_studio", enabled: false }, llamacpp: { kind: "llamacpp", enabled: false } } },
  });
  client = new OpenAI({ baseURL: gateway.baseUrl, apiKey: CLIENT_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([upstream.close(), mockLlm.close()]);
});

describe("chat completions through the openai SDK", () => {
  it("gets mock-llm's echo back, with the prefix stripped from the model it received", async () => {
    const completion = await client.chat.completions.create({ model: "ollama/gpt-5.2", messages: [{ role: "user", content: "ping through Switchyard" }] });
    expect(completion.choices[0]?.message.content).toBe("ping through Switchyard");
    expect(completion.model).toBe("gpt-5.2");
  });

  it("streams mock-llm's echo in chunks that reassemble to the whole message", async () => {
    const message = "a longer message that mock-llm splits into several chunks";
    const stream = await client.chat.completions.create({ model: "ollama/gpt-5.2", stream: true, messages: [{ role: "user", content: message }] });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe(message);
  });

  it("gets the scripted upstream's answer and the serving deployment header", async () => {
    const { result, request } = await onlyRequest(() =>
      client.chat.completions.create({ model: "openai-compat/scripted-chat", messages: [{ role: "user", content: "hello upstream" }] }).withResponse(),
    );
    expect(result.data.choices[0]?.message.content).toBe("hello upstream");
    expect(result.response.headers.get("x-switchyard-deployment")).toBe("openai-compat/scripted-chat");
    expect(request.json()).toMatchObject({ model: "scripted-chat" });
  });

  it("authenticates upstream with the provider key, never the client's key", async () => {
    const { request } = await onlyRequest(() => client.chat.completions.create({ model: "openai-compat/scripted-chat", messages: [{ role: "user", content: "who am I" }] }));
    expect(request.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`);
    expect(JSON.stringify(request.headers)).not.toContain(CLIENT_KEY);
  });

  it("streams the scripted text so the assembled deltas equal what the upstream sent", async () => {
    const { result, request } = await onlyRequest(async () => {
      const { data: stream, response } = await client.chat.completions
        .create({ model: "openai-compat/scripted-chat", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "stream please" }] })
        .withResponse();
      let text = "";
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        usage = chunk.usage ?? usage;
      }
      return { text, usage, response };
    });
    expect(result.text).toBe(SCRIPTED_STREAM_TEXT);
    expect(result.usage?.completion_tokens).toBe(5);
    expect(result.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(result.response.headers.get("x-switchyard-deployment")).toBe("openai-compat/scripted-chat");
    expect(request.json()).toMatchObject({ model: "scripted-chat", stream: true });
  });

  it("raises NotFoundError with code model_not_found for an unknown prefix", async () => {
    const failure = client.chat.completions.create({ model: "nope/gpt-5.2", messages: [{ role: "user", content: "x" }] });
    await expect(failure).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(failure).rejects.toMatchObject({ status: 404, code: "model_not_found", param: "model" });
  });
});

describe("embeddings through the openai SDK", () => {
  const inputs = ["the first input", "and a second, ünïcode one"];

  it("decodes the SDK's default base64 encoding to the upstream's vectors", async () => {
    const { result, request } = await onlyRequest(() => client.embeddings.create({ model: "openai-compat/scripted-embed", input: inputs }));
    expect(request.json()).toMatchObject({ model: "scripted-embed", encoding_format: "base64" });
    expect(result.data.map((item) => item.embedding)).toEqual(inputs.map((input) => scriptedEmbedding(input)));
  });

  it("returns the upstream's vectors unchanged with encoding_format float", async () => {
    const { result, request } = await onlyRequest(() => client.embeddings.create({ model: "openai-compat/scripted-embed", input: inputs, encoding_format: "float" }));
    expect(request.json()).toMatchObject({ encoding_format: "float" });
    expect(result.data.map((item) => item.embedding)).toEqual(inputs.map((input) => scriptedEmbedding(input)));
    expect(result.model).toBe("scripted-embed");
  });
});

describe("audio through the openai SDK", () => {
  it("returns speech bytes identical to the upstream's", async () => {
    const input = "Switchyard speaks these words.";
    const { result, request } = await onlyRequest(async () => {
      const response = await client.audio.speech.create({ model: "openai-compat/tts-1", voice: "alloy", input });
      return { bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get("content-type") };
    });
    expect(request.json()).toMatchObject({ model: "tts-1", voice: "alloy", input });
    expect(result.contentType).toBe("audio/mpeg");
    expect(result.bytes.equals(scriptedSpeechBytes(input))).toBe(true);
  });

  it.each([
    { size: "small", bytes: 48 * 1024 },
    // Larger than the 1 MiB kept in memory before the model field, so the upload spools to disk.
    { size: "over 1 MiB", bytes: 1024 * 1024 + 300 * 1024 },
  ])("uploads a $size file with the bytes intact and the model renamed to whisper-1", async ({ bytes }) => {
    const audio = randomBytes(bytes);
    const { result, request } = await onlyRequest(
      // File first, as the SDK orders the fields it is given: the gateway must look past it for the model.
      async () => (await client.audio.transcriptions.create({ file: await toFile(audio, "a.wav"), model: "openai-compat/whisper-1" })) as unknown as EchoedTranscription,
    );
    expect(result.received_model).toBe("whisper-1");
    expect(result.text).toBe(`transcribed ${request.body.length} bytes for whisper-1`);
    expect(request.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`);
    // The premise of the spool path: the whole file arrives before the model field.
    expect(request.body.indexOf('name="file"')).toBeLessThan(request.body.indexOf('name="model"'));
    const parts = multipartParts(request);
    expect(parts.get("model")?.toString("utf8")).toBe("whisper-1");
    expect(parts.get("file")?.equals(audio)).toBe(true);
  });
});

describe("models through the openai SDK", () => {
  it("lists models with their provider prefixes", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining([`vllm/${LLAMA}`, "vllm/scripted-chat", "openai-compat/scripted-embed", "ollama/gpt-5.2"]));
    expect(ids.every((id) => /^(ollama|vllm|openai-compat)\//.test(id))).toBe(true);
  });

  it("retrieves a model whose id contains '/'", async () => {
    const model = await client.models.retrieve(`vllm/${LLAMA}`);
    expect(model).toMatchObject({ id: `vllm/${LLAMA}`, object: "model", owned_by: "scripted" });
  });

  it("raises NotFoundError when retrieving a model the provider does not list", async () => {
    await expect(client.models.retrieve("vllm/not-served-here")).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});

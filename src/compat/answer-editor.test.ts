import { describe, expect, it } from "vitest";
import type { AnswerPlan } from "./adaptation.js";
import { AnswerEditor, embeddingsNeedEncoding } from "./answer-editor.js";
import { base64ToFloats, floatsToBase64 } from "./embedding-encoding.js";

const PLAN: AnswerPlan = { endpoint: "chat", stream: true, hideUsageChunk: false, readUsage: false, usageAt: undefined, reasoning: undefined, embeddingsBase64: false };

function chunk(value: unknown): Buffer {
  return Buffer.from(`data: ${JSON.stringify(value)}\n\n`);
}

describe("AnswerEditor on stream chunks", () => {
  it("does not want chunks with null usage or no reasoning", () => {
    const editor = new AnswerEditor({ ...PLAN, readUsage: true, reasoning: { target: "reasoning_content" } });
    expect(editor.wants(chunk({ choices: [{ delta: { content: "hi", reasoning: null } }], usage: null }))).toBe(false);
    expect(editor.wants(Buffer.from('data: {"choices":[{"delta":{"content":"say \\"usage\\": {x}"}}]}\n\n'))).toBe(false);
    expect(editor.wants(Buffer.from('data: {"usage": {"prompt_tokens":1}}\n\n'))).toBe(true);
  });

  it("reads the usage chunk and hides it when the gateway asked for it", () => {
    const editor = new AnswerEditor({ ...PLAN, readUsage: true, hideUsageChunk: true });
    const data = JSON.stringify({ id: "c", choices: [], usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 } });
    expect(editor.edit(data)).toBeNull();
    expect(editor.usage).toMatchObject({ promptTokens: 3, completionTokens: 5, totalTokens: 8 });
  });

  it("reads usage the client asked for without touching the chunk", () => {
    const editor = new AnswerEditor({ ...PLAN, readUsage: true });
    expect(editor.edit(JSON.stringify({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }))).toBeUndefined();
    expect(editor.usage?.totalTokens).toBe(3);
  });

  it("reads Groq's x_groq.usage from the final chunk", () => {
    const editor = new AnswerEditor({ ...PLAN, readUsage: true, usageAt: ["x_groq", "usage"] });
    editor.edit(JSON.stringify({ choices: [{ delta: {}, finish_reason: "stop" }], x_groq: { id: "req_1", usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } } }));
    expect(editor.usage).toMatchObject({ promptTokens: 9, completionTokens: 4, totalTokens: 13 });
  });

  it("leaves usage unknown, not zero, when no chunk carried any", () => {
    const editor = new AnswerEditor({ ...PLAN, readUsage: true });
    editor.edit(JSON.stringify({ choices: [{ delta: { content: "x" } }] }));
    expect(editor.usage).toBeUndefined();
  });

  it("keeps one reasoning field when an upstream sends both, and renames a lone one", () => {
    const editor = new AnswerEditor({ ...PLAN, reasoning: { target: "reasoning_content" } });
    const both = editor.edit(JSON.stringify({ choices: [{ index: 0, delta: { reasoning: "think", reasoning_content: "think", content: null } }] }));
    expect(JSON.parse(both as string)).toEqual({ choices: [{ index: 0, delta: { reasoning_content: "think", content: null } }] });
    const lone = editor.edit(JSON.stringify({ choices: [{ index: 0, delta: { role: "assistant", reasoning: "hmm", content: "" } }] }));
    expect(lone).toBe(JSON.stringify({ choices: [{ index: 0, delta: { role: "assistant", reasoning_content: "hmm", content: "" } }] }));
    expect(editor.edit(JSON.stringify({ choices: [{ delta: { reasoning_content: "ok" } }] }))).toBeUndefined();
  });

  it("keeps the upstream's field in as-sent mode, still never both", () => {
    const editor = new AnswerEditor({ ...PLAN, reasoning: { target: undefined } });
    const both = editor.edit(JSON.stringify({ choices: [{ delta: { reasoning_content: "a", reasoning: "a" } }] }));
    expect(JSON.parse(both as string)).toEqual({ choices: [{ delta: { reasoning: "a" } }] });
    expect(editor.edit(JSON.stringify({ choices: [{ delta: { reasoning_content: "a" } }] }))).toBeUndefined();
  });
});

describe("AnswerEditor on whole JSON answers", () => {
  const floats = [0.5, -1.25, 3];

  it("encodes float embeddings as base64 float32 little-endian for a base64 request", () => {
    const editor = new AnswerEditor({ ...PLAN, endpoint: "embeddings", stream: false, embeddingsBase64: true });
    const body = Buffer.from(JSON.stringify({ object: "list", data: [{ object: "embedding", index: 0, embedding: floats }], usage: { prompt_tokens: 2, total_tokens: 2 } }));
    const answer = JSON.parse(editor.editBody(body).toString()) as { data: { embedding: string }[] };
    expect(answer.data[0]?.embedding).toBe(floatsToBase64(floats));
    expect(base64ToFloats(answer.data[0]?.embedding ?? "")).toEqual(floats);
  });

  it("returns a base64 answer unchanged, the same buffer", () => {
    const editor = new AnswerEditor({ ...PLAN, endpoint: "embeddings", stream: false, embeddingsBase64: true });
    const body = Buffer.from(JSON.stringify({ data: [{ embedding: floatsToBase64(floats) }] }));
    expect(editor.editBody(body)).toBe(body);
  });

  it("reads usage from the end of a large answer without re-serialising it", () => {
    const editor = new AnswerEditor({ ...PLAN, endpoint: "embeddings", stream: false, readUsage: true });
    const body = Buffer.from(`\n\n${JSON.stringify({ data: [{ embedding: floats, meta: { usage: "not this" } }], usage: { prompt_tokens: 7, total_tokens: 7 } })}`);
    expect(editor.editBody(body)).toBe(body);
    expect(editor.usage).toMatchObject({ promptTokens: 7, completionTokens: undefined, totalTokens: 7 });
  });

  it("moves message.reasoning to reasoning_content in a whole chat answer", () => {
    const editor = new AnswerEditor({ ...PLAN, stream: false, reasoning: { target: "reasoning_content" } });
    const body = Buffer.from(JSON.stringify({ choices: [{ message: { role: "assistant", content: "4", reasoning: "2+2" } }] }));
    expect(JSON.parse(editor.editBody(body).toString())).toEqual({ choices: [{ message: { role: "assistant", content: "4", reasoning_content: "2+2" } }] });
  });

  it("tells from the start of an embeddings answer whether its format needs changing", () => {
    expect(embeddingsNeedEncoding(Buffer.from('{"data":[{"embedding": [0.1'))).toBe(true);
    expect(embeddingsNeedEncoding(Buffer.from('{"data":[{"embedding":"AAAA'))).toBe(false);
    expect(embeddingsNeedEncoding(Buffer.from('{"data":[{"embedding":'))).toBeUndefined();
  });
});

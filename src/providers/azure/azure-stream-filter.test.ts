import { readFileSync } from "node:fs";
import fc from "fast-check";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { AzureStreamFilter, classifyAzureChunk } from "./azure-stream-filter.js";

function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url));
}

/** The fixture's events, as `data: …\n\n` strings. */
function events(bytes: Buffer | string): string[] {
  return bytes
    .toString()
    .split("\n\n")
    .filter((event) => event !== "")
    .map((event) => `${event}\n\n`);
}

function run(pieces: readonly Uint8Array[]): { output: string; filter: AzureStreamFilter } {
  const filter = new AzureStreamFilter();
  const parts = pieces.map((piece) => filter.push(piece));
  parts.push(filter.end());
  return { output: Buffer.concat(parts).toString("utf8"), filter };
}

function splitAt(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const cuts = [...new Set(offsets)].sort((first, second) => first - second);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const cut of cuts) {
    pieces.push(bytes.subarray(start, cut));
    start = cut;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

describe("AzureStreamFilter", () => {
  it("drops Azure's prompt-verdict first chunk and relays the rest byte for byte", () => {
    const bytes = fixture("azure-stream-prompt-filter.sse");
    const { output, filter } = run([bytes]);
    expect(output).toBe(events(bytes).slice(1).join(""));
    expect(filter.dropped).toBe(1);
  });

  it("drops the older prompt_annotations form too", () => {
    const bytes = fixture("azure-stream-prompt-annotations.sse");
    expect(run([bytes]).output).toBe(events(bytes).slice(1).join(""));
  });

  it("drops the asynchronous filter's annotation chunks, which have no delta", () => {
    const bytes = fixture("azure-stream-async-filter.sse");
    const all = events(bytes);
    expect(run([bytes]).output).toBe([all[1], all[2], all[4], all[5], all[7]].join(""));
  });

  it("keeps OpenAI's usage chunk, which also has choices: []", () => {
    const usage = 'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}\n\n';
    expect(run([Buffer.from(usage)]).output).toBe(usage);
  });

  it("relays keep-alive comments and unparseable data untouched", () => {
    const odd = ": keep-alive\n\ndata: not json\n\n";
    expect(run([Buffer.from(odd)]).output).toBe(odd);
  });

  it("gives the same output however the stream is cut, CRLF included", () => {
    const fixtures = ["azure-stream-prompt-filter.sse", "azure-stream-async-filter.sse"].map((name) => fixture(name));
    const withCrlf = fixtures.map((bytes) => Buffer.from(bytes.toString().replaceAll("\n", "\r\n")));
    for (const bytes of [...fixtures, ...withCrlf]) {
      const whole = run([bytes]).output;
      fc.assert(
        fc.property(fc.array(fc.nat(bytes.length), { maxLength: 30 }), (cuts) => {
          expect(run(splitAt(bytes, cuts)).output).toBe(whole);
        }),
        { numRuns: 150 },
      );
    }
  });

  it("sends a last event that lacks its blank line", () => {
    expect(run([Buffer.from("data: [DONE]")]).output).toBe("data: [DONE]");
  });

  it("lets the OpenAI SDK read an async-filter stream that would otherwise crash it", async () => {
    const { output } = run([fixture("azure-stream-async-filter.sse")]);
    const client = new OpenAI({
      apiKey: "sk-test",
      baseURL: "http://127.0.0.1:9/v1",
      maxRetries: 0,
      fetch: async () => new Response(output, { headers: { "content-type": "text/event-stream" } }),
    });
    const completion = await client.chat.completions.stream({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }).finalChatCompletion();
    expect(completion.choices[0]?.message.content).toBe(" date)\n\n");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
  });
});

describe("classifyAzureChunk", () => {
  it("adds an empty delta to an annotation chunk that carries a finish reason", () => {
    const chunk = { id: "", choices: [{ index: 0, finish_reason: "content_filter", content_filter_results: { violence: { filtered: true, severity: "high" } } }] };
    const action = classifyAzureChunk(JSON.stringify(chunk));
    expect(action.action).toBe("replace");
    if (action.action === "replace") expect(JSON.parse(action.data).choices[0]).toMatchObject({ delta: {}, finish_reason: "content_filter" });
  });

  it("rewrites an in-band content_filter error to name the category", () => {
    const action = classifyAzureChunk(readFileSync(new URL("../../../test/fixtures/azure-error-content-filter-jailbreak.json", import.meta.url), "utf8"));
    expect(action.action).toBe("replace");
    if (action.action === "replace") expect(JSON.parse(action.data)).toMatchObject({ error: { code: "content_filter", message: expect.stringContaining("(jailbreak)") } });
  });

  it("keeps [DONE], ordinary chunks and non-JSON", () => {
    expect(classifyAzureChunk("[DONE]")).toEqual({ action: "keep" });
    expect(classifyAzureChunk('{"choices":[{"index":0,"delta":{"content":"x"}}]}')).toEqual({ action: "keep" });
    expect(classifyAzureChunk("{oops")).toEqual({ action: "keep" });
  });
});

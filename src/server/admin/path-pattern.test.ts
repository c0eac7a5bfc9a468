import { describe, expect, it } from "vitest";
import { compilePattern, matchPattern } from "./path-pattern.js";

const split = (path: string): string[] => path.split("/").filter((segment) => segment !== "");

describe("matchPattern", () => {
  it("captures named segments", () => {
    expect(matchPattern(compilePattern("/api/credentials/:id/test"), split("/api/credentials/abc/test"))).toEqual({ id: "abc" });
  });

  it("lets a star parameter span the slashes of a model id and still match a literal tail", () => {
    const pattern = compilePattern("/api/models/*id/test");
    expect(matchPattern(pattern, split("/api/models/vllm/meta-llama/Llama-3.1-8B/test"))).toEqual({ id: "vllm/meta-llama/Llama-3.1-8B" });
    expect(matchPattern(compilePattern("/api/models/*id"), split("/api/models/ollama/llama3.1:8b"))).toEqual({ id: "ollama/llama3.1:8b" });
  });

  it("decodes percent-encoded segments", () => {
    expect(matchPattern(compilePattern("/api/models/*id"), split("/api/models/ollama%2Fllama3"))).toEqual({ id: "ollama/llama3" });
  });

  it("does not match extra or missing segments, or malformed encoding", () => {
    expect(matchPattern(compilePattern("/api/credentials/:id"), split("/api/credentials/a/b"))).toBeUndefined();
    expect(matchPattern(compilePattern("/api/credentials/:id"), split("/api/credentials"))).toBeUndefined();
    expect(matchPattern(compilePattern("/api/models/*id/test"), split("/api/models/test"))).toBeUndefined();
    expect(matchPattern(compilePattern("/api/credentials/:id"), split("/api/credentials/%E0%A4%A"))).toBeUndefined();
  });
});

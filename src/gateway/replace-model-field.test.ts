import { describe, expect, it } from "vitest";
import { findTopLevelStringValue, insertModelField, replaceModelField } from "./replace-model-field.js";

describe("replaceModelField", () => {
  it("replaces only the model value and leaves every other byte untouched", () => {
    const body = '{ "model" : "ollama/llama3.1:8b",\n  "messages":[{"role":"user","content":"hi"}], "temperature":0.20}';
    expect(replaceModelField(body, "llama3.1:8b")).toBe(
      '{ "model" : "llama3.1:8b",\n  "messages":[{"role":"user","content":"hi"}], "temperature":0.20}',
    );
  });

  it("ignores model keys nested in messages or inside strings", () => {
    const body = '{"messages":[{"role":"user","content":"say \\"model\\": \\"x\\"","model":"nested"}],"meta":{"model":"deep"},"model":"vllm/a/b"}';
    const result = replaceModelField(body, "a/b");
    expect(JSON.parse(result)).toEqual({ ...JSON.parse(body), model: "a/b" });
    expect(result.startsWith(body.slice(0, body.lastIndexOf('"model"')))).toBe(true);
  });

  it("handles escaped quotes and backslashes before the model key", () => {
    const body = '{"prompt":"ends with backslash \\\\","model":"openai/gpt-4o"}';
    expect(JSON.parse(replaceModelField(body, "gpt-4o"))).toEqual({ prompt: "ends with backslash \\", model: "gpt-4o" });
  });

  it("takes the last of duplicate model keys, as JSON.parse does", () => {
    const body = '{"model":"a/first","model":"b/second"}';
    expect(replaceModelField(body, "second")).toBe('{"model":"a/first","model":"second"}');
  });

  it("does not mistake a value equal to \"model\" for the key", () => {
    const body = '{"kind":"model","x":{"y":"model"},"model":"p/m"}';
    expect(findTopLevelStringValue(body, "model")).toEqual([body.length - 6, body.length - 1]);
  });

  it("escapes the new value as JSON", () => {
    expect(JSON.parse(replaceModelField('{"model":"p/x"}', 'we"ird\\name'))).toEqual({ model: 'we"ird\\name' });
  });

  it("returns the text unchanged when there is no top-level model", () => {
    expect(replaceModelField('{"input":"x"}', "m")).toBe('{"input":"x"}');
  });
});

describe("insertModelField", () => {
  it("adds the model first and keeps the rest byte for byte", () => {
    expect(insertModelField('{ "messages": [] }', "m")).toBe('{"model":"m", "messages": [] }');
  });

  it("adds no comma to an empty object", () => {
    expect(JSON.parse(insertModelField("{ }", "m"))).toEqual({ model: "m" });
  });
});

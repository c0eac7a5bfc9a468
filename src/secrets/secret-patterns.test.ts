/**
 * @module secrets/secret-patterns.test
 * Keys are recognised by their shape and place even when Switchyard never stored them, and
 * ordinary text is left alone.
 */
import { describe, expect, it } from "vitest";
import { redactSecrets } from "./redact-secrets.js";
import { REDACTED, scrubSecretPatterns } from "./secret-patterns.js";

describe("scrubSecretPatterns", () => {
  it.each([
    ["OpenAI", "sk-proj-AbCdEf0123456789xyzXYZ"],
    ["OpenAI legacy", "sk-AbCdEf0123456789xyzXYZabcd"],
    ["Anthropic", "sk-ant-api03-AbCdEf0123456789_xyz-XYZ"],
    ["Switchyard gateway", "sk-sy-0123456789abcdef0123"],
    ["OpenRouter", "sk-or-v1-0123456789abcdef0123456789abcdef"],
    ["Groq", "gsk_0123456789ABCDEFabcdef0123"],
    ["xAI", "xai-0123456789ABCDEFabcdef0123"],
    ["Google", "AIzaSyA0123456789ABCDEFabcdef01234"],
    ["Hugging Face", "hf_0123456789ABCDEFabcdef0123"],
  ])("removes a bare %s key from free text", (_name, key) => {
    const scrubbed = scrubSecretPatterns(`Incorrect API key provided: ${key}. Check your settings.`);
    expect(scrubbed).not.toContain(key);
    expect(scrubbed).toContain(REDACTED);
  });

  it("removes Bearer credentials, whatever the token looks like", () => {
    expect(scrubSecretPatterns("Rejected Authorization Bearer my-local-token-123")).toBe(`Rejected Authorization Bearer ${REDACTED}`);
    expect(scrubSecretPatterns("got bearer abcdefgh12345")).toBe(`got bearer ${REDACTED}`);
  });

  it("removes the values of secret headers quoted as text or JSON", () => {
    expect(scrubSecretPatterns("You sent x-api-key: local-secret-value and more")).toBe(`You sent x-api-key: ${REDACTED} and more`);
    expect(scrubSecretPatterns('{"api-key":"azure-secret-value","other":1}')).toBe(`{"api-key":"${REDACTED}","other":1}`);
    expect(scrubSecretPatterns("Authorization: Bearer abc.def.ghi-123456")).toBe(`Authorization: ${REDACTED}`);
  });

  it("removes key-carrying query parameters and keeps the rest of the URL", () => {
    expect(scrubSecretPatterns("GET https://example.test/v1beta/models?key=AIzaShort&pageSize=10 failed")).toBe(
      `GET https://example.test/v1beta/models?key=${REDACTED}&pageSize=10 failed`,
    );
    expect(scrubSecretPatterns("/deployments?api-version=2024-10-21&api_key=abc")).toBe(`/deployments?api-version=2024-10-21&api_key=${REDACTED}`);
  });

  it("removes user-info from URLs", () => {
    expect(scrubSecretPatterns("cannot reach http://admin:hunter22@10.0.0.5:8080/v1")).toBe(`cannot reach http://${REDACTED}@10.0.0.5:8080/v1`);
  });

  it("leaves ordinary messages, model ids and words that merely start like a key alone", () => {
    for (const text of [
      "The model 'ollama/llama3.2:3b' does not exist.",
      "Rate limit reached for gpt-4o in organization org-123 on tokens per min.",
      "task-runner and risk-assessment are not keys; neither is sk-learn or hf_transfer.",
      "Basic usage: send a JSON body with a model field.",
      "Missing x-api-key header",
      "Bearer token required",
    ]) {
      expect(scrubSecretPatterns(text)).toBe(text);
    }
  });
});

describe("scrubSecretPatterns on hostile input", () => {
  it("stays linear on text crafted to make URL matching backtrack (an upstream controls error bodies)", () => {
    // A quadratic pattern needs seconds here; a linear one, milliseconds. The bound is loose on purpose.
    const crafted = `${"a.".repeat(16 * 1024)}://${"b".repeat(32 * 1024)}`;
    const started = performance.now();
    scrubSecretPatterns(crafted);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe("redactSecrets", () => {
  it("removes stored values that have no recognisable shape, then the shapes", () => {
    expect(redactSecrets("upstream says: token plainlocalvalue and sk-abcdefghijklmnop0123", ["plainlocalvalue"])).toBe(
      `upstream says: token ${REDACTED} and ${REDACTED}`,
    );
  });

  it("works without stored values", () => {
    expect(redactSecrets("key=abc")).toBe("key=abc");
    expect(redactSecrets("?key=abc")).toBe(`?key=${REDACTED}`);
  });
});

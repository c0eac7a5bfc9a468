/**
 * @module discovery/base-url.test
 * Native list URLs derived from the configured base URL, URLs shown without secrets, and the
 * base-URL fixes suggested for the mistakes users make (missing or doubled `/v1`, pasted endpoints).
 */
import { describe, expect, it } from "vitest";
import { displayUrl, hostAndPort, joinPath, rootBefore, suggestBaseUrlFix } from "./base-url.js";

describe("displayUrl", () => {
  it("drops user-info and the query string, which may hold secrets", () => {
    expect(displayUrl("https://user:pa55@example.test/v1beta?key=AIzaSecret")).toBe("https://example.test/v1beta");
  });
});

describe("hostAndPort", () => {
  it("spells out the scheme's default port", () => {
    expect(hostAndPort(new URL("https://api.example.test/v1"))).toBe("api.example.test:443");
    expect(hostAndPort(new URL("http://127.0.0.1:1234/v1"))).toBe("127.0.0.1:1234");
  });
});

describe("rootBefore", () => {
  it("cuts Ollama's /v1 to reach /api/tags, keeping a proxy prefix", () => {
    expect(joinPath(rootBefore("http://127.0.0.1:11434/v1", /^v1$/), "/api/tags").toString()).toBe("http://127.0.0.1:11434/api/tags");
    expect(joinPath(rootBefore("https://proxy.test/ollama/v1/", /^v1$/), "/api/tags").toString()).toBe("https://proxy.test/ollama/api/tags");
    expect(joinPath(rootBefore("http://127.0.0.1:11434", /^v1$/), "/api/tags").toString()).toBe("http://127.0.0.1:11434/api/tags");
  });

  it("finds Gemini's native list beside its OpenAI endpoint", () => {
    const root = rootBefore("https://generativelanguage.googleapis.com/v1beta/openai?x=1", /^v\d+(beta|alpha)?\d*$/);
    expect(joinPath(root, "/v1beta/models").toString()).toBe("https://generativelanguage.googleapis.com/v1beta/models");
  });
});

describe("suggestBaseUrlFix", () => {
  it("suggests adding /v1 when the path has no version", () => {
    expect(suggestBaseUrlFix("http://127.0.0.1:1234")).toBe("The base URL has no /v1; try http://127.0.0.1:1234/v1.");
  });

  it("suggests removing a doubled /v1", () => {
    expect(suggestBaseUrlFix("http://127.0.0.1:1234/v1/v1")).toBe("The base URL repeats /v1 (http://127.0.0.1:1234/v1/v1); try http://127.0.0.1:1234/v1.");
  });

  it("suggests stopping before a pasted endpoint path", () => {
    expect(suggestBaseUrlFix("http://127.0.0.1:8000/v1/chat/completions")).toBe("The base URL should stop before /chat/completions; try http://127.0.0.1:8000/v1.");
  });

  it("has nothing to suggest for a base URL that already carries a version", () => {
    expect(suggestBaseUrlFix("https://api.groq.com/openai/v1")).toBeUndefined();
    expect(suggestBaseUrlFix("https://generativelanguage.googleapis.com/v1beta/openai")).toBeUndefined();
  });

  it("never repeats a query-string key in its advice", () => {
    expect(suggestBaseUrlFix("http://127.0.0.1:1234?key=sk-query-secret")).not.toContain("sk-query-secret");
  });
});

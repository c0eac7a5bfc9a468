/**
 * @module gateway/state-secrets.test
 * The secret values of a state: every service key and header value, from config, environment and store.
 */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/load-config-file.js";
import { resolveProviders } from "../config/resolve-providers.js";
import { secretsOf } from "./state-secrets.js";

describe("secretsOf", () => {
  it("collects keys per service and header values, skipping values too short to redact", async () => {
    const config = await parseConfig({
      providers: {
        box: {
          kind: "openai-compat",
          baseUrl: "http://127.0.0.1:9/v1",
          apiKey: "chat-key-value",
          headers: { "X-Team": "team-header-value", "X-Short": "ab" },
          services: { embedding: { baseUrl: "http://127.0.0.1:9/v1", apiKey: "embed-key-value" } },
        },
      },
    });
    const state = { providers: resolveProviders(config, { OLLAMA_API_KEY: "env-key-value" }, "test", []) };
    const secrets = secretsOf(state);
    expect(secrets).toEqual(expect.arrayContaining(["chat-key-value", "embed-key-value", "team-header-value", "env-key-value"]));
    expect(secrets).not.toContain("ab");
    expect(secretsOf(state)).toBe(secrets);
  });
});

/**
 * @module config/prototype-pollution.test
 * `__proto__` and `constructor` keys in a config file (JSON or YAML) are either refused as unknown
 * keys or dropped by zod, and never change a prototype — of the config or of Object.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, parseConfigText } from "./load-config-file.js";
import { resolveProviders } from "./resolve-providers.js";

function polluted(): unknown {
  return (Object.prototype as { polluted?: unknown }).polluted;
}

afterEach(() => {
  expect(polluted()).toBeUndefined();
});

describe("config files cannot pollute prototypes", () => {
  it("refuses a top-level __proto__ key in JSON and YAML as an unknown key", async () => {
    await expect(parseConfigText('{"__proto__":{"polluted":true}}', "c.json")).rejects.toBeInstanceOf(ConfigError);
    await expect(parseConfigText("__proto__:\n  polluted: true\n", "c.yaml")).rejects.toThrow(/__proto__/);
  });

  it("refuses __proto__ inside strict sections such as server and timeouts", async () => {
    await expect(parseConfigText('{"server":{"__proto__":{"maxBodyBytes":1}}}', "c.json")).rejects.toBeInstanceOf(ConfigError);
    await expect(parseConfigText('{"timeouts":{"__proto__":{"connectMs":1}}}', "c.json")).rejects.toBeInstanceOf(ConfigError);
  });

  it("drops __proto__ entries of user-named maps (providers, headers) without effect", async () => {
    const config = await parseConfigText(
      '{"providers":{"__proto__":{"kind":"openai-compat"},"box":{"kind":"openai-compat","baseUrl":"http://127.0.0.1:9/v1","headers":{"__proto__":"x","X-Team":"t"}}}}',
      "c.json",
    );
    expect(Object.getPrototypeOf(config.providers)).toBe(Object.prototype);
    const box = resolveProviders(config, {}, "c.json", []).find((provider) => provider.name === "box");
    expect(box?.headers).toEqual({ "X-Team": "t" });
    expect(Object.getPrototypeOf(box?.headers)).toBe(Object.prototype);
  });
});

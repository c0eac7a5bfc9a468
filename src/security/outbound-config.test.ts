import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/load-config-file.js";
import { outboundPolicyFrom } from "./outbound-policy.js";

describe("security.outbound in the config file", () => {
  it("accepts a mode and exact origins, and yields that policy", async () => {
    const config = await parseConfig({ security: { outbound: { mode: "strict", allowOrigins: ["http://10.0.0.5:8000", "https://gpu.lan"] } } });
    expect(outboundPolicyFrom(config, {})).toEqual({ mode: "strict", allowOrigins: new Set(["http://10.0.0.5:8000", "https://gpu.lan"]) });
  });

  it("rejects an unknown mode, an origin with a path, and misspelt keys, naming each path", async () => {
    await expect(parseConfig({ security: { outbound: { mode: "open" } } })).rejects.toThrow(/security\.outbound\.mode/);
    await expect(parseConfig({ security: { outbound: { allowOrigins: ["http://10.0.0.5:8000/v1"] } } })).rejects.toThrow(/security\.outbound\.allowOrigins\[0\]: .*exact http\(s\) origin/);
    await expect(parseConfig({ security: { outbound: { allowOrigin: [] } } })).rejects.toThrow(/allowOrigin/);
  });
});

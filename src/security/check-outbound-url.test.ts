import { describe, expect, it } from "vitest";
import { checkOutboundUrl } from "./check-outbound-url.js";
import { classifyHostName } from "./host-names.js";
import { DEFAULT_OUTBOUND_POLICY, describeRefusal, outboundPolicyFrom, parseExactOrigin, type OutboundPolicy } from "./outbound-policy.js";

const LOCAL = DEFAULT_OUTBOUND_POLICY;
const STRICT: OutboundPolicy = { mode: "strict", allowOrigins: new Set(["http://10.0.0.5:8000"]) };

function refusal(url: string, policy: OutboundPolicy = LOCAL): string | undefined {
  const result = checkOutboundUrl(url, policy);
  return result.ok ? undefined : result.refusal.reason;
}

describe("what the WHATWG URL parser (undici's parser) makes of each host notation", () => {
  it.each([
    ["http://2852039166/", "169.254.169.254"],
    ["http://0xa9fea9fe/", "169.254.169.254"],
    ["http://0251.0376.0251.0376/", "169.254.169.254"],
    ["http://169.254.43518/", "169.254.169.254"],
    ["http://127.1/", "127.0.0.1"],
    ["http://0/", "0.0.0.0"],
    ["http://%31%32%37.0.0.1/", "127.0.0.1"],
    ["http://①②⑦.0.0.1/", "127.0.0.1"],
    ["http://127.0.0.1.:80/", "127.0.0.1"],
    ["http://127.0.0.1\\@1.1.1.1/", "127.0.0.1"],
    ["http://[::ffff:127.0.0.1]/", "[::ffff:7f00:1]"],
    ["http://[::ffff:169.254.169.254]/", "[::ffff:a9fe:a9fe]"],
    ["http://[::127.0.0.1]/", "[::7f00:1]"],
    ["http://[64:ff9b::169.254.169.254]/", "[64:ff9b::a9fe:a9fe]"],
    ["http://METADATA.Google.Internal./", "metadata.google.internal."],
    ["http://metadata%2egoogle.internal/", "metadata.google.internal"],
    ["http://localhost./", "localhost."],
  ])("%s has hostname %s", (url, hostname) => {
    expect(new URL(url).hostname).toBe(hostname);
  });

  it("rejects zone ids and out-of-range numbers outright", () => {
    for (const url of ["http://[fe80::1%25eth0]/", "http://[fe80::1%eth0]/", "http://4294967296/", "http://1.2.3.4.5/", "http://09.0.0.1/"]) {
      expect(() => new URL(url), url).toThrow();
    }
  });
});

describe("checkOutboundUrl", () => {
  it("allows loopback, private, CGNAT and ULA hosts in mode local", () => {
    for (const url of ["http://127.0.0.1:11434/v1", "http://localhost:1234/v1", "http://[::1]:8000/v1", "http://10.0.0.5:8000/v1", "http://192.168.1.2/v1", "http://100.80.1.2/v1", "http://[fd12::5]/v1", "https://api.openai.com/v1", "http://gpu-box:8000/v1"]) {
      expect(refusal(url), url).toBeUndefined();
    }
  });

  it("refuses link-local and metadata hosts in every notation and mode", () => {
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "http://2852039166/",
      "http://0xa9fea9fe/",
      "http://0251.0376.0251.0376/",
      "http://169.254.43518/",
      "http://[::ffff:169.254.169.254]/",
      "http://[::ffff:a9fe:a9fe]/",
      "http://[64:ff9b::a9fe:a9fe]/",
      "http://[2002:a9fe:a9fe::]/",
      "http://[fe80::1]/",
      "http://[fd00:ec2::254]/",
      "http://100.100.100.200/",
      "http://metadata.google.internal/computeMetadata/v1/",
      "http://METADATA.GOOGLE.INTERNAL./",
      "http://metadata/",
      "http://metadata.goog/",
      "http://instance-data/",
      "http://0.0.0.0:11434/v1",
      "http://0/",
      "http://[::]/",
      "http://224.0.0.1/",
      "http://255.255.255.255/",
      "http://240.0.0.1/",
      "http://192.0.2.1/",
      "http://198.18.0.1/",
    ]) {
      expect(refusal(url, LOCAL), url).toBe("host");
      expect(refusal(url, STRICT), url).toBe("host");
    }
  });

  it("refuses local-scope hosts in mode strict unless the exact origin is allow-listed", () => {
    expect(refusal("http://127.0.0.1:11434/v1", STRICT)).toBe("host");
    expect(refusal("http://localhost:11434/v1", STRICT)).toBe("host");
    expect(refusal("http://api.localhost/v1", STRICT)).toBe("host");
    expect(refusal("http://10.0.0.5:8001/v1", STRICT)).toBe("host");
    expect(refusal("https://10.0.0.5:8000/v1", STRICT)).toBe("host");
    expect(refusal("http://10.0.0.5:8000/v1", STRICT)).toBeUndefined();
    expect(refusal("http://012.0.0.5:8000/v1", STRICT)).toBeUndefined();
    expect(refusal("https://api.openai.com/v1", STRICT)).toBeUndefined();
    expect(refusal("https://8.8.8.8/v1", STRICT)).toBeUndefined();
  });

  it("never lets the allow-list open an always-refused address", () => {
    const policy: OutboundPolicy = { mode: "strict", allowOrigins: new Set(["http://169.254.169.254"]) };
    expect(refusal("http://169.254.169.254/", policy)).toBe("host");
  });

  it("refuses other schemes, credentials and unparseable URLs", () => {
    expect(refusal("file:///etc/passwd")).toBe("scheme");
    expect(refusal("ftp://example.com/")).toBe("scheme");
    expect(refusal("http://user:pass@127.0.0.1/v1")).toBe("credentials");
    expect(refusal("http://a@127.0.0.1:11434@example.com/")).toBe("credentials");
    expect(refusal("not a url")).toBe("invalid-url");
  });

  it("explains refusals without any secret", () => {
    const result = checkOutboundUrl("http://user:hunter2@169.254.169.254/", LOCAL);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(describeRefusal(result.refusal)).not.toContain("hunter2");
    const metadata = checkOutboundUrl("http://[::ffff:169.254.169.254]/", LOCAL);
    if (!metadata.ok) expect(describeRefusal(metadata.refusal)).toBe("[::ffff:a9fe:a9fe] is a cloud metadata address (it carries 169.254.169.254), which Switchyard never connects to.");
    const strict = checkOutboundUrl("http://127.0.0.1:1/", STRICT);
    if (!strict.ok) expect(describeRefusal(strict.refusal)).toContain("security.outbound.allowOrigins");
  });
});

describe("classifyHostName", () => {
  it("knows metadata names and localhost without DNS, trailing dots and case aside", () => {
    expect(classifyHostName("Metadata.Google.Internal.")).toEqual({ category: "metadata", scope: "forbidden" });
    expect(classifyHostName("instance-data.ec2.internal")).toEqual({ category: "metadata", scope: "forbidden" });
    expect(classifyHostName("localhost")).toEqual({ category: "loopback", scope: "local" });
    expect(classifyHostName("ollama.localhost.")).toEqual({ category: "loopback", scope: "local" });
    expect(classifyHostName("metadata.example.com")).toBeUndefined();
    expect(classifyHostName("api.openai.com")).toBeUndefined();
  });
});

describe("outboundPolicyFrom", () => {
  it("defaults to mode local with nothing allow-listed", () => {
    expect(outboundPolicyFrom({}, {})).toEqual({ mode: "local", allowOrigins: new Set() });
  });

  it("reads the config file, and SWITCHYARD_OUTBOUND_MODE wins over it", () => {
    const config = { security: { outbound: { mode: "strict" as const, allowOrigins: ["HTTP://10.0.0.5:8000/", "https://gpu.lan:443"] } } };
    expect(outboundPolicyFrom(config, {})).toEqual({ mode: "strict", allowOrigins: new Set(["http://10.0.0.5:8000", "https://gpu.lan"]) });
    expect(outboundPolicyFrom(config, { SWITCHYARD_OUTBOUND_MODE: " local " }).mode).toBe("local");
    expect(outboundPolicyFrom({}, { SWITCHYARD_OUTBOUND_MODE: "STRICT" }).mode).toBe("strict");
    expect(outboundPolicyFrom(config, { SWITCHYARD_OUTBOUND_MODE: "" }).mode).toBe("strict");
  });

  it("rejects an unknown mode in the environment", () => {
    expect(() => outboundPolicyFrom({}, { SWITCHYARD_OUTBOUND_MODE: "open" })).toThrow(/SWITCHYARD_OUTBOUND_MODE: must be 'local' or 'strict'/);
  });
});

describe("parseExactOrigin", () => {
  it("accepts exact http(s) origins only, normalised", () => {
    expect(parseExactOrigin("http://10.0.0.5:8000")).toBe("http://10.0.0.5:8000");
    expect(parseExactOrigin("https://Example.COM:443/")).toBe("https://example.com");
    expect(parseExactOrigin("http://[::1]:80")).toBe("http://[::1]");
    for (const value of ["http://10.0.0.5:8000/v1", "http://u:p@10.0.0.5", "http://10.0.0.5/?a", "http://10.0.0.5/#x", "ftp://10.0.0.5", "10.0.0.5:8000", "http://h/?"]) {
      expect(parseExactOrigin(value), value).toBeUndefined();
    }
  });
});

/**
 * @module test/integration/outbound-policy.test
 * The outbound URL policy on real sockets: the pool connector with an injected resolver (forbidden
 * answers, DNS rebinding), IP-literal origins, strict mode and its allow-list, redirects towards a
 * metadata address, the 502 an inference client gets, and the 400s of the admin API. Nothing here
 * may leave the machine even if the policy were broken: a loopback guard (test/support) stops any
 * connection to a non-loopback address before the OS sees it and records it as a violation, and
 * every test asserts there were none. Where a real connection to a forbidden address must be
 * observed, see outbound-namespace.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SwitchyardConfig } from "../../src/config/config-schema.js";
import { testConnection } from "../../src/discovery/index.js";
import { createLogger } from "../../src/observability/logger.js";
import type { Resolver } from "../../src/security/outbound-connector.js";
import type { OutboundPolicy } from "../../src/security/outbound-policy.js";
import { PoolRegistry } from "../../src/upstream/pool-registry.js";
import { requestFrom } from "../../src/upstream/undici-runtime.js";
import { installLoopbackGuard, type LoopbackGuard } from "../support/loopback-guard.js";
import { startGateway } from "../support/start-gateway.js";
import { startScriptedUpstream } from "../support/scripted-upstream.js";
import { DISABLED_BUILTINS } from "../support/disabled-builtins.js";

const STRICT: OutboundPolicy = { mode: "strict", allowOrigins: new Set() };
const API_KEY = "sk-outbound-canary-0123456789abcdef";


interface CountingServer {
  readonly port: number;
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** A 127.0.0.1 server that counts connections and answers 200 "ok", closing each connection when asked to. */
async function startCountingServer(options: { closeEachConnection?: boolean } = {}): Promise<CountingServer> {
  let count = 0;
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/plain", ...(options.closeEachConnection === true ? { connection: "close" } : {}) });
    response.end("ok");
  });
  server.on("connection", () => {
    count += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A resolver that answers from a script, one answer list per lookup (the last one repeats). */
function scriptedResolver(...answers: readonly (readonly string[])[]): Resolver & { lookups: string[] } {
  const lookups: string[] = [];
  const resolver = async (hostname: string) => {
    lookups.push(hostname);
    const answer = answers[Math.min(lookups.length - 1, answers.length - 1)] ?? [];
    return answer.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return Object.assign(resolver, { lookups });
}

async function get(pools: PoolRegistry, origin: string): Promise<{ status: number; body: string }> {
  const response = await requestFrom(pools.get(origin, 2_000), { path: "/", method: "GET" });
  return { status: response.statusCode, body: await response.body.text() };
}

async function refusalCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe("the pool connector", () => {
  let guard: LoopbackGuard;
  let server: CountingServer;
  let pools: PoolRegistry | undefined;

  beforeEach(async () => {
    guard = installLoopbackGuard();
    server = await startCountingServer({ closeEachConnection: true });
  });

  afterEach(async () => {
    await pools?.destroy();
    pools = undefined;
    guard.restore();
    await server.close();
  });

  it("refuses forbidden DNS answers inside the connection without opening a socket", async () => {
    for (const answers of [["169.254.169.254"], ["::ffff:169.254.169.254"], ["::ffff:a9fe:a9fe"], ["fd00:ec2::254"], ["fe80::1"], ["100.100.100.200"], ["0.0.0.0"], ["::"], ["127.0.0.1", "169.254.169.254"], ["64:ff9b::a9fe:a9fe"]]) {
      const resolver = scriptedResolver(answers);
      pools = new PoolRegistry({ resolver });
      expect(await refusalCode(get(pools, `http://upstream.test:${server.port}`)), answers.join()).toBe("ERR_OUTBOUND_FORBIDDEN");
      expect(resolver.lookups).toEqual(["upstream.test"]);
      await pools.destroy();
    }
    expect(guard.attempts).toEqual([]);
    expect(guard.violations).toEqual([]);
    expect(server.connections()).toBe(0);
  });

  it("refuses forbidden IP-literal origins in every notation before creating a socket", async () => {
    const resolver = scriptedResolver(["127.0.0.1"]);
    pools = new PoolRegistry({ resolver });
    const port = server.port;
    for (const origin of [
      `http://169.254.169.254:${port}`,
      `http://2852039166:${port}`,
      `http://0xa9fea9fe:${port}`,
      `http://0251.0376.0251.0376:${port}`,
      `http://169.254.43518:${port}`,
      `http://[::ffff:169.254.169.254]:${port}`,
      `http://[::169.254.169.254]:${port}`,
      `http://[64:ff9b::169.254.169.254]:${port}`,
      `http://[fd00:ec2::254]:${port}`,
      `http://100.100.100.200:${port}`,
      `http://0.0.0.0:${port}`,
      `http://0:${port}`,
      `http://[::]:${port}`,
      `http://metadata.google.internal:${port}`,
      `http://metadata:${port}`,
    ]) {
      expect(await refusalCode(get(pools, new URL(origin).origin)), origin).toBe("ERR_OUTBOUND_FORBIDDEN");
    }
    // Names judged by name never reach DNS.
    expect(resolver.lookups).toEqual([]);
    expect(guard.attempts).toEqual([]);
    expect(guard.violations).toEqual([]);
    expect(server.connections()).toBe(0);
  });

  it("connects to the vetted loopback answer and logs nothing", async () => {
    const resolver = scriptedResolver(["127.0.0.1"]);
    const lines = new PassThrough();
    const logged: string[] = [];
    lines.on("data", (chunk: Buffer) => logged.push(chunk.toString("utf8")));
    pools = new PoolRegistry({ resolver, logger: createLogger({ destination: lines, level: "warn" }) });
    expect(await get(pools, `http://upstream.test:${server.port}`)).toEqual({ status: 200, body: "ok" });
    expect(guard.attempts).toEqual(["127.0.0.1"]);
    expect(server.connections()).toBe(1);
    expect(logged).toEqual([]);
  });

  it("refuses a second connection when DNS rebinds the name to the metadata address", async () => {
    const resolver = scriptedResolver(["127.0.0.1"], ["169.254.169.254"]);
    pools = new PoolRegistry({ resolver });
    const origin = `http://rebind.test:${server.port}`;
    expect(await get(pools, origin)).toEqual({ status: 200, body: "ok" });
    // The server closed that connection, so the next request needs a new one, and a new lookup.
    expect(await refusalCode(get(pools, origin))).toBe("ERR_OUTBOUND_FORBIDDEN");
    expect(resolver.lookups).toEqual(["rebind.test", "rebind.test"]);
    expect(server.connections()).toBe(1);
    expect(guard.attempts).toEqual(["127.0.0.1"]);
    expect(guard.violations).toEqual([]);
  });

  it("refuses loopback in strict mode unless the exact origin is allow-listed, and logs the refusal", async () => {
    const lines = new PassThrough();
    const logged: string[] = [];
    lines.on("data", (chunk: Buffer) => logged.push(chunk.toString("utf8")));
    pools = new PoolRegistry({ policy: STRICT, logger: createLogger({ destination: lines, level: "warn" }) });
    const origin = `http://127.0.0.1:${server.port}`;
    expect(await refusalCode(get(pools, origin))).toBe("ERR_OUTBOUND_FORBIDDEN");
    expect(server.connections()).toBe(0);
    const entry = JSON.parse(logged.join("").trim().split("\n")[0] ?? "{}") as Record<string, unknown>;
    expect(entry).toMatchObject({ event: "outbound-refused", origin, reason: "host", category: "loopback", mode: "strict" });

    pools.setPolicy({ mode: "strict", allowOrigins: new Set([origin]) });
    expect(await get(pools, origin)).toEqual({ status: 200, body: "ok" });
    // A different port on the same host is a different origin.
    expect(await refusalCode(get(pools, `http://127.0.0.1:${server.port + 1 > 65_535 ? 1 : server.port + 1}`))).toBe("ERR_OUTBOUND_FORBIDDEN");
    expect(server.connections()).toBe(1);
    expect(guard.violations).toEqual([]);
  });
});

describe("redirects towards the metadata address", () => {
  let guard: LoopbackGuard;

  beforeEach(() => {
    guard = installLoopbackGuard();
  });

  afterEach(() => {
    guard.restore();
  });

  it("relays a 302 to 169.254.169.254 as upstream_redirect and never connects there", async () => {
    const upstream = await startScriptedUpstream();
    const location = { location: "http://169.254.169.254/latest/meta-data/iam/security-credentials/" };
    upstream.script("/v1/chat/completions", { type: "json", status: 302, body: {}, headers: location });
    const gateway = await startGateway({
      config: { providers: { ...DISABLED_BUILTINS, lab: { kind: "openai-compat", baseUrl: upstream.baseUrl, apiKey: API_KEY } } },
    });
    try {
      const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "lab/any", messages: [{ role: "user", content: "hi" }] }),
      });
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(response.status).toBe(502);
      expect(body.error.code).toBe("upstream_redirect");
      expect(upstream.requests).toHaveLength(1);
    } finally {
      await gateway.close();
      await upstream.close();
    }
    expect(guard.violations).toEqual([]);
    expect(guard.attempts.every((address) => address.startsWith("127."))).toBe(true);
  });

  it("does not follow the redirect in discovery, nor suggest the metadata URL", async () => {
    const upstream = await startScriptedUpstream();
    upstream.script("/v1/models", { type: "json", status: 302, body: {}, headers: { location: "http://169.254.169.254/latest/meta-data/" } });
    try {
      const result = await testConnection({ kind: "openai-compat", baseUrl: upstream.baseUrl, apiKey: API_KEY });
      expect(result).toMatchObject({ ok: false, code: "bad_response", status: 302 });
      expect(result.diagnosis).toContain("an address the outbound policy refuses");
      expect(result.diagnosis).not.toContain("169.254");
      expect(upstream.requests).toHaveLength(1);
    } finally {
      await upstream.close();
    }
    expect(guard.violations).toEqual([]);
  });
});

describe("inference under the outbound policy", () => {
  let guard: LoopbackGuard;

  beforeEach(() => {
    guard = installLoopbackGuard();
  });

  afterEach(() => {
    guard.restore();
  });

  it("answers 502 upstream_forbidden without naming the address, and logs the refusal without the key", async () => {
    const upstream = await startScriptedUpstream();
    const lines = new PassThrough();
    const logged: string[] = [];
    lines.on("data", (chunk: Buffer) => logged.push(chunk.toString("utf8")));
    const gateway = await startGateway({
      env: { SWITCHYARD_OUTBOUND_MODE: "strict" },
      logger: createLogger({ destination: lines, level: "warn" }),
      config: { providers: { ...DISABLED_BUILTINS, lab: { kind: "openai-compat", baseUrl: upstream.baseUrl, apiKey: API_KEY } } },
    });
    try {
      const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "lab/any", messages: [{ role: "user", content: "hi" }] }),
      });
      const text = await response.text();
      expect(response.status).toBe(502);
      const body = JSON.parse(text) as { error: { code: string; message: string; type: string } };
      expect(body.error).toMatchObject({ code: "upstream_forbidden", type: "server_error", message: "The upstream address for provider 'lab' is not allowed by the outbound policy." });
      expect(text).not.toContain("127.0.0.1");
      expect(text).not.toContain(String(new URL(upstream.url).port));
      expect(upstream.requests).toHaveLength(0);
    } finally {
      await gateway.close();
      await upstream.close();
    }
    const log = logged.join("");
    expect(log).toContain('"event":"outbound-refused"');
    expect(log).toContain(`"origin":"${upstream.url}"`);
    expect(log).not.toContain(API_KEY);
    expect(guard.violations).toEqual([]);
  });
});

describe("admin actions under the outbound policy", () => {
  let guard: LoopbackGuard;
  let dataDir: string;

  beforeEach(() => {
    guard = installLoopbackGuard();
    dataDir = mkdtempSync(join(tmpdir(), "switchyard-outbound-"));
  });

  afterEach(() => {
    guard.restore();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: { error?: { code: string; message: string; param: string | null } } & Record<string, unknown> }> {
    const response = await fetch(`${base}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === "" ? {} : JSON.parse(text)) as { error?: { code: string; message: string; param: string | null } } };
  }

  it("refuses to store a credential whose base URL is a metadata or link-local address, in any notation", async () => {
    const gateway = await startGateway({ dataDir, config: { providers: DISABLED_BUILTINS } });
    try {
      for (const [index, url] of ["http://169.254.169.254/v1", "http://2852039166/v1", "http://[::ffff:169.254.169.254]/v1", "http://metadata.google.internal/v1", "http://[fe80::1]:8000/v1"].entries()) {
        const created = await call(gateway.url, "POST", "/api/credentials", { name: `bad${index}`, kind: "openai-compat", base_url: url, api_key: API_KEY });
        expect(created.status, url).toBe(400);
        expect(created.body.error).toMatchObject({ code: "forbidden_base_url", param: "base_url" });
        expect(JSON.stringify(created.body)).not.toContain(API_KEY);
      }
      const service = await call(gateway.url, "POST", "/api/credentials", { name: "svc", kind: "openai-compat", service_urls: { embedding: "http://100.100.100.200/v1" } });
      expect(service.status).toBe(400);
      expect(service.body.error).toMatchObject({ code: "forbidden_base_url", param: "service_urls.embedding" });
      const credentials = await call(gateway.url, "GET", "/api/credentials");
      expect(JSON.stringify(credentials.body)).not.toContain("169.254");
    } finally {
      await gateway.close();
    }
    expect(guard.violations).toEqual([]);
  });

  it("refuses loopback base URLs in strict mode unless allow-listed, and refuses the connection test after a switch to strict", async () => {
    const upstream = await startScriptedUpstream();
    const configFile = join(dataDir, "config.json");
    const writeConfig = (security: SwitchyardConfig["security"]) => writeFileSync(configFile, JSON.stringify({ providers: DISABLED_BUILTINS, security }));
    writeConfig({ outbound: { mode: "local" } });
    const gateway = await startGateway({ dataDir, config: configFile });
    try {
      const created = await call(gateway.url, "POST", "/api/credentials", { name: "lab", kind: "openai-compat", base_url: upstream.baseUrl, api_key: API_KEY });
      expect(created.status).toBe(201);
      expect((await call(gateway.url, "POST", "/api/credentials/lab/test")).body).toMatchObject({ ok: true });
      const before = upstream.requests.length;

      writeConfig({ outbound: { mode: "strict" } });
      await gateway.gateway.reload();
      const tested = await call(gateway.url, "POST", "/api/credentials/lab/test");
      expect(tested.status).toBe(400);
      expect(tested.body.error?.code).toBe("forbidden_base_url");
      expect(tested.body.error?.message).toContain("security.outbound.allowOrigins");
      const discovered = await call(gateway.url, "POST", "/api/credentials/lab/discover");
      expect(discovered.status).toBe(400);
      expect(discovered.body.error?.code).toBe("forbidden_base_url");
      const another = await call(gateway.url, "POST", "/api/credentials", { name: "lab2", kind: "openai-compat", base_url: upstream.baseUrl, api_key: API_KEY });
      expect(another.status).toBe(400);
      expect(upstream.requests.length).toBe(before);

      writeConfig({ outbound: { mode: "strict", allowOrigins: [upstream.url] } });
      await gateway.gateway.reload();
      expect((await call(gateway.url, "POST", "/api/credentials/lab/test")).body).toMatchObject({ ok: true });
    } finally {
      await gateway.close();
      await upstream.close();
    }
    expect(guard.violations).toEqual([]);
  });
});

/**
 * Retries, failover, circuit breaking, rate limits and the streaming contract, end to end: the
 * official `openai` SDK (its own retries off) → a real Switchyard → several fault-injecting upstreams
 * on 127.0.0.1, each scripted per attempt. Each test checks what the client saw, how many attempts
 * each upstream received, and the x-switchyard-* headers.
 */
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import type { SwitchyardConfig } from "../../src/config/config-schema.js";
import { sseData, startScriptedUpstream, type CannedResponse, type ScriptedUpstream } from "../support/scripted-upstream.js";
import { startGateway, type TestGateway } from "../support/start-gateway.js";

const CHAT_PATH = "/v1/chat/completions";

const open: { close(): Promise<unknown> }[] = [];

afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function upstreams(count: number): Promise<ScriptedUpstream[]> {
  const started = await Promise.all(Array.from({ length: count }, () => startScriptedUpstream()));
  open.push(...started);
  return started;
}

/** Short timeouts and fast backoff so the suite stays quick. */
const FAST: SwitchyardConfig = {
  timeouts: { connectMs: 300, firstByteMs: 400, idleMs: 400, totalMs: 5_000 },
  routing: { retryBaseDelayMs: 20, retryMaxDelayMs: 40, breaker: { consecutiveFailures: 2, coolDownMs: 400 } },
};

/** A gateway with providers a, b, c… (one per upstream) and the given routes. */
async function gatewayFor(servers: readonly ScriptedUpstream[], extra: SwitchyardConfig = {}): Promise<TestGateway> {
  const providers = Object.fromEntries(servers.map((server, index) => [String.fromCharCode(97 + index), { kind: "openai-compat" as const, baseUrl: server.baseUrl }]));
  const gateway = await startGateway({ config: { ...FAST, ...extra, providers, routing: { ...FAST.routing, ...extra.routing } } });
  open.push(gateway);
  return gateway;
}

function client(gateway: TestGateway): OpenAI {
  return new OpenAI({ baseURL: gateway.baseUrl, apiKey: "unused", maxRetries: 0 });
}

function chatCount(server: ScriptedUpstream): number {
  return server.requests.filter((request) => request.path === CHAT_PATH).length;
}

async function chat(gateway: TestGateway, model: string, stream = false) {
  const { data, response } = await client(gateway).chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] }).withResponse();
  void stream;
  return { data, headers: response.headers };
}

function error(status: number, message: string, headers?: Record<string, string>): CannedResponse {
  return { type: "json", status, body: { error: { message, type: "server_error", param: null, code: null } }, ...(headers === undefined ? {} : { headers }) };
}

const CONTENT = (text: string): string =>
  sseData({ id: "c1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content: text }, finish_reason: null }] });
const FINISH = sseData({ id: "c1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });

const TWO_WAY = { routes: { duo: { targets: ["a/m", "b/m"] } } } satisfies SwitchyardConfig;

describe("failover across deployments", () => {
  it("fails over at once from a 503 to the next deployment and names the one that answered", async () => {
    const [a, b] = (await upstreams(2)) as [ScriptedUpstream, ScriptedUpstream];
    a.script(CHAT_PATH, error(503, "overloaded"));
    const gateway = await gatewayFor([a, b], TWO_WAY);
    const { data, headers } = await chat(gateway, "duo");
    expect(data.choices[0]?.message.content).toBeTruthy();
    expect(headers.get("x-switchyard-deployment")).toBe("b/m");
    expect(headers.get("x-switchyard-attempts")).toBe("2");
    expect([chatCount(a), chatCount(b)]).toEqual([1, 1]);
  });

  it("fails over on a connection reset before headers, a slow first byte and an HTML error page", async () => {
    const [a, b, c, d] = (await upstreams(4)) as [ScriptedUpstream, ScriptedUpstream, ScriptedUpstream, ScriptedUpstream];
    a.script(CHAT_PATH, { type: "reset-before-headers" });
    b.script(CHAT_PATH, { type: "slow-first-byte", delayMs: 1_500, then: { type: "json", body: {} } });
    c.script(CHAT_PATH, { type: "text", status: 502, body: "<html><body><h1>502 Bad Gateway</h1></body></html>", contentType: "text/html" });
    const gateway = await gatewayFor([a, b, c, d], { routes: { four: { targets: ["a/m", "b/m", "c/m", "d/m"] } }, routing: { maxAttempts: 4 } });
    const { headers } = await chat(gateway, "four");
    expect(headers.get("x-switchyard-deployment")).toBe("d/m");
    expect(headers.get("x-switchyard-attempts")).toBe("4");
    expect([a, b, c, d].map(chatCount)).toEqual([1, 1, 1, 1]);
  });

  it("returns a 400 at once without trying another deployment", async () => {
    const [a, b] = (await upstreams(2)) as [ScriptedUpstream, ScriptedUpstream];
    a.script(CHAT_PATH, { type: "json", status: 400, body: { error: { message: "messages must not be empty", type: "invalid_request_error", param: "messages", code: null } } });
    const gateway = await gatewayFor([a, b], TWO_WAY);
    const failure = await chat(gateway, "duo").catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).headers?.get("x-switchyard-attempts")).toBe("1");
    expect([chatCount(a), chatCount(b)]).toEqual([1, 0]);
  });

  it("answers with the last deployment's error, status kept, when every attempt fails", async () => {
    const [a, b] = (await upstreams(2)) as [ScriptedUpstream, ScriptedUpstream];
    a.script(CHAT_PATH, error(500, "a broke"));
    b.script(CHAT_PATH, error(503, "b is overloaded"));
    const gateway = await gatewayFor([a, b], { ...TWO_WAY, routing: { maxAttempts: 2 } });
    const failure = (await chat(gateway, "duo").catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(failure.status).toBe(503);
    expect(failure.message).toContain("b is overloaded");
    expect(failure.headers?.get("x-switchyard-deployment")).toBe("b/m");
    expect(failure.headers?.get("x-switchyard-attempts")).toBe("2");
  });

  it("falls back from a route to the route named in its fallbacks", async () => {
    const [a, b] = (await upstreams(2)) as [ScriptedUpstream, ScriptedUpstream];
    a.script(CHAT_PATH, error(500, "down"));
    const gateway = await gatewayFor([a, b], { routes: { fast: { targets: ["a/small"], fallbacks: ["smart"] }, smart: { targets: ["b/large"] } } });
    const { headers } = await chat(gateway, "fast");
    expect(headers.get("x-switchyard-deployment")).toBe("b/large");
    expect((b.requests[0]?.json() as { model: string }).model).toBe("large");
  });
});

describe("retries on the same deployment", () => {
  it("honours retry-after-ms on a 429 when no other deployment exists, then succeeds", async () => {
    const [a] = (await upstreams(1)) as [ScriptedUpstream];
    a.script(CHAT_PATH, error(429, "slow down", { "retry-after-ms": "150" }));
    const gateway = await gatewayFor([a]);
    const started = Date.now();
    const { headers } = await chat(gateway, "a/m");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(headers.get("x-switchyard-attempts")).toBe("2");
    expect(chatCount(a)).toBe(2);
  });

  it("fails over at once instead of sleeping on a long Retry-After when another deployment is healthy", async () => {
    const [a, b] = (await upstreams(2)) as [ScriptedUpstream, ScriptedUpstream];
    a.script(CHAT_PATH, error(429, "rate limited", { "retry-after": "30" }));
    const gateway = await gatewayFor([a, b], TWO_WAY);
    const started = Date.now();
    const { headers } = await chat(gateway, "duo");
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(headers.get("x-switchyard-deployment")).toBe("b/m");
  });

  it("stops at the attempt budget", async () => {
    const [a] = (await upstreams(1)) as [ScriptedUpstream];
    a.script(CHAT_PATH, error(500, "one"), error(500, "two"), error(500, "three"), error(500, "four"));
    const gateway = await gatewayFor([a], { routing: { maxAttempts: 3, breaker: { consecutiveFailures: 100 } } });
    const failure = (await chat(gateway, "a/m").catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(failure.status).toBe(500);
    expect(failure.headers?.get("x-switchyard-attempts")).toBe("3");
    expect(chatCount(a)).toBe(3);
  });
});

describe("circuit breaker", () => {
  it("opens after consecutive failures, skips the deployment, then lets one probe through after the cool-down", async () => {
    const [a, b] = (await upstreams(2)) as [ScriptedUpstream, ScriptedUpstream];
    a.script(CHAT_PATH, error(500, "x"), error(500, "y"));
    const gateway = await gatewayFor([a, b], { ...TWO_WAY, routing: { breaker: { consecutiveFailures: 2, coolDownMs: 300 } } });
    await chat(gateway, "duo");
    await chat(gateway, "duo");
    expect(chatCount(a)).toBe(2);
    const health = gateway.gateway.deploymentHealth().find((entry) => entry.id === "a/m");
    expect(health?.breaker.status).toBe("open");
    expect(health?.lastError?.status).toBe(500);

    const skipped = await chat(gateway, "duo");
    expect(skipped.headers.get("x-switchyard-deployment")).toBe("b/m");
    expect(skipped.headers.get("x-switchyard-attempts")).toBe("1");
    expect(chatCount(a)).toBe(2);

    const explained = await gateway.gateway.explainRoute("duo");
    expect(explained.candidates.map((candidate) => [candidate.deployment, candidate.status])).toEqual([
      ["a/m", "skipped"],
      ["b/m", "chosen"],
    ]);
    expect(explained.candidates[0]?.reason).toMatch(/breaker open/);

    await new Promise((resolve) => setTimeout(resolve, 350));
    const probed = await chat(gateway, "duo");
    expect(probed.headers.get("x-switchyard-deployment")).toBe("a/m");
    expect(gateway.gateway.deploymentHealth().find((entry) => entry.id === "a/m")?.breaker.status).toBe("closed");
  });

  it("answers 503 with Retry-After when every deployment's breaker is open", async () => {
    const [a] = (await upstreams(1)) as [ScriptedUpstream];
    a.script(CHAT_PATH, error(500, "1"), error(500, "2"));
    const gateway = await gatewayFor([a], { routing: { maxAttempts: 1, breaker: { consecutiveFailures: 2, coolDownMs: 5_000 } } });
    await chat(gateway, "a/m").catch(() => undefined);
    await chat(gateway, "a/m").catch(() => undefined);
    const failure = (await chat(gateway, "a/m").catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(failure.status).toBe(503);
    expect(failure.headers?.get("retry-after")).toMatch(/^[1-5]$/);
    expect(failure.message).toMatch(/circuit breaker/);
    expect(chatCount(a)).toBe(2);
  });

  it("does not count a client's 400 against the deployment", async () => {
    const [a] = (await upstreams(1)) as [ScriptedUpstream];
    const bad: CannedResponse = { type: "json", status: 400, body: { error: { message: "bad", type: "invalid_request_error", param: null, code: null } } };
    a.script(CHAT_PATH, bad, bad, bad);
    const gateway = await gatewayFor([a]);
    for (let index = 0; index < 3; index += 1) await chat(gateway, "a/m").catch(() => undefined);
    expect(gateway.gateway.deploymentHealth().find((entry) => entry.id === "a/m")?.breaker.status).toBe("closed");
  });
});

describe("rate limits", () => {
  it("skips a deployment at its requests-per-minute limit and answers 429 with Retry-After when none is left", async () => {
    const [a, b] = (await upstreams(2)) as [ScriptedUpstream, ScriptedUpstream];
    const gateway = await gatewayFor([a, b], { ...TWO_WAY, models: { "a/m": { limits: { rpm: 1 } }, "b/m": { limits: { rpm: 1 } } } });
    expect((await chat(gateway, "duo")).headers.get("x-switchyard-deployment")).toBe("a/m");
    expect((await chat(gateway, "duo")).headers.get("x-switchyard-deployment")).toBe("b/m");
    const failure = (await chat(gateway, "duo").catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
    expect(Number(failure.headers?.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(failure.error).toMatchObject({ code: "deployment_rate_limited", type: "rate_limit_error" });
    expect([chatCount(a), chatCount(b)]).toEqual([1, 1]);
    const explained = await gateway.gateway.explainRoute("duo");
    expect(explained.candidates.every((candidate) => candidate.status === "skipped" && /rate-limited/.test(candidate.reason))).toBe(true);
  });

  it("limits a route as a whole", async () => {
    const [a] = (await upstreams(1)) as [ScriptedUpstream];
    const gateway = await gatewayFor([a], { routes: { capped: { targets: ["a/m"], limits: { rpm: 1 } } } });
    await chat(gateway, "capped");
    const failure = (await chat(gateway, "capped").catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(failure.status).toBe(429);
    expect(chatCount(a)).toBe(1);
  });
});

describe("streaming contract", () => {
  async function collect(gateway: TestGateway, model: string): Promise<{ text: string; error: unknown; headers: Headers }> {
    const { data: stream, response } = await client(gateway).chat.completions.create({ model, messages: [{ role: "user", content: "hi" }], stream: true }).withResponse();
    let text = "";
    let error: unknown;
    try {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    } catch (caught) {
      error = caught;
    }
    return { text, error, headers: response.headers };
  }

  it("fails over when the upstream resets after its headers but before any byte of the stream", async () => {
    const [a, b] = (await upstreams(2)) as [ScriptedUpstream, ScriptedUpstream];
    a.script(CHAT_PATH, { type: "reset-mid-stream", chunks: [] });
    b.script(CHAT_PATH, { type: "sse-chunks", chunks: [CONTENT("from b"), FINISH, "data: [DONE]\n\n"] });
    const gateway = await gatewayFor([a, b], TWO_WAY);
    const result = await collect(gateway, "duo");
    expect(result.error).toBeUndefined();
    expect(result.text).toBe("from b");
    expect(result.headers.get("x-switchyard-deployment")).toBe("b/m");
    expect(result.headers.get("x-switchyard-attempts")).toBe("2");
  });

  it("fails over when the upstream ends an empty stream", async () => {
    const [a, b] = (await upstreams(2)) as [ScriptedUpstream, ScriptedUpstream];
    a.script(CHAT_PATH, { type: "sse-chunks", chunks: [] });
    b.script(CHAT_PATH, { type: "sse-chunks", chunks: [CONTENT("ok"), FINISH, "data: [DONE]\n\n"] });
    const gateway = await gatewayFor([a, b], TWO_WAY);
    expect((await collect(gateway, "duo")).text).toBe("ok");
  });

  it("never fails over after the first byte: a reset mid-stream raises an APIError and the next deployment is not called", async () => {
    const [a, b] = (await upstreams(2)) as [ScriptedUpstream, ScriptedUpstream];
    a.script(CHAT_PATH, { type: "reset-mid-stream", chunks: [CONTENT("partial ")] });
    const gateway = await gatewayFor([a, b], TWO_WAY);
    const result = await collect(gateway, "duo");
    expect(result.text).toBe("partial ");
    expect(result.error).toBeInstanceOf(OpenAI.APIError);
    expect(chatCount(b)).toBe(0);
  });

  it("ends a stall mid-stream with an upstream_timeout error event after the idle timeout", async () => {
    const [a, b] = (await upstreams(2)) as [ScriptedUpstream, ScriptedUpstream];
    a.script(CHAT_PATH, { type: "stall", chunks: [CONTENT("thinking")] });
    const gateway = await gatewayFor([a, b], TWO_WAY);
    const result = await collect(gateway, "duo");
    expect(result.text).toBe("thinking");
    expect(String((result.error as Error).message)).toMatch(/idle|timed out|timeout/i);
    expect(chatCount(b)).toBe(0);
  });

  it("raises a truncated stream and an in-band error chunk as APIErrors, and counts them against the breaker", async () => {
    const [a] = (await upstreams(1)) as [ScriptedUpstream];
    a.script(
      CHAT_PATH,
      { type: "sse-chunks", chunks: [CONTENT("cut")] },
      { type: "sse-chunks", chunks: [CONTENT("so far"), sseData({ error: { message: "model crashed", type: "server_error", code: "internal" } })] },
    );
    const gateway = await gatewayFor([a], { routing: { breaker: { consecutiveFailures: 2, coolDownMs: 5_000 } } });
    const truncated = await collect(gateway, "a/m");
    expect(truncated.error).toBeInstanceOf(OpenAI.APIError);
    expect(String((truncated.error as Error).message)).toMatch(/ended the stream/);
    const inBand = await collect(gateway, "a/m");
    expect(String((inBand.error as Error).message)).toContain("model crashed");
    expect(gateway.gateway.deploymentHealth().find((entry) => entry.id === "a/m")?.breaker.status).toBe("open");
  });

  it("completes normally a stream with a finish reason but no [DONE]", async () => {
    const [a] = (await upstreams(1)) as [ScriptedUpstream];
    a.script(CHAT_PATH, { type: "sse-chunks", chunks: [CONTENT("done"), FINISH] });
    const gateway = await gatewayFor([a]);
    const result = await collect(gateway, "a/m");
    expect(result).toMatchObject({ text: "done", error: undefined });
  });

  it("aborts the upstream call when the client disconnects mid-stream", async () => {
    const [a] = (await upstreams(1)) as [ScriptedUpstream];
    a.script(CHAT_PATH, { type: "stall", chunks: [CONTENT("first")] });
    const gateway = await gatewayFor([a], { timeouts: { idleMs: 10_000, firstByteMs: 10_000, totalMs: 20_000 } });
    const controller = new AbortController();
    const stream = await client(gateway).chat.completions.create({ model: "a/m", messages: [{ role: "user", content: "hi" }], stream: true }, { signal: controller.signal });
    for await (const chunk of stream) {
      expect(chunk.choices[0]?.delta.content).toBe("first");
      controller.abort();
      break;
    }
    const [recorded] = await a.waitForRequests(1);
    expect(await recorded?.outcome).toBe("client-aborted");
    expect(chatCount(a)).toBe(1);
    // A client leaving is nobody's failure: the breaker counts nothing.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gateway.gateway.deploymentHealth().find((entry) => entry.id === "a/m")).toMatchObject({ failures: 0, inFlight: 0 });
  });
});

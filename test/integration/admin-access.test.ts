/**
 * @module test/integration/admin-access.test
 * The admin key, console sessions and the Host/Origin checks, over real sockets: `/api` with and
 * without the admin key, login by cookie (its attributes, expiry on logout), cross-site requests
 * and foreign Host headers (DNS rebinding) refused, repeated wrong keys slowed down, and a gateway
 * that refuses to listen beyond loopback without an admin key. Everything binds to 127.0.0.1.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SwitchyardConfig } from "../../src/config/config-schema.js";
import { createGateway } from "../../src/gateway/create-gateway.js";
import { startGateway, type TestGateway } from "../support/start-gateway.js";
import { DISABLED_BUILTINS } from "../support/disabled-builtins.js";

const ADMIN_KEY = "test-admin-key-0123456789abcdefghijklmnop";
const WRONG_KEY = "wrong-admin-key-0123456789abcdefghijklmn";

/** No provider is on: these tests only talk to the gateway itself. */
const CONFIG: SwitchyardConfig = { providers: DISABLED_BUILTINS };

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  json<T>(): T;
}

const directories: string[] = [];
const gateways: TestGateway[] = [];
/** Every body received, for the final check that the admin key never came back. */
const bodies: string[] = [];

function newDataDir(): string {
  const directory = mkdtempSync(join(tmpdir(), "switchyard-admin-access-"));
  directories.push(directory);
  return directory;
}

async function start(env: Record<string, string> = {}): Promise<TestGateway> {
  const gateway = await startGateway({ env, config: CONFIG, dataDir: newDataDir() });
  gateways.push(gateway);
  return gateway;
}

/**
 * One request with exactly these headers. node:http rather than fetch, because fetch does not let
 * a caller choose the Host header; the connection still goes to 127.0.0.1.
 */
function send(gateway: TestGateway, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Reply> {
  const url = new URL(gateway.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: "127.0.0.1",
        port: Number(url.port),
        method,
        path,
        headers: { host: url.host, ...(payload === undefined ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) }), ...headers },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          bodies.push(text);
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text, json: <T>() => JSON.parse(text) as T });
        });
        incoming.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(payload);
  });
}

function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

function errorCode(reply: Reply): string | null {
  return reply.json<{ error: { code: string | null } }>().error.code;
}

/** The `name=value` part of the session cookie a login set. */
function sessionFrom(reply: Reply): string {
  const cookie = reply.headers["set-cookie"]?.[0] ?? "";
  return cookie.slice(0, cookie.indexOf(";"));
}

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.close()));
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  for (const body of bodies) expect(body).not.toContain(ADMIN_KEY);
});

describe("with SWITCHYARD_ADMIN_KEY set", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await start({ SWITCHYARD_ADMIN_KEY: ADMIN_KEY });
  });

  it("says on GET /api/session that a login is needed and that there is none", async () => {
    const reply = await send(gateway, "GET", "/api/session");
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ auth_required: true, authenticated: false });
  });

  it("refuses every other /api route without the key, and with a wrong one, in OpenAI error format", async () => {
    for (const path of ["/api/status", "/api/credentials", "/api/keys", "/api/no-such-route"]) {
      const reply = await send(gateway, "GET", path);
      expect(reply.status).toBe(401);
      expect(reply.json()).toEqual({ error: { message: expect.stringContaining("admin key") as string, type: "authentication_error", param: null, code: "invalid_admin_key" } });
    }
    const wrong = await send(gateway, "GET", "/api/status", bearer(WRONG_KEY));
    expect(wrong.status).toBe(401);
    expect(errorCode(wrong)).toBe("invalid_admin_key");
    expect((await send(gateway, "POST", "/api/keys", {}, { name: "sneaky" })).status).toBe(401);
  });

  it("serves /api with the admin key as a Bearer token", async () => {
    expect((await send(gateway, "GET", "/api/status", bearer(ADMIN_KEY))).status).toBe(200);
    expect((await send(gateway, "GET", "/api/session", bearer(ADMIN_KEY))).json()).toEqual({ auth_required: true, authenticated: true });
    expect((await send(gateway, "POST", "/api/keys", bearer(ADMIN_KEY), { name: "by bearer" })).status).toBe(201);
  });

  it("logs in with the admin key for an HttpOnly, SameSite=Strict cookie that then authorises /api, until logout", async () => {
    const refused = await send(gateway, "POST", "/api/session", {}, { admin_key: WRONG_KEY });
    expect(refused.status).toBe(401);
    expect(refused.json()).toMatchObject({ error: { type: "authentication_error", code: "invalid_admin_key" } });
    expect(refused.headers["set-cookie"]).toBeUndefined();

    const login = await send(gateway, "POST", "/api/session", {}, { admin_key: ADMIN_KEY });
    expect(login.status).toBe(204);
    const setCookie = login.headers["set-cookie"] ?? [];
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(/^switchyard_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=\d+$/);
    const cookie = sessionFrom(login);

    expect((await send(gateway, "GET", "/api/status", { cookie })).status).toBe(200);
    expect((await send(gateway, "GET", "/api/session", { cookie: `other=1; ${cookie}` })).json()).toEqual({ auth_required: true, authenticated: true });
    expect((await send(gateway, "GET", "/api/keys", { cookie, origin: gateway.url, "sec-fetch-site": "same-origin" })).status).toBe(200);

    const logout = await send(gateway, "DELETE", "/api/session", { cookie });
    expect(logout.status).toBe(204);
    expect(logout.headers["set-cookie"]?.[0]).toMatch(/^switchyard_session=; HttpOnly; SameSite=Strict; Path=\/; Max-Age=0$/);
    const after = await send(gateway, "GET", "/api/status", { cookie });
    expect(after.status).toBe(401);
    expect(after.json<{ error: { message: string } }>().error.message).toMatch(/session has expired/);
    expect((await send(gateway, "GET", "/api/status", { cookie: "switchyard_session=made-up" })).status).toBe(401);
  });

  it("marks the cookie Secure when the request came over TLS (as a proxy reports it)", async () => {
    const login = await send(gateway, "POST", "/api/session", { "x-forwarded-proto": "https" }, { admin_key: ADMIN_KEY });
    expect(login.headers["set-cookie"]?.[0]).toMatch(/; Secure$/);
  });

  it("rejects malformed login bodies with 400", async () => {
    expect((await send(gateway, "POST", "/api/session", {}, {})).status).toBe(400);
    expect((await send(gateway, "POST", "/api/session", {}, { admin_key: ADMIN_KEY, extra: 1 })).status).toBe(400);
    expect((await send(gateway, "PUT", "/api/session")).status).toBe(405);
  });

  it("refuses cross-site requests with 403, even with a valid session or key", async () => {
    const cookie = sessionFrom(await send(gateway, "POST", "/api/session", {}, { admin_key: ADMIN_KEY }));
    const crossSite = [
      { cookie, "sec-fetch-site": "cross-site" },
      { cookie, origin: "http://attacker.example" },
      { cookie, origin: "null" },
      { ...bearer(ADMIN_KEY), origin: "http://127.0.0.1:1" },
    ];
    for (const headers of crossSite) {
      const reply = await send(gateway, "POST", "/api/keys", headers, { name: "csrf" });
      expect(reply.status).toBe(403);
      expect(reply.json()).toMatchObject({ error: { type: "permission_error", code: "forbidden_origin" } });
    }
    // A cross-site page cannot log in either.
    expect((await send(gateway, "POST", "/api/session", { origin: "http://attacker.example" }, { admin_key: ADMIN_KEY })).status).toBe(403);
  });

  it("checks the Host of every request on a kept-alive connection, not only the first", async () => {
    const port = new URL(gateway.url).port;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const statusFor = (host: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const outgoing = httpRequest({ host: "127.0.0.1", port: Number(port), path: "/api/status", agent, headers: { ...bearer(ADMIN_KEY), host } }, (incoming) => {
          sockets.add(incoming.socket);
          incoming.resume();
          incoming.on("end", () => resolve(incoming.statusCode ?? 0));
        });
        outgoing.on("error", reject);
        outgoing.end();
      });
    try {
      expect(await statusFor(`127.0.0.1:${port}`)).toBe(200);
      expect(await statusFor(`attacker.example:${port}`)).toBe(403);
      expect(await statusFor(`127.0.0.1:${port}`)).toBe(200);
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it("refuses a Host header that does not name this server (DNS rebinding) with 403", async () => {
    const port = new URL(gateway.url).port;
    for (const host of [`attacker.example:${port}`, `127.0.0.1:${Number(port) + 1}`, "localhost"]) {
      const reply = await send(gateway, "GET", "/api/status", { ...bearer(ADMIN_KEY), host });
      expect(reply.status).toBe(403);
      expect(errorCode(reply)).toBe("forbidden_host");
      expect((await send(gateway, "GET", "/api/session", { host })).status).toBe(403);
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      expect((await send(gateway, "GET", "/api/status", { ...bearer(ADMIN_KEY), host })).status).toBe(200);
    }
  });

  it("keeps /health open, and does not take the admin key for a gateway key on /v1", async () => {
    expect((await send(gateway, "GET", "/health")).status).toBe(200);
    // A gateway key was created above, so /v1 now needs one; the admin key is not one.
    const reply = await send(gateway, "GET", "/v1/models", bearer(ADMIN_KEY));
    expect(reply.status).toBe(401);
    expect(errorCode(reply)).toBe("invalid_api_key");
  });
});

describe("without an admin key, on loopback", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await start();
  });

  it("leaves /api open, says so on /api/session, and has nothing to log in to", async () => {
    expect((await send(gateway, "GET", "/api/status")).status).toBe(200);
    expect((await send(gateway, "GET", "/api/session")).json()).toEqual({ auth_required: false, authenticated: true });
    expect((await send(gateway, "POST", "/api/session", {}, { admin_key: ADMIN_KEY })).status).toBe(400);
  });

  it("still refuses cross-site requests and foreign Host headers, on /api and on the open /v1", async () => {
    expect((await send(gateway, "POST", "/api/keys", { origin: "http://attacker.example" }, { name: "csrf" })).status).toBe(403);
    const port = new URL(gateway.url).port;
    expect((await send(gateway, "GET", "/api/status", { host: `rebound.attacker.example:${port}` })).status).toBe(403);
    const rebound = await send(gateway, "GET", "/v1/models", { host: `rebound.attacker.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(errorCode(rebound)).toBe("forbidden_host");
    expect((await send(gateway, "GET", "/health", { host: `rebound.attacker.example:${port}` })).status).toBe(200);
  });

  it("accepts names listed in SWITCHYARD_ALLOWED_HOSTS", async () => {
    const allowing = await start({ SWITCHYARD_ALLOWED_HOSTS: "gateway.example.internal, other.example:8443" });
    expect((await send(allowing, "GET", "/api/status", { host: "gateway.example.internal" })).status).toBe(200);
    expect((await send(allowing, "GET", "/api/status", { host: "other.example:8443" })).status).toBe(200);
    expect((await send(allowing, "GET", "/api/status", { host: "other.example:9000" })).status).toBe(403);
  });
});

describe("repeated wrong admin keys", () => {
  it("are answered with 429 and Retry-After after ten failures, even for the right key", async () => {
    const gateway = await start({ SWITCHYARD_ADMIN_KEY: ADMIN_KEY });
    for (let attempt = 0; attempt < 10; attempt += 1) expect((await send(gateway, "GET", "/api/status", bearer(WRONG_KEY))).status).toBe(401);
    const throttled = await send(gateway, "POST", "/api/session", {}, { admin_key: ADMIN_KEY });
    expect(throttled.status).toBe(429);
    expect(errorCode(throttled)).toBe("too_many_auth_failures");
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(0);
  });
});

describe("listening beyond loopback", () => {
  const opened: { close(options?: { timeoutMs?: number }): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((gateway) => gateway.close({ timeoutMs: 0 })));
  });

  it("is refused without an admin key, before any socket is opened", async () => {
    const gateway = await createGateway({ env: {}, config: CONFIG });
    opened.push(gateway);
    // A TEST-NET address (RFC 5737) that no machine has: even a broken check could not bind it.
    await expect(gateway.listen({ host: "192.0.2.1", port: 0 })).rejects.toMatchObject({
      code: "admin_key_required",
      message: expect.stringMatching(/^Refusing to listen on 192\.0\.2\.1 without an admin key: set SWITCHYARD_ADMIN_KEY .* or run 'switchyard admin-key create'/) as string,
    });
  });

  it("is refused at creation for an admin key that is too short", async () => {
    await expect(createGateway({ env: { SWITCHYARD_ADMIN_KEY: "short" }, config: CONFIG })).rejects.toMatchObject({ code: "admin_key_required" });
  });
});

/**
 * @module test/integration/console-static.test
 * The console's file server on a real socket, over a console folder made for the test: content
 * types, cache headers, the index.html fallback for client routes, and no way out of the folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isConsolePath, resolveConsoleFile, serveConsole } from "../../src/server/console-static.js";

let parent: string;
let root: string;
let server: Server;
let origin: string;

const INDEX = "<!doctype html><title>console</title>";

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), "switchyard-console-"));
  root = join(parent, "console");
  mkdirSync(join(root, "assets"), { recursive: true });
  writeFileSync(join(root, "index.html"), INDEX);
  writeFileSync(join(root, "assets", "index-AbC123.js"), "console.log('app');");
  writeFileSync(join(root, "assets", "index-AbC123.css"), "body{}");
  writeFileSync(join(root, "favicon.svg"), "<svg/>");
  writeFileSync(join(root, ".env"), "SECRET=1");
  writeFileSync(join(parent, "secret.txt"), "outside the console folder");
  server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    serveConsole(request, response, path, root).then((served) => {
      if (!served) {
        response.writeHead(404, { "content-type": "application/json" });
        response.end('{"error":{"message":"not found"}}');
      }
    }, () => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(parent, { recursive: true, force: true });
});

/** Sends a request line exactly as written (fetch would normalise `..` away before sending). */
function rawGet(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(origin).port), "127.0.0.1");
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}

describe("console file server", () => {
  it("serves index.html at / with a revalidated cache and a strict CSP", async () => {
    const response = await fetch(`${origin}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await response.text()).toBe(INDEX);
  });

  it("serves hashed assets as immutable with their content types", async () => {
    const script = await fetch(`${origin}/assets/index-AbC123.js`);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await script.text()).toBe("console.log('app');");
    const style = await fetch(`${origin}/assets/index-AbC123.css`);
    expect(style.headers.get("content-type")).toBe("text/css; charset=utf-8");
    const icon = await fetch(`${origin}/favicon.svg`);
    expect(icon.headers.get("content-type")).toBe("image/svg+xml");
    expect(icon.headers.get("cache-control")).toBe("no-cache");
  });

  it("answers the console's pages with index.html, but a missing file or another path with 404", async () => {
    for (const path of ["/settings", "/settings/models", "/settings/no-such-page"]) {
      const route = await fetch(`${origin}${path}`);
      expect(route.status, path).toBe(200);
      expect(await route.text()).toBe(INDEX);
    }
    for (const path of ["/assets/missing-123.js", "/logo.png", "/settings/logo.png", "/v2/does-not-exist", "/models-list"]) {
      expect((await fetch(`${origin}${path}`)).status, path).toBe(404);
    }
  });

  it("answers a matching If-None-Match with 304 and HEAD without a body", async () => {
    const first = await fetch(`${origin}/`);
    const etag = first.headers.get("etag") ?? "";
    expect(etag).not.toBe("");
    const again = await fetch(`${origin}/`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    const head = await fetch(`${origin}/assets/index-AbC123.js`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String("console.log('app');".length));
    expect(await head.text()).toBe("");
  });

  it("never serves a file outside the console folder or a dot-file", async () => {
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt", "/..%5csecret.txt", "/.env", "/%2eenv", "/a%00.js", "/%E0%A4%A"]) {
      const answer = await rawGet(path);
      expect(answer, path).not.toContain("outside the console folder");
      expect(answer, path).not.toContain("SECRET=1");
    }
    expect(resolveConsoleFile(root, "/../secret.txt")).toBeUndefined();
    expect(resolveConsoleFile(root, "/assets/%2e%2e/%2e%2e/secret.txt")).toBeUndefined();
    expect(resolveConsoleFile(root, "/assets/index-AbC123.js")).toBe(join(root, "assets", "index-AbC123.js"));
  });

  it("leaves /v1, /api and /health to the API", () => {
    expect(isConsolePath("/")).toBe(true);
    expect(isConsolePath("/settings/api-keys")).toBe(true);
    expect(isConsolePath("/api-keys")).toBe(true);
    for (const path of ["/v1", "/v1/models", "/api", "/api/status", "/health"]) expect(isConsolePath(path), path).toBe(false);
  });
});

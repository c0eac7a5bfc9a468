/**
 * @module observability/logger.test
 * Every line the logger writes has secret headers censored by path and every string scrubbed:
 * message, fields, error message and stack.
 */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, REDACTED_LOG_PATHS } from "./logger.js";
import { redactingLogger } from "./redacting-logger.js";

function capture(): { lines: string[]; destination: Writable } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter((line) => line !== ""));
      done();
    },
  });
  return { lines, destination };
}

const KEY = "sk-proj-Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2";

describe("createLogger", () => {
  it("derives its redact paths from the secret header list", () => {
    expect(REDACTED_LOG_PATHS).toEqual(expect.arrayContaining(["headers.authorization", 'headers["x-api-key"]', '*.headers["api-key"]', "apiKey"]));
  });

  it("censors secret headers, key fields and key-shaped values in messages, fields and errors", () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: "debug", destination });
    logger.warn(
      {
        request: { url: "/v1beta/models?key=AIzaSyA0123456789ABCDEFabcdef01234", headers: { authorization: `Bearer ${KEY}`, "x-api-key": "anything-at-all", accept: "application/json" } },
        apiKey: "plain-value",
        err: new Error(`upstream said: invalid key ${KEY}`),
      },
      `call failed with Authorization: Bearer ${KEY}`,
    );
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? "";
    expect(line).not.toContain(KEY);
    expect(line).not.toContain("AIzaSyA0123456789");
    expect(line).not.toContain("anything-at-all");
    expect(line).not.toContain("plain-value");
    const parsed = JSON.parse(line) as { msg: string; request: { headers: Record<string, string> }; err: { message: string; stack: string } };
    expect(parsed.request.headers["accept"]).toBe("application/json");
    expect(parsed.request.headers["authorization"]).toBe("[redacted]");
    expect(parsed.err.message).toBe("upstream said: invalid key [redacted]");
    expect(parsed.msg).toBe("call failed with Authorization: [redacted]");
  });

  it("writes nothing below its level", () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: "warn", destination });
    logger.info({ a: 1 }, "quiet");
    logger.debug({ a: 1 }, "quiet");
    expect(lines).toEqual([]);
  });
});

describe("redactingLogger", () => {
  it("removes the gateway's stored values, read afresh at every line", () => {
    const { lines, destination } = capture();
    let stored: readonly string[] = ["first-stored-secret"];
    const logger = redactingLogger(createLogger({ level: "info", destination }), () => stored);
    logger.error({ reason: "echo first-stored-secret" }, "said first-stored-secret");
    stored = ["second-stored-secret"];
    logger.info({ reason: "echo second-stored-secret" });
    expect(lines.join("\n")).not.toMatch(/first-stored-secret|second-stored-secret/);
    expect(lines).toHaveLength(2);
  });

  it("scrubs lines going to a logger that is not ours", () => {
    const seen: unknown[] = [];
    const foreign = { debug: () => undefined, info: () => undefined, warn: (object: object, message?: string) => seen.push(object, message), error: () => undefined };
    redactingLogger(foreign, () => ["custom-stored-value"]).warn({ headers: { "api-key": "x" }, note: "custom-stored-value" }, "m");
    expect(seen).toEqual([{ headers: { "api-key": "[redacted]" }, note: "[redacted]" }, "m"]);
  });
});

/**
 * @module router/abortable-sleep.test
 * The backoff sleep ends early when the client leaves, rejecting with the abort reason, and leaves
 * no listener or timer behind.
 */
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { UpstreamAbort } from "../upstream/abort-reason.js";
import { abortableSleep } from "./abortable-sleep.js";

describe("abortableSleep", () => {
  it("resolves after the delay", async () => {
    const started = performance.now();
    await abortableSleep(20);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });

  it("rejects with the abort reason as soon as the signal aborts", async () => {
    const controller = new AbortController();
    const started = performance.now();
    const sleeping = abortableSleep(10_000, controller.signal);
    setTimeout(() => controller.abort(new UpstreamAbort("client-disconnected")), 5);
    await expect(sleeping).rejects.toBeInstanceOf(UpstreamAbort);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("rejects at once when the signal has already aborted", async () => {
    await expect(abortableSleep(10_000, AbortSignal.abort(new UpstreamAbort("total-timeout")))).rejects.toMatchObject({ kind: "total-timeout" });
  });

  it("removes its abort listener once it has slept", async () => {
    const controller = new AbortController();
    await abortableSleep(1, controller.signal);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("treats a negative delay as no delay", async () => {
    await expect(abortableSleep(-5)).resolves.toBeUndefined();
  });
});

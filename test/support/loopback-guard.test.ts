/**
 * @module test/support/loopback-guard.test
 * The guard is checked on top of a stub `connect` that never opens a socket, so even a broken
 * guard cannot send anything off the machine here.
 */
import type { LookupAddress } from "node:dns";
import { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { installLoopbackGuard, isLoopbackAddress } from "./loopback-guard.js";

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
type LookupLike = (hostname: string, options: object, callback: LookupCallback) => void;

const realConnect = Socket.prototype.connect;

afterEach(() => {
  Socket.prototype.connect = realConnect;
});

/** Replaces the real `connect` with one that records its options and never connects. */
function stubConnect(): { options: { host?: string; lookup?: LookupLike }[] } {
  const seen: { host?: string; lookup?: LookupLike }[] = [];
  Socket.prototype.connect = function stub(this: Socket, options: unknown) {
    seen.push(options as { host?: string; lookup?: LookupLike });
    return this;
  } as unknown as typeof Socket.prototype.connect;
  return { options: seen };
}

describe("installLoopbackGuard", () => {
  it("stops an IP literal outside loopback before the real connect", async () => {
    const stub = stubConnect();
    const guard = installLoopbackGuard();
    const socket = new Socket();
    const failed = new Promise<NodeJS.ErrnoException>((resolve) => socket.once("error", resolve));
    socket.connect({ host: "192.0.2.1", port: 9 });
    expect((await failed).code).toBe("ELOOPBACKGUARD");
    expect(stub.options).toEqual([]);
    expect(guard.violations).toEqual(["192.0.2.1"]);
    guard.restore();
  });

  it("lets loopback literals through and records them", () => {
    const stub = stubConnect();
    const guard = installLoopbackGuard();
    new Socket().connect({ host: "127.0.0.1", port: 9 });
    expect(stub.options).toHaveLength(1);
    expect(guard.attempts).toEqual(["127.0.0.1"]);
    guard.restore();
  });

  it("judges what a name's lookup answers before the socket may use it", async () => {
    const stub = stubConnect();
    const guard = installLoopbackGuard();
    const lookup: LookupLike = (_hostname, _options, callback) => callback(null, [{ address: "169.254.169.254", family: 4 }]);
    new Socket().connect({ host: "upstream.test", port: 9, lookup } as unknown as { port: number });
    const wrapped = stub.options[0]?.lookup;
    expect(wrapped).toBeDefined();
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => wrapped?.("upstream.test", { all: true }, (failure) => resolve(failure)));
    expect(error?.code).toBe("ELOOPBACKGUARD");
    expect(guard.violations).toEqual(["169.254.169.254"]);
    guard.restore();
  });

  it("knows loopback in its IPv4, IPv6 and IPv4-mapped spellings", () => {
    for (const address of ["127.0.0.1", "127.9.9.9", "::1", "[::1]", "::ffff:127.0.0.1", "::ffff:7f00:1"]) expect(isLoopbackAddress(address), address).toBe(true);
    for (const address of ["169.254.169.254", "::ffff:a9fe:a9fe", "10.0.0.1", "0.0.0.0", "::", "fe80::1"]) expect(isLoopbackAddress(address), address).toBe(false);
  });
});

/**
 * @module test/support/loopback-guard
 * A safety net for outbound-policy tests, independent of the code under test: while installed,
 * every TCP connection this process starts is inspected at `net.Socket.prototype.connect` — the
 * method `net.connect` and `tls.connect` (and so undici) end up in — and anything bound for an
 * address outside loopback is stopped before the OS sees it and recorded as a violation. IP
 * literals are judged at once; for names, the socket's own `lookup` runs first (that is the
 * policy's hook) and its answer is judged before it is used. So a policy bug makes the test fail
 * instead of sending traffic off the machine.
 */
import { isIP, Socket } from "node:net";
import type { LookupAddress } from "node:dns";
import { lookup as systemLookup } from "node:dns";

/** What the guard saw. */
export interface LoopbackGuard {
  /** Every address a connection actually went to (loopback only, by construction). */
  readonly attempts: string[];
  /** Every non-loopback address a connection tried to reach (and was stopped). */
  readonly violations: string[];
  /** Puts the original `connect` back. */
  restore(): void;
}

/** True for 127/8, ::1 and IPv4-mapped 127/8 — checked by hand, not with the classifier under test. */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").toLowerCase();
  if (isIP(bare) === 4) return bare.startsWith("127.");
  if (bare === "::1" || bare === "0:0:0:0:0:0:0:1") return true;
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(.+)$/.exec(bare)?.[1];
  if (mapped === undefined) return false;
  if (isIP(mapped) === 4) return mapped.startsWith("127.");
  return /^7f[0-9a-f]{2}:/.test(mapped);
}

type ConnectFunction = (this: Socket, ...args: unknown[]) => Socket;
type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
type LookupLike = (hostname: string, options: object, callback: LookupCallback) => void;

/** Installs the guard; call `restore()` when the test is done. */
export function installLoopbackGuard(): LoopbackGuard {
  const original = Socket.prototype.connect as unknown as ConnectFunction;
  const attempts: string[] = [];
  const violations: string[] = [];
  const stop = (socket: Socket, address: string): Socket => {
    violations.push(address);
    process.nextTick(() => socket.destroy(Object.assign(new Error(`loopback guard: refused to connect to ${address}`), { code: "ELOOPBACKGUARD" })));
    return socket;
  };
  const guarded = function guardedConnect(this: Socket, ...args: unknown[]): Socket {
    const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    if (typeof first !== "object" || first === null) {
      // connect(port, host?) form: undici never uses it; refuse anything but loopback.
      const host = typeof args[1] === "string" ? args[1] : "localhost";
      if (host !== "localhost" && !isLoopbackAddress(host)) return stop(this, host);
      return original.apply(this, args);
    }
    const options = first as { host?: string; path?: string; lookup?: LookupLike };
    if (options.path !== undefined && options.path !== null) return original.apply(this, args);
    const host = options.host ?? "localhost";
    if (isIP(host.replace(/%.*$/, "")) !== 0) {
      if (!isLoopbackAddress(host)) return stop(this, host);
      attempts.push(host);
      return original.apply(this, args);
    }
    const inner: LookupLike = options.lookup ?? (systemLookup as unknown as LookupLike);
    options.lookup = (hostname, lookupOptions, callback) => {
      inner(hostname, lookupOptions, (error, address, family) => {
        if (error !== null) return callback(error, address, family);
        const addresses = Array.isArray(address) ? address.map((entry) => entry.address) : [address];
        const outside = addresses.filter((entry) => !isLoopbackAddress(entry));
        if (outside.length > 0) {
          violations.push(...outside);
          return callback(Object.assign(new Error(`loopback guard: ${hostname} resolved outside loopback`), { code: "ELOOPBACKGUARD" }), []);
        }
        attempts.push(...addresses);
        return callback(null, address, family);
      });
    };
    return original.apply(this, args);
  };
  Socket.prototype.connect = guarded as unknown as typeof Socket.prototype.connect;
  return {
    attempts,
    violations,
    restore: () => {
      Socket.prototype.connect = original as unknown as typeof Socket.prototype.connect;
    },
  };
}

/**
 * @module auth/loopback
 * Whether a bind address or host name stays on this machine. Binding anywhere else requires an
 * admin key and makes `/v1` require gateway keys (SPEC §6).
 */
import { isIP } from "node:net";

/** True for `localhost`, 127.0.0.0/8, `::1` and IPv4-mapped loopback (`::ffff:127.0.0.1`), bracketed or not. */
export function isLoopbackHost(host: string): boolean {
  const bare = (host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host).toLowerCase();
  if (bare === "localhost" || bare === "localhost.") return true;
  if (isIP(bare) === 6) {
    if (bare === "::1" || bare === "0:0:0:0:0:0:0:1") return true;
    const mapped = bare.startsWith("::ffff:") ? bare.slice("::ffff:".length) : undefined;
    return mapped !== undefined && isIP(mapped) === 4 && mapped.startsWith("127.");
  }
  return isIP(bare) === 4 && bare.startsWith("127.");
}

import { describe, expect, it } from "vitest";
import { isLoopbackHost } from "./loopback.js";
import { crossSiteReason, isAllowedHost, parseAllowedHosts, parseHostHeader, type HostRules, type LocalEndpoint } from "./request-source.js";

const NO_RULES: HostRules = { allowed: new Set(), boundNames: new Set() };
const LOOPBACK: LocalEndpoint = { address: "127.0.0.1", port: 4000, tls: false };

describe("isLoopbackHost", () => {
  it("recognises loopback names and addresses, and nothing else", () => {
    for (const host of ["localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "::ffff:127.0.0.1", "LOCALHOST"]) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ["0.0.0.0", "::", "192.168.1.5", "::ffff:10.0.0.1", "example.com", "localhost.example.com", "128.0.0.1"]) expect(isLoopbackHost(host)).toBe(false);
  });
});

describe("parseHostHeader", () => {
  it("parses names, IPv4 and bracketed IPv6, with or without a port", () => {
    expect(parseHostHeader("LocalHost:4000")).toEqual({ hostname: "localhost", port: 4000 });
    expect(parseHostHeader("localhost.:4000")).toEqual({ hostname: "localhost", port: 4000 });
    expect(parseHostHeader("127.0.0.1")).toEqual({ hostname: "127.0.0.1", port: undefined });
    expect(parseHostHeader("[::1]:8080")).toEqual({ hostname: "[::1]", port: 8080 });
  });

  it("rejects malformed values", () => {
    for (const value of ["", ":4000", "host:port", "host:99999", "::1:4000", "[::1", "[::1]x", "a b:1", "user@host:1"]) expect(parseHostHeader(value)).toBeUndefined();
  });
});

describe("isAllowedHost", () => {
  it("accepts localhost, 127.0.0.1 and [::1] with the listening port on a loopback connection", () => {
    for (const host of ["localhost:4000", "127.0.0.1:4000", "[::1]:4000"]) expect(isAllowedHost(host, LOOPBACK, NO_RULES)).toBe(true);
  });

  it("refuses another port, another name, and a missing Host (DNS rebinding)", () => {
    expect(isAllowedHost("localhost:4001", LOOPBACK, NO_RULES)).toBe(false);
    expect(isAllowedHost("localhost", LOOPBACK, NO_RULES)).toBe(false);
    expect(isAllowedHost("attacker.example:4000", LOOPBACK, NO_RULES)).toBe(false);
    expect(isAllowedHost(undefined, LOOPBACK, NO_RULES)).toBe(false);
  });

  it("accepts a missing port only when the server listens on the scheme's default port", () => {
    expect(isAllowedHost("localhost", { ...LOOPBACK, port: 80 }, NO_RULES)).toBe(true);
    expect(isAllowedHost("localhost", { ...LOOPBACK, port: 443, tls: true }, NO_RULES)).toBe(true);
  });

  it("on a non-loopback connection accepts only the local address itself or configured names", () => {
    const lan: LocalEndpoint = { address: "::ffff:192.168.1.5", port: 4000, tls: false };
    expect(isAllowedHost("192.168.1.5:4000", lan, NO_RULES)).toBe(true);
    expect(isAllowedHost("localhost:4000", lan, NO_RULES)).toBe(false);
    expect(isAllowedHost("gateway.lan:4000", lan, NO_RULES)).toBe(false);
    expect(isAllowedHost("gateway.lan:4000", lan, { allowed: new Set(), boundNames: new Set(["gateway.lan"]) })).toBe(true);
    expect(isAllowedHost("[fe80::1]:4000", { address: "fe80::1", port: 4000, tls: false }, NO_RULES)).toBe(true);
  });

  it("accepts allowed hosts on any port, or on the port they name", () => {
    const { allowed, invalid } = parseAllowedHosts(["Gateway.Example.com", "proxy.internal:8443", "", "not a host"]);
    expect([...allowed]).toEqual(["gateway.example.com", "proxy.internal:8443"]);
    expect(invalid).toEqual(["not a host"]);
    const rules: HostRules = { allowed, boundNames: new Set() };
    expect(isAllowedHost("gateway.example.com", LOOPBACK, rules)).toBe(true);
    expect(isAllowedHost("gateway.example.com:443", LOOPBACK, rules)).toBe(true);
    expect(isAllowedHost("proxy.internal:8443", LOOPBACK, rules)).toBe(true);
    expect(isAllowedHost("proxy.internal:9000", LOOPBACK, rules)).toBe(false);
  });
});

describe("crossSiteReason", () => {
  it("lets through requests without browser headers and same-origin browser requests", () => {
    expect(crossSiteReason({ host: "localhost:4000" })).toBeUndefined();
    expect(crossSiteReason({ host: "localhost:4000", origin: "http://localhost:4000", "sec-fetch-site": "same-origin" })).toBeUndefined();
    expect(crossSiteReason({ host: "gw.example.com", origin: "https://gw.example.com" })).toBeUndefined();
    expect(crossSiteReason({ host: "gw.example.com:443", origin: "https://gw.example.com" })).toBeUndefined();
  });

  it("refuses Sec-Fetch-Site: cross-site, opaque or malformed origins, and an Origin other than the Host", () => {
    expect(crossSiteReason({ host: "localhost:4000", "sec-fetch-site": "cross-site" })).toMatch(/another site/);
    expect(crossSiteReason({ host: "localhost:4000", origin: "null" })).toMatch(/opaque/);
    expect(crossSiteReason({ host: "localhost:4000", origin: "::not a url" })).toMatch(/malformed/);
    expect(crossSiteReason({ host: "localhost:4000", origin: "http://attacker.example" })).toMatch(/different site/);
    // Another port on the same machine is another origin: a local dev server must not drive the admin API.
    expect(crossSiteReason({ host: "localhost:4000", origin: "http://localhost:3000" })).toMatch(/different site/);
    expect(crossSiteReason({ origin: "http://localhost:4000" })).toMatch(/no Host/);
  });
});

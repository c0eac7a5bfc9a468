import { describe, expect, it } from "vitest";
import { silentLogger } from "../observability/logger.js";
import { bearerToken, InboundAccess } from "./inbound-access.js";

const ADMIN_KEY = "an-admin-key-of-at-least-32-characters!";

function access(env: Record<string, string> = {}): Promise<InboundAccess> {
  return InboundAccess.create({ env, store: undefined, allowedHosts: () => [], logger: silentLogger() });
}

describe("bearerToken", () => {
  it("reads the token of a Bearer Authorization header, any case, and nothing else", () => {
    expect(bearerToken("Bearer sk-sy-abc")).toBe("sk-sy-abc");
    expect(bearerToken("bearer   sk-sy-abc  ")).toBe("sk-sy-abc");
    expect(bearerToken("Basic dXNlcjpwYXNz")).toBeUndefined();
    expect(bearerToken("Bearer")).toBeUndefined();
    expect(bearerToken("Bearer a b")).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe("InboundAccess", () => {
  it("lets loopback listen without an admin key and refuses everything else", async () => {
    const open = await access();
    for (const host of ["127.0.0.1", "localhost", "::1"]) expect(() => open.assertCanListen(host)).not.toThrow();
    for (const host of ["0.0.0.0", "::", "192.168.1.5", "gateway.lan"]) {
      expect(() => open.assertCanListen(host)).toThrow(/Refusing to listen on .* without an admin key: set SWITCHYARD_ADMIN_KEY/);
    }
    const guarded = await access({ SWITCHYARD_ADMIN_KEY: ADMIN_KEY });
    expect(() => guarded.assertCanListen("0.0.0.0")).not.toThrow();
  });

  it("requires gateway keys and admin auth once it listens beyond loopback", async () => {
    const guarded = await access({ SWITCHYARD_ADMIN_KEY: ADMIN_KEY });
    expect(guarded.keysRequired).toBe(false);
    expect(guarded.authRequired).toBe(true);
    guarded.noteListening("127.0.0.1");
    expect(guarded.keysRequired).toBe(false);
    guarded.noteListening("0.0.0.0");
    expect(guarded.keysRequired).toBe(true);
  });

  it("needs no admin auth on loopback without an admin key", async () => {
    const open = await access();
    expect(open.adminKey).toBeUndefined();
    expect(open.authRequired).toBe(false);
  });
});

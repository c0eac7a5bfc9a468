import { describe, expect, it } from "vitest";
import { AdminSessions, clearedSessionCookie, readSessionCookie, sessionCookie, SESSION_COOKIE } from "./admin-sessions.js";

describe("AdminSessions", () => {
  it("creates random tokens that are valid until they expire", () => {
    let now = 1_000;
    const sessions = new AdminSessions({ ttlMs: 60_000, now: () => now });
    const token = sessions.create();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessions.create()).not.toBe(token);
    expect(sessions.isValid(token)).toBe(true);
    now += 59_999;
    expect(sessions.isValid(token)).toBe(true);
    now += 1;
    expect(sessions.isValid(token)).toBe(false);
    expect(sessions.size).toBe(1);
  });

  it("rejects unknown tokens and ends revoked or cleared sessions", () => {
    const sessions = new AdminSessions();
    const first = sessions.create();
    const second = sessions.create();
    expect(sessions.isValid("made-up")).toBe(false);
    sessions.revoke(first);
    expect(sessions.isValid(first)).toBe(false);
    expect(sessions.isValid(second)).toBe(true);
    sessions.clear();
    expect(sessions.isValid(second)).toBe(false);
  });

  it("drops the oldest session past the cap", () => {
    const sessions = new AdminSessions({ max: 2 });
    const oldest = sessions.create();
    const middle = sessions.create();
    const newest = sessions.create();
    expect(sessions.size).toBe(2);
    expect(sessions.isValid(oldest)).toBe(false);
    expect(sessions.isValid(middle)).toBe(true);
    expect(sessions.isValid(newest)).toBe(true);
  });

  it("reports its lifetime in seconds for Max-Age", () => {
    expect(new AdminSessions({ ttlMs: 90_500 }).ttlSeconds).toBe(90);
  });
});

describe("session cookies", () => {
  it("finds the session cookie among others", () => {
    expect(readSessionCookie(undefined)).toBeUndefined();
    expect(readSessionCookie("a=1; b=2")).toBeUndefined();
    expect(readSessionCookie(`a=1; ${SESSION_COOKIE}=tok_en-1; b=2`)).toBe("tok_en-1");
    expect(readSessionCookie(`${SESSION_COOKIE}=`)).toBeUndefined();
    expect(readSessionCookie(`x${SESSION_COOKIE}=nope`)).toBeUndefined();
  });

  it("sets HttpOnly, SameSite=Strict, Path=/ and Secure only over TLS", () => {
    expect(sessionCookie("t", 60, false)).toBe("switchyard_session=t; HttpOnly; SameSite=Strict; Path=/; Max-Age=60");
    expect(sessionCookie("t", 60, true)).toBe("switchyard_session=t; HttpOnly; SameSite=Strict; Path=/; Max-Age=60; Secure");
    expect(clearedSessionCookie(false)).toBe("switchyard_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
  });
});

/**
 * @module auth/admin-sessions
 * Console sessions: a random token in an HttpOnly, SameSite=Strict cookie, held in this process's
 * memory with an absolute expiry (sessions end with the process; logging in again is cheap).
 * Tokens are kept by their SHA-256, so the map's own lookup timing says nothing about a token.
 */
import { createHash, randomBytes } from "node:crypto";
import { ADMIN_SESSION_MAX, ADMIN_SESSION_TTL_MS } from "../defaults.js";

/** Name of the session cookie. */
export const SESSION_COOKIE = "switchyard_session";

/** Options for {@link AdminSessions}; defaults come from defaults.ts. */
export interface AdminSessionsOptions {
  readonly ttlMs?: number;
  readonly max?: number;
  /** Clock (epoch ms), injectable for tests. */
  readonly now?: () => number;
}

function digest(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("base64url");
}

/** The live console sessions of this process. */
export class AdminSessions {
  /** Token digest → expiry (epoch ms); insertion order is creation order. */
  readonly #sessions = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: AdminSessionsOptions = {}) {
    this.#ttlMs = options.ttlMs ?? ADMIN_SESSION_TTL_MS;
    this.#max = options.max ?? ADMIN_SESSION_MAX;
    this.#now = options.now ?? Date.now;
  }

  /** Seconds a new session lives, for the cookie's Max-Age. */
  get ttlSeconds(): number {
    return Math.floor(this.#ttlMs / 1_000);
  }

  /** Sessions currently held (expired ones may linger until touched). */
  get size(): number {
    return this.#sessions.size;
  }

  /** Starts a session and returns its token (32 random bytes, base64url). */
  create(): string {
    const token = randomBytes(32).toString("base64url");
    this.#sessions.set(digest(token), this.#now() + this.#ttlMs);
    while (this.#sessions.size > this.#max) {
      const oldest = this.#sessions.keys().next();
      if (oldest.done === true) break;
      this.#sessions.delete(oldest.value);
    }
    return token;
  }

  /** True for a live session; an expired one is forgotten. */
  isValid(token: string): boolean {
    const key = digest(token);
    const expiresAt = this.#sessions.get(key);
    if (expiresAt === undefined) return false;
    if (expiresAt > this.#now()) return true;
    this.#sessions.delete(key);
    return false;
  }

  /** Ends one session. */
  revoke(token: string): void {
    this.#sessions.delete(digest(token));
  }

  /** Ends every session (the admin key changed). */
  clear(): void {
    this.#sessions.clear();
  }
}

/** The session token from a `Cookie` header, if it carries one. */
export function readSessionCookie(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at < 0 || part.slice(0, at).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(at + 1).trim();
    return value === "" ? undefined : value;
  }
  return undefined;
}

/** The `Set-Cookie` value that starts a session; `Secure` when the request came over TLS. */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

/** The `Set-Cookie` value that ends a session in the browser. */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${secure ? "; Secure" : ""}`;
}
